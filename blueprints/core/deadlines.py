"""Read a free-text deadline («октябрь 2026», «II квартал», «ежемесячно») into a date range and a
recurrence: road-map activities and partnership plan rows are written this way. Shared here
because features import only core/.

`read_deadline(text, period_start, period_end)` never raises and never rejects: text it
cannot read comes back as written with `is_read=False`, for the user to see flagged.

How a text is read:
- recurrences («ежемесячно», «1 раз в 2 месяца», «2 раза в год», «постоянно»,
  «по мере необходимости») and whole-period phrases («в течение года», «в течение
  учебного года», «в течение периода») are found first and cut out of the text;
- the rest is split into tokens: dates (25.12.2020, «1 сентября»), months in any case
  and form («январь», «января», «январе», «янв.»), quarters and half-years («II квартал»,
  «I-II квартал», «1 полугодие»), years and year ranges («2020», «2020-2021»), the
  school-year marker («учебный год», «уч. г.»), range dashes (-, –, —, «по») and «до»;
- each date, month, quarter or year, optionally followed by a range dash and a second
  one, is an item; a year after a month belongs to it, and the year at the end of a range
  also dates its start («сентябрь – октябрь 2020»). A bare year after a comma repeats the
  preceding months («Сентябрь 2020, 2021» = September of both years). Several items
  give the range from the earliest start to the latest end;
- «до X» ends at the start of X and has no start;
- a month without a year takes it from the road map's period: the period's first year,
  except for a two-year period, which is read as a school year (2020/2021: September to
  December are 2020, January to August 2021). The same rule makes «в течение года» the
  school year 1 Sep 2020 – 31 Aug 2021 for such a period, the calendar years otherwise;
- a recurrence with no dates covers the whole period, «по мере необходимости» no dates.
"""
import calendar
import re
from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class Deadline:
    text: str  # as written, stripped
    start: date | None = None
    end: date | None = None
    recurrence: str = ""  # normalised Russian label, "" when none
    is_read: bool = False  # False: nothing could be read, the text is kept as written


# --- months: every case form and the dotted abbreviations, from one table -------------

_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
           "сентябрь", "октябрь", "ноябрь", "декабрь")
_SOFT_ENDINGS = ("ь", "я", "е", "ю", "ем")  # январь, января, январе, январю, январем (ё → е)
_HARD_ENDINGS = ("", "а", "е", "у", "ом")  # март, марта, марте, марту, мартом


def _month_tables():
    """{form: number} for every case form, {abbreviation: number} for «янв», «сент»…"""
    forms = {"май": 5, "мая": 5, "мае": 5, "маю": 5, "маем": 5}
    abbreviations = {}
    for number, name in enumerate(_MONTHS, start=1):
        if name == "май":
            continue
        stem, endings = (name[:-1], _SOFT_ENDINGS) if name.endswith("ь") else (name, _HARD_ENDINGS)
        forms.update({stem + ending: number for ending in endings})
        abbreviations.update({name[:size]: number for size in range(3, len(name))})
    return forms, abbreviations


_MONTH_FORMS, _MONTH_ABBREVIATIONS = _month_tables()  # abbreviations count with a full stop


def _alternation(words):
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_MONTH = (rf"(?:(?:{_alternation(_MONTH_ABBREVIATIONS)})\.|(?:{_alternation(_MONTH_FORMS)}))"
          r"(?![а-я])")


def month_number(word):
    """1–12 for a Russian month name in any form («января», «янв.»), else None."""
    word = word.strip().lower().replace("ё", "е")
    if word.endswith("."):
        return _MONTH_ABBREVIATIONS.get(word[:-1])
    return _MONTH_FORMS.get(word)


# --- recurrences and whole-period phrases ---------------------------------------------

_PLURALS = {  # unit stem → forms after 1, 2–4, 5+ («в неделю», «в 2 недели», «в 5 недель»)
    "недел": ("неделю", "недели", "недель"), "месяц": ("месяц", "месяца", "месяцев"),
    "квартал": ("квартал", "квартала", "кварталов"),
    "полугоди": ("полугодие", "полугодия", "полугодий"), "год": ("год", "года", "лет"),
}
_EVERY = {"недел": "еженедельно", "месяц": "ежемесячно", "квартал": "ежеквартально",
          "год": "ежегодно"}
