"""Forms of the monitoring feature: the results' filters, the import and its column mapping."""
from wtforms import FileField, SelectField

from models import PROCEDURES

from ..core.forms import BaseForm, choices
from .importer import FIELDS, YEARS

PROCEDURE_CHOICES = [("", "Из столбца файла"), *PROCEDURES.items()]


def _year_or_none(value):
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and YEARS[0] <= int(text) <= YEARS[1]:
        return int(text)
    return None


class FilterForm(BaseForm):
    """GET filters of the schools' results; no CSRF (read-only). Subject and year choices come
    from the stored results; an unknown value is ignored."""

    class Meta:
        csrf = False
        locales = ("ru",)

    procedure = SelectField("Процедура", choices=choices([("", "Все"), *PROCEDURES.items()]),
                            validate_choice=False)
    subject = SelectField("Предмет", validate_choice=False)
    year = SelectField("Год", validate_choice=False)

    def values(self):
        procedure = self.procedure.data if self.procedure.data in PROCEDURES else ""
        subject = self.subject.data if self.subject.data in {c.value for c in
                                                             self.subject.choices} else ""
        return procedure, subject, _year_or_none(self.year.data)


class ImportForm(BaseForm):
    procedure = SelectField("Процедура для всего файла", choices=choices(PROCEDURE_CHOICES),
                            validate_choice=False, description="Если в файле нет столбца «Процедура».")
    year = SelectField("Год для всего файла", validate_choice=False,
                       description="Если в файле нет столбца «Год».")
    file = FileField("Файл .xlsx")

    def fixed(self):
        return (self.procedure.data if self.procedure.data in PROCEDURES else "",
                _year_or_none(self.year.data))


def year_choices(current):
    return choices([("", "Из столбца файла")] + [(str(y), str(y)) for y in
                                                 range(current, current - 8, -1)])


FIELD_CHOICES = [("", "— не загружать —")] + [(field, label) for field, (label, _) in
                                                FIELDS.items()]


def mapping_from(form_data, width):
    """{field: column index} from the posted selects `col-<index>`, and the error when two
    columns are given the same field."""
    mapping, error = {}, None
    for index in range(width):
        field = form_data.get(f"col-{index}", "")
        if field not in FIELDS:
            continue
        if field in mapping:
            error = f"Поле «{FIELDS[field][0]}» назначено двум столбцам: оставьте один."
        mapping[field] = index
    return mapping, error
