"""Typed indicator values as people type them, and the checks of one form's values.

`read_value(indicator, text)` reads one input per the indicator's type; `check_values` reads a
whole form and applies the consistency rules. No request code: the reference page, school
report forms and the .xlsx import all use these."""
import re
from decimal import Decimal, InvalidOperation

from models import NUMERIC_TYPES
from models.indicator import plain

from .expressions import RuleError, parse

TEXT_LIMIT = 2000
_NUMBER = re.compile(r"[+-]?(\d+)(?:[.,](\d+))?")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
YES = ("да", "д", "yes", "1", "true")
NO = ("нет", "н", "no", "0", "false")


def format_number(value):
    """12.50 → «12,5»: a decimal comma, no trailing zeros; True → «да»."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, (Decimal, int)):
        return plain(value)
    return str(value)


def parse_number(text):
    """Decimal from «12,5» / «12.5» / «1 200»; None if it is not a number."""
    cleaned = _SPACES.sub("", text)
    match = _NUMBER.fullmatch(cleaned)
    if match is None or len(match.group(1)) > 15 or len(match.group(2) or "") > 6:
        return None
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover — the pattern already holds
        return None


def _range_error(indicator, value):
    low, high = indicator.bounds
    if low is not None and high is not None and not low <= value <= high:
        return f"Значение должно быть от {format_number(low)} до {format_number(high)}."
    if low is not None and value < low:
        return f"Значение не может быть меньше {format_number(low)}."
    if high is not None and value > high:
        return f"Значение не может быть больше {format_number(high)}."
    return None


def read_value(indicator, text):
    """(value, None) or (None, error in Russian); an empty input is (None, None).

    int → int; percent and decimal → Decimal; bool → True/False; choice → the option as
    written in the catalogue; text → str."""
    text = (text if isinstance(text, str) else "" if text is None else str(text)).strip()
    if not text:
        return None, None
    kind = indicator.value_type
    if kind == "text":
        if len(text) > TEXT_LIMIT:
            return None, f"Не длиннее {TEXT_LIMIT} символов."
        return text, None
    if kind == "bool":
        lowered = text.lower()
        if lowered in YES:
            return True, None
        if lowered in NO:
            return False, None
        return None, "Ответьте «да» или «нет»."
    if kind == "choice":
        for option in indicator.options:
            if option.lower() == text.lower():
                return option, None
        return None, "Выберите значение из списка: " + ", ".join(
            f"«{o}»" for o in indicator.options) + "."
    if kind == "percent":
        text = text.rstrip("%").strip()
    number = parse_number(text)
    if number is None:
        if kind == "int":
            return None, "Введите целое число."
        return None, "Введите число (дробную часть — через запятую, например 12,5)."
    if kind == "int":
        if number != number.to_integral_value() or re.search(r"[.,]", text):
            return None, "Введите целое число, без дробной части."
        number = int(number)
    error = _range_error(indicator, Decimal(number))
    if error:
        return None, error
    return number, None


def read_values(indicators, raw):
    """({code: value} of the inputs read, {code: [errors]}) for one form's raw texts."""
    values, errors = {}, {}
    for indicator in indicators:
        value, error = read_value(indicator, raw.get(indicator.code))
        if error:
            errors.setdefault(indicator.code, []).append(error)
        elif value is not None:
            values[indicator.code] = value
    return values, errors


def check_values(indicators, rules, raw):
    """{code: [messages]}: each input's own error, and every broken rule's message on every
    field the rule names. A rule over an empty or wrong field is not judged; a rule that no
    longer parses (a code renamed since) is skipped."""
    indicators = list(indicators)
    values, errors = read_values(indicators, raw)
    numeric = {i.code for i in indicators if i.value_type in NUMERIC_TYPES}
    usable = {code: value for code, value in values.items() if code in numeric}
    for rule in rules:
        if not getattr(rule, "is_active", True):
            continue
        try:
            parsed = parse(rule.expression)
        except RuleError:
            continue
        if parsed.evaluate(usable) is False:
            for code in parsed.names:
                if code in numeric:
                    messages = errors.setdefault(code, [])
                    if rule.message not in messages:
                        messages.append(rule.message)
    return errors


__all__ = ["check_values", "format_number", "parse_number", "read_value", "read_values"]
