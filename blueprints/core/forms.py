"""The base form: Russian messages, trimmed text, no control characters, safe integers."""
import re

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms import FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

# Characters XML and databases refuse (NUL breaks PostgreSQL; the rest break .docx).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
# PostgreSQL `integer`; SQLite would take more, so validation stops it for both.
INT_MAX = 2**31 - 1
TOO_BIG = "Слишком большое число."


class BaseForm(FlaskForm):
    class Meta:
        locales = ("ru",)

    def process(self, *args, **kwargs):
        """Read the input, then refuse integers no database column holds (see `bound_integers`)."""
        super().process(*args, **kwargs)
        bound_integers(self)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for field in leaf_fields(self):
            if isinstance(field, (StringField, TextAreaField)) and isinstance(field.data, str):
                pattern = _CONTROL if isinstance(field, TextAreaField) else _CONTROL_LINE
                if pattern.search(field.data):
                    field.errors = [*field.errors, "Поле содержит недопустимые управляющие символы."]
                    ok = False
        if not ok:
            self._errors = None  # recompute form.errors with the messages added here
        return ok


def _too_big(value):
    return isinstance(value, int) and not isinstance(value, bool) and not -INT_MAX <= value <= INT_MAX


def bound_integers(form):
    """Every int a field read (IntegerField, SelectField(coerce=int), SelectMultipleField of ids,
    in FieldList rows too) fits a database integer, or the field has no value and an error.

    Done when the input is read, before any validator: an inline `validate_<field>` that looks
    the id up must never get 10**30 (OverflowError on SQLite, out of range on PostgreSQL)."""
    for field in leaf_fields(form):
        data = field.data
        if _too_big(data) or (isinstance(data, list) and any(_too_big(item) for item in data)):
            field.data = [] if isinstance(data, list) else None
            field.process_errors = [*field.process_errors, TOO_BIG]


def leaf_fields(form):
    """Every input field, including those inside FieldList and FormField rows."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                yield from leaf_fields(entry.form) if isinstance(entry, FormField) else [entry]
        elif isinstance(field, FormField):
            yield from leaf_fields(field.form)
        else:
            yield field


def strip(value):
    """Filter for text fields: trim spaces and normalise line ends from browsers."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def text_field(label, limit, required=False, area=False, description=None):
    """A trimmed text field with a length limit and Russian messages."""
    field = TextAreaField if area else StringField
    return field(label, filters=[strip], description=description, validators=[
        DataRequired("Заполните это поле.") if required else Optional(),
        Length(max=limit, message=f"Не длиннее {limit} символов.")])


def choices(pairs):
    """Select options from (value, label) pairs or a dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


class RowForm(Form):
    """A repeating row inside a BaseForm (no CSRF of its own; the parent form has it)."""

    class Meta:
        locales = ("ru",)


class VersionedForm(BaseForm):
    """A form that carries the record's version, so a save over a newer one is a conflict.

    Empty on a new record unless `version_required`; never more than a database integer."""

    version_required = False
    version = HiddenField()

    def validate_version(self, field):
        if not field.data and not self.version_required:
            return
        if not (field.data or "").isdigit() or int(field.data) > INT_MAX:
            raise ValidationError("Неверная версия формы: обновите страницу.")


class ConfirmForm(BaseForm):
    """An empty form: a CSRF-protected button (delete, logout, publish)."""


__all__ = ["BaseForm", "ConfirmForm", "INT_MAX", "VersionedForm", "NumberRange", "RowForm", "choices", "leaf_fields",
           "strip", "text_field"]