_RECURRENCE_WORDS = (  # pattern → label; the first found in the text wins
    (r"еженедельн\w*", "еженедельно"), (r"ежемесячн\w*", "ежемесячно"),
    (r"ежеквартальн\w*", "ежеквартально"), (r"ежегодн\w*", "ежегодно"),
    (r"постоянн\w*", "постоянно"), (r"по мере необходимости", "по мере необходимости"),
)
_TIMES = re.compile(r"(?:(\d+)\s*)?(?<![а-я])раза?\s+в\s+(?:(\d+)\s*)?"
                    r"(недел|месяц|квартал|полугоди|(?:учебный\s+)?год)[а-я]*")
_NO_DATES = "по мере необходимости"
_WHOLE = re.compile(r"в\s+течени[еи]\s+(?:всего\s+)?(?:(учебного\s+)?года|периода|"
                    r"срока\s+реализации|проекта)|весь\s+период|круглогодично")


def _plural(number, forms):
    if number % 10 == 1 and number % 100 != 11:
        return forms[0]
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return forms[1]
    return forms[2]


def _times_label(match):
    count = int(match.group(1) or 1)
    every = int(match.group(2) or 1)
    unit = "год" if match.group(3).endswith("год") else match.group(3)
    if count == 1 and every == 1 and unit in _EVERY:
        return _EVERY[unit]
    times = f"{count} {_plural(count, ('раз', 'раза', 'раз'))}"
    per = _PLURALS[unit][0] if every == 1 else f"{every} {_plural(every, _PLURALS[unit])}"
    return f"{times} в {per}"


def _recurrence(text):
    """The label of the first recurrence in the text ("" if none) and the spans of all."""
    found = [(m.start(), label, m.span()) for pattern, label in _RECURRENCE_WORDS
             for m in re.finditer(pattern, text)]
    found += [(m.start(), _times_label(m), m.span()) for m in _TIMES.finditer(text)]
    return (min(found)[1], [span for *_, span in found]) if found else ("", [])


# --- tokens ---------------------------------------------------------------------------

_PART_NUMBER = r"(?:[1-4]|iv|i{1,3})(?:\s*-?\s*(?:й|ый|ой|е))?"
_TOKENS = re.compile(
    r"(?P<date>\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b)"
    rf"|(?P<day>\b\d{{1,2}})\s+(?P<day_month>{_MONTH})"
    rf"|(?P<part>\b{_PART_NUMBER}(?:\s*-\s*{_PART_NUMBER})?\s*(?:кв\.|квартал|полугоди)[а-я]*)"
    r"|(?P<years>\b(?:19|20)\d{2}\s*[-/]\s*(?:(?:19|20)\d{2}|\d{2})\b(?!\.\d))"
    r"|(?P<year>\b(?:19|20)\d{2}\b)"
    rf"|(?P<month>(?<![а-я]){_MONTH})"
    r"|(?P<school>учебн[а-я]*\s+год[а-я]*|уч\.\s*г(?:од[а-я]*|\.)|у\.\s*г\.)"
    r"|(?P<dash>-|\bпо\b)|(?P<until>\bдо\b)|(?P<sep>[,;]|\bи\b)")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class _Point:
    """One date, month range (a month, a quarter) or year range, before years are known."""
    first_month: int = 0  # 0 for a full date or a year
    last_month: int = 0
    day: int = 0
    year: int | None = None
    last_year: int | None = None  # of a year range
    exact: date | None = None
    school: bool = False


def _tokens(text):
    for match in _TOKENS.finditer(text):
        yield match.lastgroup if match.lastgroup != "day_month" else "day", match


def _to_point(kind, match):
    value = match.group(kind)
    if kind == "date":
        day, month, year = (int(part) for part in value.split("."))
        try:
            return _Point(exact=date(year + 2000 if year < 100 else year, month, day))
        except ValueError:  # «31.02.2020»: not a date, the item is left out
            return None
    if kind == "day":
        month = month_number(match.group("day_month"))
        return _Point(first_month=month, last_month=month, day=int(value))
    if kind == "month":
        month = month_number(value)
        return _Point(first_month=month, last_month=month)
    if kind == "part":
        numbers = [_ROMAN.get(n) or int(n) for n in re.findall(r"iv|i{1,3}|[1-4]", value)]
        size = 6 if "полугод" in value else 3  # months in a half-year or a quarter
        return _Point(first_month=(numbers[0] - 1) * size + 1, last_month=numbers[-1] * size)
    if kind == "years":
        first, last = (int(n) for n in re.findall(r"\d+", value))
        return _Point(year=first, last_year=last + 2000 if last < 100 else last)
    return _Point(year=int(value), last_year=int(value))


