"""Organisation card and directory filters."""
from wtforms import BooleanField, FileField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from models import KINDS, Organization

from ..core.forms import BaseForm, choices, strip, text_field

REQUIRED = "Заполните это поле."


def inn_is_valid(inn):
    """ИНН of a legal entity: 10 digits, the last one a checksum."""
    if len(inn) != 10 or not inn.isdigit():
        return False
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(int(d) * w for d, w in zip(inn, weights)) % 11 % 10
    return check == int(inn[9])



class OrganizationForm(BaseForm):
    kind = SelectField("Вид организации", choices=choices(KINDS), default="school",
                       validators=[DataRequired(REQUIRED)])
    full_name = text_field("Полное наименование", 500, required=True,
                      description="Как в Уставе, например: Муниципальное бюджетное "
                                  "общеобразовательное учреждение «Средняя школа № 1»")
    short_name = text_field("Краткое наименование", 200, required=True,
                       description="Например: МБОУ «СШ № 1»")
    municipality = text_field("Муниципальное образование", 200, required=True)
    address = text_field("Адрес", 500)
    inn = StringField("ИНН", filters=[strip], validators=[Optional()],
                      description="10 цифр (для юридического лица).")
    kpp = StringField("КПП", filters=[strip], validators=[
        Optional(), Regexp(r"^\d{4}[0-9A-Z]{2}\d{3}$", message="КПП — 9 символов: например, 245401001.")])
    phone = StringField("Телефон", filters=[strip], validators=[
        Optional(), Length(max=50, message="Не длиннее 50 символов."),
        Regexp(r"^[0-9+()\-\s,.доб]*$", message="Только цифры, пробелы, +, -, скобки.")])
    email = StringField("Электронная почта", filters=[strip], validators=[
        Optional(), Length(max=254, message="Не длиннее 254 символов."),
        Email(message="Укажите адрес электронной почты, например school1@example.ru.")])
    head_position = text_field("Должность руководителя", 200, description="Например: директор")
    head_name = text_field("ФИО руководителя", 200, description="Полностью: Иванова Мария Петровна")
    is_leader = BooleanField("Школа-лидер (наставник)")
    is_low_result = BooleanField("Школа с низкими образовательными результатами (ШНОР)")

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def validate_inn(self, field):
        if not field.data:
            return
        if not inn_is_valid(field.data):
            raise ValidationError("ИНН должен состоять из 10 цифр с верной контрольной цифрой.")
        same = Organization.select().where(Organization.inn == field.data)
        if self.organization is not None:
            same = same.where(Organization.id != self.organization.id)
        other = same.first()
        if other is not None:
            raise ValidationError(f"Этот ИНН уже указан у организации «{other.short_name}».")


class ImportForm(BaseForm):
    file = FileField("Файл .xlsx или .csv", description=(
        "Первая строка — заголовки: «Полное наименование», «Краткое наименование», "
        "«Муниципальное образование», «Адрес», «ИНН», «КПП», «Телефон», «E-mail», "
        "«Должность руководителя», «ФИО руководителя», «Школа-лидер», «ШНОР». "
        "Порядок столбцов любой."))


class FilterForm(BaseForm):
    """GET filters of the directory; no CSRF (read-only)."""

    class Meta:
        csrf = False
        locales = ("ru",)

    q = StringField("Поиск", filters=[strip], validators=[Optional(), Length(max=100)])
    municipality = SelectField("Муниципальное образование", validate_choice=False)
    kind = SelectField("Вид", choices=choices([("", "Все виды"), *KINDS.items()]),
                       validate_choice=False)
    leader = SelectField("Отметка", choices=choices([("", "Все"), ("leader", "Школы-лидеры"),
                                                     ("low", "ШНОР")]), validate_choice=False)
