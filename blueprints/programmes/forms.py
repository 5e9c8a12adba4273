"""Forms around the programme: creation, comments, answers, approval order, reference data."""
from datetime import date

from wtforms import (BooleanField, IntegerField, SelectField, SelectMultipleField,
                     StringField)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from models import DIRECTIONS

from ..core.forms import BaseForm, choices, text_field
from ..documents.forms import OrderRequisitesForm


def _years():
    this = date.today().year
    return [(str(y), str(y)) for y in range(this - 1, this + 3)]


class NewProgrammeForm(BaseForm):
    period_start = SelectField("Год начала реализации", choices=_years)

    def validate_period_start(self, field):
        if not (field.data or "").isdigit():
            raise ValidationError("Выберите год.")


class CommentForm(BaseForm):
    section = SelectField("Раздел", validate_choice=False)
    field = SelectField("Поле", validate_choice=False)
    text = text_field("Замечание", 3000, required=True, area=True)


class AnswerForm(BaseForm):
    answer = text_field("Ответ школы", 3000, area=True,
                        description="Что исправлено; можно оставить пустым.")


class ApprovalForm(OrderRequisitesForm):
    programmes = SelectMultipleField("Программы", coerce=int, validate_choice=False)

    def validate_programmes(self, field):
        if not field.data:
            raise ValidationError("Отметьте хотя бы одну согласованную программу.")


class RiskFactorForm(BaseForm):
    code = IntegerField("Номер", validators=[InputRequired("Укажите номер."),
                                             NumberRange(1, 999, "Номер от 1 до 999.")])
    name = text_field("Фактор риска", 500, required=True)
    valid_from = IntegerField("Действует с года", validators=[Optional(), NumberRange(
        2000, 2100, "Год между 2000 и 2100.")])
    valid_to = IntegerField("Действует по год", validators=[Optional(), NumberRange(
        2000, 2100, "Год между 2000 и 2100.")])

    def validate_valid_to(self, field):
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError("Год окончания раньше года начала.")


class IndicatorForm(BaseForm):
    code = StringField("Код", filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
                       validators=[InputRequired("Укажите код.")])
    name = text_field("Наименование", 500, required=True)
    unit = text_field("Единица измерения", 50, required=True)
    direction = SelectField("Направление", choices=choices(DIRECTIONS))
    is_active = BooleanField("Предлагать в программах", default=True)

    def validate_code(self, field):
        import re

        if not re.fullmatch(r"[A-Z0-9А-ЯЁ][A-Z0-9А-ЯЁ\-_.]{0,29}", field.data or ""):
            raise ValidationError("Код: до 30 букв, цифр, «-», «_», «.».")
