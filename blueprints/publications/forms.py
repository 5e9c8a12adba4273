"""Filters of the public document list."""
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from ..core.forms import BaseForm, strip


class PublicFilterForm(BaseForm):
    """GET filters; no CSRF (read-only). Choices are set by the view from the published data."""

    class Meta:
        csrf = False
        locales = ("ru",)

    q = StringField("Поиск", filters=[strip], validators=[Optional(), Length(max=100)])
    year = SelectField("Год", validate_choice=False)
    kind = SelectField("Вид документа", validate_choice=False)
    organization = SelectField("Организация", validate_choice=False)
