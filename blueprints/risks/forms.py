"""Forms of risk profiles: the year filter, the centre's levels (a select and a comment per
factor in force, built for the year), the self-diagnosis (version and tab token; the answers are
radio groups `q-<id>` read by services.read_answers), the questionnaire of one factor."""
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from models import RISK_LEVELS, current_school_year, school_year

from ..core.forms import BaseForm, RowForm, VersionedForm, choices, text_field


def year_choices(today_year=None):
    """The school years a user picks from: two back, the current one, the next."""
    current = today_year or current_school_year()
    return [(str(y), f"{school_year(y)} учебный год") for y in range(current + 1, current - 3, -1)]


class YearForm(FlaskForm):
    """The GET filter of the summary page (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    year = SelectField("Учебный год", validate_choice=False)

    def chosen(self):
        """The year asked for, else the current one (shown selected either way)."""
        self.year.choices = choices(year_choices())
        value = self.year.data
        if not (value and value in dict(year_choices())):
            value = self.year.data = str(current_school_year())
        return int(value)


class YearActionForm(BaseForm):
    """A button acting on a year (open the self-diagnosis, register the summary)."""

    year = HiddenField()

    def chosen(self):
        value = self.year.data or ""
        return int(value) if value in dict(year_choices()) else None


def levels_form(factors, formdata=None, data=None):
    """The centre's form for a profile: `level-<code>` and `comment-<code>` per factor in force
    in the profile's year (a posted factor of another year is refused by the service)."""

    class LevelsForm(BaseForm):
        pass

    options = [("", "— не оценён —")] + list(RISK_LEVELS.items())
    for factor in factors:
        setattr(LevelsForm, f"level-{factor.code}", SelectField(
            "Уровень риска", choices=choices(options), validate_choice=False))
        setattr(LevelsForm, f"comment-{factor.code}", text_field(
            "Комментарий", 2000, area=True))
    return LevelsForm(formdata=formdata, data=data)


class DiagnosisForm(VersionedForm):
    token = HiddenField()


class QuestionRow(RowForm):
    question_id = HiddenField()
    text = text_field("Вопрос", 1000, area=True)
    options = text_field("Варианты ответа и баллы", 3000, area=True,
                         description="Каждый вариант с новой строки: «Ответ = балл», например "
                                     "«Да, полностью = 0». Больше баллов — выше риск.")


def _percent(label):
    return IntegerField(label, validators=[
        InputRequired("Укажите порог в процентах."),
        NumberRange(1, 100, message="Порог — целое число от 1 до 100.")])


class FactorForm(BaseForm):
    low_from = _percent("«Низкий» — от, % максимального балла")
    medium_from = _percent("«Средний» — от, %")
    high_from = _percent("«Высокий» — от, %")
    questions = FieldList(FormField(QuestionRow), min_entries=1, max_entries=21)
