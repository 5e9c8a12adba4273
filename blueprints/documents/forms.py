"""Register filters and the withdrawal form."""
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from models.document import STATUSES

from ..core.filters import place_of
from ..core.forms import BaseForm, choices, strip, text_field


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


class OrderRequisitesForm(BaseForm):
    """The requisites of an order a feature registers (an approval order of programmes, of
    partnership pairs): date, heading, preamble, signer and executor. Subclasses add the
    records the order is about."""

    order_date = DateField("Дата приказа", format="%Y-%m-%d",
                           validators=[InputRequired("Укажите дату.")])
    heading = text_field("Заголовок приказа", 500, required=True)
    preamble = text_field("Вступительная часть (основание приказа)", 3000, area=True)
    signer_position = text_field("Должность подписывающего", 200, required=True)
    signer_name = text_field("ФИО подписывающего", 200, required=True)
    executor_note = text_field("Исполнитель (внизу документа)", 300)

    def order(self, build, issuer, *args):
        """The order `build` makes (a feature's order builder: issuer's name, date, `args`,
        signer's position and name, place=, executor_note=) with this form's requisites, its
        heading and preamble as the user wrote them."""
        order = build(issuer.full_name if issuer else "", self.order_date.data, *args,
                      self.signer_position.data, self.signer_name.data,
                      place=place_of(issuer.address) if issuer else "",
                      executor_note=self.executor_note.data or "")
        order.update(heading=self.heading.data, preamble=self.preamble.data or "")
        return order

    def validate_order_date(self, field):
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("Укажите дату между 2000 и 2100 годом.")
