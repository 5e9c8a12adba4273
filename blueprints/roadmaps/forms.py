"""Road-map forms: import, an activity (all fields or only the execution), a section,
evidence."""
from wtforms import DateField, FileField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from models import ACTIVITY_STATUSES
from models.roadmap import ROADMAP_STATUSES

from ..core.forms import BaseForm, VersionedForm, choices, text_field


class ImportForm(BaseForm):
    file = FileField("Файл .docx или .xlsx", description=(
        "Документ Word с таблицей дорожной карты или лист Excel. Заголовки столбцов: "
        "«№», «Мероприятие», «Срок», «Ответственные», «Ожидаемый результат» (в любом порядке; "
        "подходят и другие привычные названия)."))
    period_start = IntegerField("Начало периода (год)", validators=[Optional(), NumberRange(
        2000, 2100, "Год между 2000 и 2100.")], description="Если в названии карты нет лет.")
    period_end = IntegerField("Окончание периода (год)", validators=[Optional(), NumberRange(
        2000, 2100, "Год между 2000 и 2100.")])

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError("Окончание раньше начала.")


class RoadmapForm(BaseForm):
    """The road map's requisites: title, period, the approving act, status."""

    title = text_field("Название", 1000, required=True, area=True)
    period_start = IntegerField("Начало периода (год)", validators=[InputRequired(
        "Укажите год."), NumberRange(2000, 2100, "Год между 2000 и 2100.")])
    period_end = IntegerField("Окончание периода (год)", validators=[InputRequired(
        "Укажите год."), NumberRange(2000, 2100, "Год между 2000 и 2100.")])
    approved_by = text_field("Кем утверждена", 500,
                             description="Например: приказом управления образования")
    approved_number = text_field("Номер приказа", 50)
    approved_on = DateField("Дата приказа", format="%Y-%m-%d", validators=[Optional()])
    status = SelectField("Статус", choices=choices(ROADMAP_STATUSES))

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError("Окончание раньше начала.")


class ExecutionForm(VersionedForm):
    """What the responsible organisation reports."""

    version_required = True  # an activity always exists before it is edited
    status = SelectField("Статус", choices=choices(ACTIVITY_STATUSES))
    execution = text_field("Информация об исполнении", 5000, area=True)


class ActivityForm(ExecutionForm):
    """Everything about an activity (the centre and the department)."""

    number = text_field("№", 20)
    title = text_field("Мероприятие", 3000, required=True, area=True)
    deadline_text = text_field("Срок", 500, description="Как в документе: «сентябрь – октябрь», "
                                                         "«II квартал 2026 года», «ежемесячно»")
    responsible = text_field("Ответственные", 2000, area=True)
    audience = text_field("Целевая аудитория", 1000)
    expected_result = text_field("Ожидаемый результат", 3000, area=True)


class NewActivityForm(BaseForm):
    title = text_field("Новое мероприятие", 3000, required=True)


class SectionForm(BaseForm):
    number = text_field("№ раздела", 20)
    title = text_field("Название раздела", 1000, required=True)


# The evidence form is shared with partnership plan rows (core/evidence.py).
from ..core.evidence import EvidenceForm  # noqa: E402,F401
