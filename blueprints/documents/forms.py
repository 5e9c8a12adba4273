"""Register filters and the withdrawal form."""
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from models.document import STATUSES

from ..core.forms import BaseForm, choices, strip


class FilterForm(BaseForm):
    """GET filters of the register; no CSRF (read-only). Choices of doctype and year are set
    by the view from the data."""

    class Meta:
        csrf = False
        locales = ("ru",)

    q = StringField("Поиск", filters=[strip], validators=[Optional(), Length(max=100)])
    doctype = SelectField("Вид документа", validate_choice=False)
    status = SelectField("Статус", choices=choices([("", "Все"), *STATUSES.items()]),
                         validate_choice=False)
    year = SelectField("Год", validate_choice=False)


class WithdrawForm(BaseForm):
    reason = TextAreaField("Причина отзыва", filters=[strip], validators=[
        DataRequired("Укажите причину отзыва: её увидят посетители сайта."),
        Length(max=1000, message="Не длиннее 1000 символов.")],
        description="Будет показана на странице документа, например: «Отменён приказом "
                    "№ 01-07/52 от 15.09.2026».")
