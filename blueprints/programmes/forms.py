"""Forms around the programme: creation, comments, answers, approval order, reference data."""
import re
from datetime import date
from decimal import Decimal

from wtforms import (BooleanField, IntegerField, SelectField, SelectMultipleField,
                     StringField)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from models import DIRECTIONS, VALUE_TYPES

from ..core.expressions import RuleError, parse
from ..core.forms import BaseForm, choices, text_field
from ..core.values import format_number, parse_number
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


def _bound(label):
    return text_field(label, 30, description="Необязательно; дробная часть — через запятую.")


class IndicatorForm(BaseForm):
    code = StringField("Код", filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[InputRequired("Укажите код.")],
                       description="Латинские буквы, цифры и «_» (например, share_2): "
                                   "такой код можно использовать в правилах.")
    name = text_field("Наименование", 500, required=True)
    unit = text_field("Единица измерения", 50,
                      description="Например: %, чел., ед.; для «да/нет» и текста — пусто.")
    value_type = SelectField("Тип значения", choices=choices(VALUE_TYPES), default="percent")
    min_value = _bound("Наименьшее допустимое значение")
    max_value = _bound("Наибольшее допустимое значение")
    direction = SelectField("Направление", choices=choices(DIRECTIONS))
    choices = text_field("Варианты выбора", 2000, area=True,
                         description="Для типа «выбор из списка»: по одному варианту в строке.")
    is_active = BooleanField("Предлагать в программах", default=True)

    def process(self, *args, **kwargs):
        super().process(*args, **kwargs)
        for field in (self.min_value, self.max_value):  # a record's decimals as people write them
            if isinstance(field.data, Decimal):
                field.data = format_number(field.data)

    def validate_code(self, field):
        if not re.fullmatch(r"[A-Za-z0-9А-ЯЁа-яё][A-Za-z0-9А-ЯЁа-яё\-_.]{0,29}", field.data or ""):
            raise ValidationError("Код: до 30 букв, цифр, «-», «_», «.».")

    def _decimal(self, field):
        if not field.data:
            return None
        number = parse_number(field.data)
        if number is None:
            raise ValidationError("Введите число, например 12,5.")
        if self.value_type.data == "int" and number != number.to_integral_value():
            raise ValidationError("Для целого показателя — целое число.")
        if self.value_type.data == "percent" and not 0 <= number <= 100:
            raise ValidationError("Доля в % — от 0 до 100.")
        return number

    def validate_min_value(self, field):
        self._decimal(field)

    def validate_max_value(self, field):
        high = self._decimal(field)
        try:
            low = self._decimal(self.min_value)
        except ValidationError:
            return
        if low is not None and high is not None and low > high:
            raise ValidationError("Наибольшее значение меньше наименьшего.")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        error = self._choices_error()  # here, not validate_choices: Optional() skips an empty field
        if error and not self.choices.errors:
            self.choices.errors = [*self.choices.errors, error]
            self._errors = None
            ok = False
        return ok

    def _choices_error(self):
        options = [line.strip() for line in (self.choices.data or "").splitlines() if line.strip()]
        if self.value_type.data != "choice":
            return None
        if len(options) < 2:
            return "Для выбора из списка укажите хотя бы два варианта, по одному в строке."
        if len({o.lower() for o in options}) != len(options):
            return "Варианты повторяются."
        if any(len(o) > 200 for o in options):
            return "Вариант не длиннее 200 символов."
        return None

    def values(self):
        """The record's columns from the validated form."""
        kind = self.value_type.data
        numeric = kind in ("int", "percent", "decimal")
        options = [line.strip() for line in (self.choices.data or "").splitlines() if line.strip()]
        unit = self.unit.data or ("%" if kind == "percent" else "")
        return {"code": self.code.data, "name": self.name.data, "unit": unit,
                "value_type": kind, "direction": self.direction.data,
                "is_active": self.is_active.data,
                "min_value": parse_number(self.min_value.data or "") if numeric else None,
                "max_value": parse_number(self.max_value.data or "") if numeric else None,
                "choices": "\n".join(options) if kind == "choice" else ""}


class IndicatorRuleForm(BaseForm):
    expression = text_field(
        "Правило", 500, required=True,
        description="Сравнение кодов показателей: числа, + − * /, скобки, <, <=, >, >=, ==, !=, "
                    "and, or, not; «± 0,5» — допуск после ==. Например: failed <= participants.")
    message = text_field("Сообщение у поля", 500, required=True,
                         description="Что увидит школа рядом с полями правила.")
    is_active = BooleanField("Действует", default=True)

    def __init__(self, *args, codes=None, numeric=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_codes = set(codes or ())  # every indicator code
        self.numeric_codes = set(numeric or ())  # the codes of number and yes/no indicators
        self.parsed = None

    def validate_expression(self, field):
        try:
            rule = parse(field.data or "", allowed=self.known_codes)
        except RuleError as error:
            raise ValidationError(str(error)) from None
        wrong = [code for code in rule.names if code not in self.numeric_codes]
        if wrong:
            raise ValidationError("В правилах используются только числовые показатели и «да/нет»; "
                                  "не подходят: " + ", ".join(f"«{c}»" for c in wrong) + ".")
        self.parsed = rule
