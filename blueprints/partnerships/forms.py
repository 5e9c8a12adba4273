"""Forms of the pairs: filters, proposing and editing a pair, suggestions, import and the
approving order's requisites."""
from wtforms import FileField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional, ValidationError

from models import INTERACTION_DIRECTIONS, PARTNERSHIP_STATUSES

from ..core.forms import BaseForm, choices, strip
from ..documents.forms import OrderRequisitesForm
from .pairs import year_choices


def _year(value):
    """A school year's first calendar year from «2026», «2026/2027» or «2026-2027»; None
    for anything else (a filter then falls back to its default)."""
    text = str(value or "").strip().replace("/", "-").replace("–", "-")
    parts = text.split("-")
    if not text or len(parts) > 2 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    start = int(parts[0])
    if not 2000 <= start <= 2100 or (len(parts) == 2 and int(parts[1]) != start + 1):
        return None
    return start


class FilterForm(BaseForm):
    """GET filters of the list; no CSRF (read-only). The municipality choices come from the
    directory."""

    class Meta:
        csrf = False
        locales = ("ru",)

    year = SelectField("Учебный год", choices=year_choices, validate_choice=False)
    status = SelectField("Статус", choices=choices([("", "Все"), *PARTNERSHIP_STATUSES.items()]),
                         validate_choice=False)
    municipality = SelectField("Муниципалитет", validate_choice=False)
    q = StringField("Поиск", filters=[strip], validators=[Optional(), Length(max=100)])


class PairForm(BaseForm):
    """A pair the centre proposes or edits; schools and coordinators are set by the view."""

    period_start = SelectField("Учебный год", choices=year_choices, coerce=str)
    leader = SelectField("Школа-лидер", coerce=int, validate_choice=False,
                         description="Сначала — школы, отмеченные в справочнике как лидеры, "
                                     "с числом их партнёров в выбранном учебном году.")
    partner = SelectField("Школа-партнёр", coerce=int, validate_choice=False)
    directions = SelectMultipleField(
        "Направления взаимодействия", choices=choices(INTERACTION_DIRECTIONS),
        description="Удерживайте Ctrl (⌘ на Mac), чтобы выбрать несколько.")
    coordinator = SelectField("Координатор", coerce=int, validate_choice=False,
                              description="Методический центр или управление образования; "
                                          "можно не указывать.")

    def validate_period_start(self, field):
        if _year(field.data) is None:
            raise ValidationError("Выберите учебный год.")

    def _check_choice(self, field, message):
        if not field.data or field.data not in {value for value, _ in field.choices}:
            raise ValidationError(message)

    def validate_leader(self, field):
        self._check_choice(field, "Выберите школу-лидера.")

    def validate_partner(self, field):
        self._check_choice(field, "Выберите школу-партнёра.")

    def validate_directions(self, field):
        if not field.data:
            raise ValidationError("Отметьте хотя бы одно направление взаимодействия.")

    def validate_coordinator(self, field):
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Координатором может быть методический центр или "
                                  "управление образования.")

    @property
    def year(self):
        return _year(self.period_start.data)


class YearForm(BaseForm):
    """The school year a page works on (suggestions, the order): from the query string."""

    class Meta:
        csrf = False
        locales = ("ru",)

    year = SelectField("Учебный год", choices=year_choices, validate_choice=False)

    @property
    def value(self):
        return _year(self.year.data)


class ImportForm(BaseForm):
    period_start = SelectField("Учебный год", choices=year_choices, coerce=str)
    file = FileField("Файл .xlsx", description="Столбцы: «Школа-лидер», «Школа-партнёр», "
                     "«Направления» (через запятую), «Координатор». Школы ищутся по краткому "
                     "или полному наименованию либо по ИНН.")

    def validate_period_start(self, field):
        if _year(field.data) is None:
            raise ValidationError("Выберите учебный год.")

    @property
    def year(self):
        return _year(self.period_start.data)


class PairsApprovalForm(OrderRequisitesForm):
    pairs = SelectMultipleField("Пары", coerce=int, validate_choice=False)

    def validate_pairs(self, field):
        if not field.data:
            raise ValidationError("Отметьте хотя бы одну предложенную пару.")


parse_year = _year  # the CLI's --period reads the same way
