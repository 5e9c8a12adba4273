"""Typed indicator values as people type them, and one form's checks (ranges and rules)."""
from decimal import Decimal

import pytest

from blueprints.core.values import check_values, read_value
from models import Indicator, IndicatorRule


def indicator(kind, code="x", low=None, high=None, choices=""):
    return Indicator(code=code, name=code, value_type=kind, min_value=low, max_value=high,
                     choices=choices)


@pytest.mark.parametrize("kind, text, value", [
    ("decimal", "12,5", Decimal("12.5")),
    ("decimal", "12.5", Decimal("12.5")),
    ("decimal", " -3 ", Decimal("-3")),
    ("decimal", "1 200,25", Decimal("1200.25")),
    ("percent", "12,5", Decimal("12.5")),
    ("percent", "12,5 %", Decimal("12.5")),
    ("percent", "100", Decimal("100")),
    ("percent", "0", Decimal("0")),
    ("int", "12", 12),
    ("int", "1 200", 1200),
    ("bool", "да", True),
    ("bool", "Нет", False),
    ("text", "  Проведены консультации  ", "Проведены консультации"),
    ("decimal", "", None),
    ("int", "   ", None),
    ("bool", None, None),
])
def test_read_value_accepts(kind, text, value):
    got, error = read_value(indicator(kind), text)
    assert error is None and got == value and type(got) is type(value)


@pytest.mark.parametrize("kind, text, message", [
    ("int", "12,5", "целое число"),
    ("int", "12.5", "целое число"),
    ("int", "12,0", "целое число"),
    ("int", "двенадцать", "целое число"),
    ("percent", "101", "от 0 до 100"),
    ("percent", "-1", "от 0 до 100"),
    ("percent", "100,01", "от 0 до 100"),
    ("decimal", "12,5,1", "Введите число"),
    ("decimal", "1e5", "Введите число"),
    ("decimal", "nan", "Введите число"),
    ("decimal", "Infinity", "Введите число"),
    ("decimal", "1" * 40, "Введите число"),
    ("bool", "может быть", "«да» или «нет»"),
    ("text", "я" * 2001, "Не длиннее 2000"),
])
def test_read_value_refuses_in_russian(kind, text, message):
    got, error = read_value(indicator(kind), text)
    assert got is None and message in error


def test_ranges():
    counted = indicator("int", low=Decimal(0), high=Decimal(50))
    assert read_value(counted, "50") == (50, None)
    assert read_value(counted, "51") == (None, "Значение должно быть от 0 до 50.")
    assert read_value(indicator("decimal", low=Decimal("0.5")), "0,4") == (
        None, "Значение не может быть меньше 0,5.")
    assert read_value(indicator("decimal", high=Decimal("12.5")), "13") == (
        None, "Значение не может быть больше 12,5.")
    narrower = indicator("percent", low=Decimal(10), high=Decimal(200))  # percent stays ≤ 100
    assert read_value(narrower, "101")[1] == "Значение должно быть от 10 до 100."
    assert read_value(narrower, "9")[1] == "Значение должно быть от 10 до 100."


def test_choice_from_the_list():
    mood = indicator("choice", choices="высокая\nсредняя\nнизкая")
    assert read_value(mood, "Средняя") == ("средняя", None)
    value, error = read_value(mood, "отличная")
    assert value is None and "«высокая», «средняя», «низкая»" in error


CATALOGUE = [indicator("int", "participants", low=Decimal(0)),
             indicator("int", "failed", low=Decimal(0)),
             indicator("percent", "share_2"),
             indicator("text", "measures")]
RULES = [IndicatorRule(expression="failed <= participants", is_active=True,
                       message="Получивших «2» больше, чем участников."),
         IndicatorRule(expression="share_2 == failed / participants * 100 ± 0,5", is_active=True,
                       message="Доля «2» не сходится с числами."),
         IndicatorRule(expression="measures > 1", is_active=True, message="Не числовое."),
         IndicatorRule(expression="failed == 0", is_active=False, message="Выключено."),
         IndicatorRule(expression="f(x) > 1", is_active=True, message="Испорчено.")]


def test_check_values_attaches_a_broken_rule_to_every_field_it_names():
    errors = check_values(CATALOGUE, RULES, {"participants": "20", "failed": "25",
                                             "share_2": "125", "measures": "Беседы"})
    assert errors == {"participants": ["Получивших «2» больше, чем участников."],
                      "failed": ["Получивших «2» больше, чем участников."],
                      "share_2": ["Значение должно быть от 0 до 100."]}


def test_check_values_all_consistent():
    assert check_values(CATALOGUE, RULES, {"participants": "26", "failed": "4",
                                           "share_2": "15,4"}) == {}


def test_check_values_share_rule_with_tolerance():
    errors = check_values(CATALOGUE, RULES, {"participants": "26", "failed": "4",
                                             "share_2": "17"})
    message = "Доля «2» не сходится с числами."
    assert errors == {"share_2": [message], "failed": [message], "participants": [message]}


def test_an_empty_or_wrong_field_does_not_break_a_rule():
    assert check_values(CATALOGUE, RULES, {"participants": "", "failed": "25"}) == {}
    errors = check_values(CATALOGUE, RULES, {"participants": "20,5", "failed": "25"})
    assert errors == {"participants": ["Введите целое число, без дробной части."]}
