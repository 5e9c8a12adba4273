"""Formatting shared by HTML pages and .docx documents (ГОСТ Р 7.0.97-2016 forms)."""
import re
from datetime import date, datetime

from babel.dates import format_date


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def date_num(value):
    """05.06.2020 — the date requisite and table cells."""
    d = _as_date(value)
    return d.strftime("%d.%m.%Y") if d else ""


def date_words(value):
    """«5 июня 2020 г.» — dates inside text; month genitive from Babel's Russian locale."""
    d = _as_date(value)
    return f"{format_date(d, 'd MMMM y', locale='ru')} г." if d else ""


def datetime_num(value):
    return value.strftime("%d.%m.%Y %H:%M") if value else ""


def fio_short(full_name):
    """«Иванов Иван Иванович» → «И.И. Иванов» (signature form)."""
    parts = (full_name or "").split()
    if len(parts) < 2:
        return full_name or ""
    surname, *names = parts
    initials = "".join(f"{n[0]}." for n in names[:2])
    return f"{initials} {surname}"


def plural_ru(n, one, few, many):
    """1 школа, 2 школы, 5 школ."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


FILTERS = {
    "date_num": date_num,
    "date_words": date_words,
    "datetime_num": datetime_num,
    "fio_short": fio_short,
    "plural_ru": plural_ru,
}


def init_app(app):
    app.jinja_env.filters.update(FILTERS)


def place_of(address):
    """«г. Новоречинск» from an address, for the place of issue of a document."""
    match = re.search(r"(?:^|,\s*)((?:г|с|п|пгт)\.\s*[^,]+)", address or "")
    return match.group(1).strip() if match else ""


_GENITIVE = {"управление": "управления", "комитет": "комитета", "департамент": "департамента",
             "министерство": "министерства", "отдел": "отдела", "администрация": "администрации"}


def genitive(name):
    """«Управление образования …» → «управления образования …» for «приказом …»."""
    first, _, rest = (name or "").partition(" ")
    word = _GENITIVE.get(first.lower())
    return f"{word} {rest}".strip() if word else name
