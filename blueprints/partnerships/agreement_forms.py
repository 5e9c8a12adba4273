"""Forms of the agreement page: the terms (built from documents.TERM_LABELS, so a new term
appears in the form without touching it), a plan row, and the confirmation."""
from datetime import date
from functools import lru_cache

from wtforms import BooleanField, DateField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional, ValidationError

from models import INTERACTION_DIRECTIONS

from ..core.forms import VersionedForm, choices, strip, text_field
from . import agreement

# One-line terms; every other text term is a paragraph.
SHORT_TERMS = {"place": 300, "leader_basis": 300, "partner_basis": 300, "coordinator_basis": 300}


class _TermsBase(VersionedForm):
    version_required = True
    directions = SelectMultipleField(agreement.DIRECTIONS_LABEL,
                                     choices=choices(INTERACTION_DIRECTIONS))

    def validate_directions(self, field):
        if not field.data:
            raise ValidationError("Отметьте хотя бы одно направление взаимодействия.")


def _term_field(key, label):
    if key == "valid_until":
        return DateField(label, format="%Y-%m-%d", validators=[Optional()])
    if key == "auto_extend":
        return BooleanField(label, description="Соглашение продлевается на следующий учебный "
                                               "год, если ни одна сторона не заявила иное.")
    if key in SHORT_TERMS:
        return text_field(label, SHORT_TERMS[key])
    return text_field(label, 3000, area=True)


@lru_cache(maxsize=1)
def terms_form_class():
    """The terms form: directions and one field per term, in the labels' order."""
    fields = {key: _term_field(key, label) for key, label in agreement.term_labels().items()}

    def validate_valid_until(form, field):
        if field.data and not (2000 <= field.data.year <= 2100):
            raise ValidationError("Укажите дату между 2000 и 2100 годом.")

    if "valid_until" in fields:
        fields["validate_valid_until"] = validate_valid_until
    return type("TermsForm", (_TermsBase,), fields)


def term_names():
    return list(agreement.term_labels())


def terms_form(pair, formdata=None):
    """The form filled from the pair's terms, or from posted (or restored) `formdata`."""
    cls = terms_form_class()
    if formdata is not None:
        return cls(formdata=formdata)
    data = {}
    for key, value in agreement.terms_of(pair).items():
        if key == "valid_until":
            try:
                value = date.fromisoformat(value) if value else None
            except (TypeError, ValueError):
                value = None
        data[key] = value
    return cls(formdata=None, data=dict(data, directions=pair.direction_keys,
                                        version=str(pair.version)))


def terms_values(form):
    """{key: JSON value} of the posted terms (dates as ISO text)."""
    values = {}
    for key in term_names():
        value = form[key].data
        if isinstance(value, date):
            value = value.isoformat()
        values[key] = value if value is not None else ""
    return values


class PlanRowForm(VersionedForm):
    title = text_field("Мероприятие", 1000, required=True, area=True)
    form = text_field("Форма", 300, description="Семинар, открытый урок, консультация…")
    # Not Optional: an empty deadline must reach validate_deadline_text and be refused there.
    deadline_text = StringField("Срок", filters=[strip], validators=[Length(
        max=200, message="Не длиннее 200 символов.")], description="«октябрь 2026», "
        "«до 15.11.2026», «с 1 по 30 ноября 2026»")
    leader_responsible = text_field("Ответственный от школы-лидера", 500)
    partner_responsible = text_field("Ответственный от школы-партнёра", 500)
    expected_result = text_field("Ожидаемый результат", 2000, area=True)

    def __init__(self, *args, period_start=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period_start = period_start
        if period_start:  # examples within the pair's school year
            self.deadline_text.description = (f"«октябрь {period_start}», «до 15.11."
                                              f"{period_start}», «с 1 по 30 ноября "
                                              f"{period_start}»")

    def validate_deadline_text(self, field):
        try:
            agreement.deadline_dates(field.data, self.period_start)
        except agreement.PartnershipError as error:
            raise ValidationError(str(error)) from None


ROW_FIELDS = ("title", "form", "deadline_text", "leader_responsible", "partner_responsible",
              "expected_result")


def row_form(pair, row=None, formdata=None):
    """A new row's form (prefix «new»), or a stored row's (prefix «edit»): both can be on the
    page at once."""
    prefix = "edit" if row is not None else "new"
    if formdata is not None:
        return PlanRowForm(formdata=formdata, prefix=prefix, period_start=pair.period_start)
    if row is None:
        return PlanRowForm(formdata=None, prefix=prefix, period_start=pair.period_start)
    return PlanRowForm(formdata=None, obj=row, prefix=prefix, version=str(row.version),
                       period_start=pair.period_start)


def row_values(form):
    return {name: form[name].data or "" for name in ROW_FIELDS}


class VersionForm(VersionedForm):
    """A button that acts on a record at the version the page showed (confirm, remove,
    move)."""

    version_required = True
