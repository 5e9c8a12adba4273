"""The indicator catalogue (programme targets, monitoring forms) and the consistency rules
between indicators, written as expressions over their codes (core/expressions.py)."""
from decimal import Decimal

from peewee import BooleanField, CharField, DateTimeField, DecimalField, TextField

from .base import BaseModel, now

DIRECTIONS = {"up": "↑ чем больше, тем лучше", "down": "↓ чем меньше, тем лучше"}
VALUE_TYPES = {
    "int": "целое",
    "percent": "доля в %",
    "decimal": "число с дробью",
    "bool": "да/нет",
    "choice": "выбор из списка",
    "text": "текст",
}
NUMERIC_TYPES = ("int", "percent", "decimal", "bool")  # the types a rule may use
PERCENT_RANGE = (Decimal(0), Decimal(100))


class Indicator(BaseModel):
    """A monitoring indicator of the catalogue; a programme picks its targets from it."""

    code = CharField(max_length=30, unique=True)
    name = CharField(max_length=500)
    unit = CharField(max_length=50, default="%")
    direction = CharField(max_length=4, default="up")  # "up": a higher value is better
    is_active = BooleanField(default=True)  # offered in programmes
    value_type = CharField(max_length=10, default="percent")
    min_value = DecimalField(max_digits=21, decimal_places=6, null=True, auto_round=True)
    max_value = DecimalField(max_digits=21, decimal_places=6, null=True, auto_round=True)
    choices = TextField(default="")  # for "choice": one option per line

    @property
    def direction_label(self):
        return DIRECTIONS.get(self.direction, self.direction)

    @property
    def higher_is_better(self):
        return self.direction != "down"

    @property
    def better_label(self):
        """Which value is better, in a word: «↑ больше», «↓ меньше»; «да»/«нет» for yes/no;
        «—» for text and lists, where direction means nothing."""
        if self.value_type in ("text", "choice"):
            return "—"
        if self.value_type == "bool":
            return "«да»" if self.higher_is_better else "«нет»"
        return "↑ больше" if self.higher_is_better else "↓ меньше"

    @property
    def value_type_label(self):
        return VALUE_TYPES.get(self.value_type, self.value_type)

    @property
    def options(self):
        return [line.strip() for line in (self.choices or "").splitlines() if line.strip()]

    @property
    def bounds(self):
        """(low, high) the value must lie in, None for an open side; a percent is 0–100 at most."""
        low, high = self.min_value, self.max_value
        if self.value_type == "percent":
            low = PERCENT_RANGE[0] if low is None else max(low, PERCENT_RANGE[0])
            high = PERCENT_RANGE[1] if high is None else min(high, PERCENT_RANGE[1])
        if self.value_type not in ("int", "percent", "decimal"):
            return None, None
        return low, high


    @property
    def range_label(self):
        """«0 – 100», «от 0», «до 12,5», the options of a list, or «—»."""
        if self.value_type == "choice":
            return " / ".join(self.options) or "—"
        low, high = self.bounds
        if low is not None and high is not None:
            return f"{plain(low)} – {plain(high)}"
        if low is not None:
            return f"от {plain(low)}"
        if high is not None:
            return f"до {plain(high)}"
        return "—"


def plain(value):
    """Decimal('12.500000') → «12,5»."""
    text = format(Decimal(value).normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class IndicatorRule(BaseModel):
    """A consistency rule between indicators of one form, e.g. `failed <= participants`."""

    expression = CharField(max_length=500)
    message = CharField(max_length=500)  # shown next to every field the rule names
    is_active = BooleanField(default=True)
    codes = CharField(max_length=1000, default="")  # " failed participants ": for lookup
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    @property
    def code_list(self):
        return self.codes.split()

    @classmethod
    def using(cls, code):
        """The rules that name this indicator code."""
        return cls.select().where(cls.codes.contains(f" {code} "))