def _read_point(tokens, i):
    """The point at tokens[i] with the year or school marker that follows it."""
    kind, match = tokens[i]
    point, i = _to_point(kind, match), i + 1
    if point is None:
        return None, i
    following = tokens[i][0] if i < len(tokens) else None
    if point.first_month and following == "year":
        point, i = replace(point, year=int(tokens[i][1].group())), i + 1
    elif kind in ("year", "years") and following == "school":
        point, i = replace(point, school=True), i + 1
    return point, i


def _items(tokens):
    """(first point, last point, is a «до …» item) for each date, month, quarter or year
    in the text, alone or as a range."""
    items, i, until, after_sep = [], 0, False, False
    while i < len(tokens):
        kind = tokens[i][0]
        if kind not in ("date", "day", "month", "part", "year", "years"):
            until, after_sep, i = until or kind == "until", after_sep or kind == "sep", i + 1
            continue
        first, i = _read_point(tokens, i)
        last = first
        if i + 1 < len(tokens) and tokens[i][0] == "dash" and tokens[i + 1][0] not in (
                "dash", "until", "sep", "school"):
            last, i = _read_point(tokens, i + 1)
        if first is None or last is None:
            continue
        if after_sep and items and first.last_year == first.year and not first.first_month \
                and not first.exact and items[-1][0].first_month:
            previous_first, previous_last, _ = items[-1]  # «Сентябрь 2020, 2021»
            first = replace(previous_first, year=first.year)
            last = replace(previous_last, year=first.year)
        items.append((first, last, until))
        until = after_sep = False
    return items


# --- from points to dates -------------------------------------------------------------

def _is_school_period(period_start, period_end):
    return period_end == period_start + 1


def _year_of_month(month, period_start, period_end):
    if _is_school_period(period_start, period_end) and month < 9:
        return period_end
    return period_start


def _month_years(first, last, period):
    """Fill in missing years of a month range, the end's year dating the start."""
    if first.year is None and last.year is not None and last.first_month:
        wraps = first.first_month > last.first_month
        first = replace(first, year=last.year - 1 if wraps else last.year)
    if first.year is None:
        first = replace(first, year=_year_of_month(first.first_month, *period))
    if last.year is None:
        wraps = last.first_month < first.first_month
        last = replace(last, year=first.year + 1 if wraps else first.year)
    return first, last


def _start(point):
    if point.exact:
        return point.exact
    if point.first_month:
        return date(point.year, point.first_month, point.day or 1)
    return date(point.year, 9, 1) if point.school else date(point.year, 1, 1)


def _end(point):
    if point.exact:
        return point.exact
    if point.first_month:
        last_day = calendar.monthrange(point.year, point.last_month)[1]
        return date(point.year, point.last_month, point.day or last_day)
    if point.school:
        return date(max(point.last_year, point.year + 1), 8, 31)
    return date(point.last_year, 12, 31)


def whole_period(period_start, period_end, school=False):
    """The dates of the road map's period (a school year for a two-year period)."""
    if school or _is_school_period(period_start, period_end):
        return date(period_start, 9, 1), date(max(period_end, period_start + 1), 8, 31)
    return date(period_start, 1, 1), date(period_end, 12, 31)


def _ranges(text, period):
    ranges = []
    for first, last, until in _items(list(_tokens(text))):
        try:
            if first.first_month or last.first_month:
                first, last = _month_years(first, last, period)
            start, end = _start(first), _end(last)
        except (ValueError, TypeError):  # «31.02.2020», a month range against a year
            continue
        ranges.append((None, start) if until else (start, end))
    return ranges


def read_deadline(text, period_start: int, period_end: int) -> Deadline:
    """Read a deadline as written in a road map; see the module docstring for the rules."""
    written = (text or "").strip()
    lowered = " ".join(written.lower().replace("ё", "е").split())
    lowered = re.sub(r"[–—‒−]", "-", lowered)
    recurrence, spans = _recurrence(lowered)
    whole = _WHOLE.search(lowered)
    for start, end in sorted(spans + ([whole.span()] if whole else []), reverse=True):
        lowered = f"{lowered[:start]} ; {lowered[end:]}"  # cut out, so no tokens come from it
    period = (period_start, period_end)
    ranges = _ranges(lowered, period)
    if ranges:
        starts = [start for start, _ in ranges if start]
        start, end = (min(starts) if starts else None), max(end for _, end in ranges)
    elif whole or (recurrence and recurrence != _NO_DATES):
        start, end = whole_period(*period, school=bool(whole and whole.group(1)))
    else:
        start = end = None
    return Deadline(written, start, end, recurrence, bool(ranges or whole or recurrence))
