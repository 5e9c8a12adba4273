"""Formatting shared by HTML pages and .docx documents (ГОСТ Р 7.0.97-2016 forms)."""
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.dates import format_date
from markupsafe import Markup
from num2words import num2words

NBSP = "\u00a0"


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


_INITIALS = re.compile(r"^(?:[А-ЯЁA-Z]\.\s*){1,2}$")


def fio_short(full_name):
    """«Иванов Иван Иванович» or «Иванов И.И.» → «И.И. Иванов» (signature form)."""
    parts = (full_name or "").split()
    if len(parts) < 2:
        return full_name or ""
    if _INITIALS.match("".join(parts[1:])):
        return f"{''.join(parts[1:]).replace(' ', '')} {parts[0]}"
    if _INITIALS.match("".join(parts[:-1])):  # already «И.И. Иванов»
        return f"{''.join(parts[:-1])} {parts[-1]}"
    surname, *names = parts
    initials = "".join(f"{n[0]}." for n in names[:2])
    return f"{initials} {surname}"


# --- a person's name in the case the sentence needs (Petrovich's rules, not ours) ----------

CASES = {"genitive": 0, "dative": 1, "accusative": 2, "instrumental": 3, "prepositional": 4,
         "родительный": 0, "дательный": 1, "винительный": 2, "творительный": 3,
         "предложный": 4}


@lru_cache(maxsize=1)
def _petrovich():
    from petrovich.main import Petrovich
    return Petrovich()


def gender_of(parts):
    """The grammatical gender from the patronymic (…вич / …вна), else from the surname."""
    from petrovich.enums import Gender
    for word in parts[1:]:
        if word.lower().endswith(("вич", "ич", "оглы")):
            return Gender.MALE
        if word.lower().endswith(("вна", "чна", "кызы")):
            return Gender.FEMALE
    if parts and parts[0].lower().endswith(("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")):
        return Gender.FEMALE
    return Gender.MALE


def fio_case(full_name, case="dative"):
    """«Иванов Иван Иванович» | fio_case('accusative') → «Иванова Ивана Ивановича»;
    «Петрова Е.В.» | fio_case('dative') → «Петровой Е.В.» (initials are left as they are)."""
    parts = (full_name or "").split()
    if not parts or case not in CASES:
        return full_name or ""
    case_index, gender, engine = CASES[case], gender_of(parts), _petrovich()
    try:
        out = [engine.lastname(parts[0], case_index, gender)]
        kinds = (engine.firstname, engine.middlename)
        for index, word in enumerate(parts[1:3]):
            out.append(word if "." in word else kinds[index](word, case_index, gender))
    except (ValueError, KeyError, IndexError):  # not a name Petrovich can read: as typed
        return full_name
    return " ".join(out + parts[3:])


# --- numbers and money --------------------------------------------------------------------

def _decimal(value):
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(" ", "").replace(NBSP, "").replace(",", "."))
    except InvalidOperation:
        return None


def number(value, places=None):
    """12345.5 → «12 345,5»: thousands by a non-breaking space, a decimal comma; four-digit
    numbers stay whole («2026»), as Russian typography writes them."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    if len(whole) > 4:
        whole = f"{int(whole):,}".replace(",", NBSP)
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


def money(value):
    """60000 → «60 000 (шестьдесят тысяч) руб. 00 коп.» (figures and words, num2words)."""
    amount = _decimal(value)
    if amount is None:
        return ""
    amount = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
    rubles, kopecks = divmod(int(abs(amount) * 100), 100)
    words = num2words(rubles, lang="ru")
    sign = "минус " if amount < 0 else ""
    return f"{sign}{number(rubles)} ({words}){NBSP}руб.{NBSP}{kopecks:02d}{NBSP}коп."


def money_num(value):
    """60000 → «60 000,00 руб.» (tables)."""
    amount = _decimal(value)
    return f"{number(amount, 2)}{NBSP}руб." if amount is not None else ""


# --- non-breaking spaces (every printed value of every document) --------------------------

_UNITS = (r"руб\.|коп\.|тыс\.|млн|млрд|%|‰|чел\.|человек[а]?|ч\.|мин\.|шт\.|км|кг|мм|см|м|"
          r"га|баллов|балла|балл|°C|₽")
_TYPO = [
    # «№ 45», «№№ 3», «§ 2»
    (re.compile(r"(№|§) +(?=\S)"), "\\1" + NBSP),
    # «г. Новоречинск», «ст. 12», «п. 3», «ч. 2», «с. Заречное»: the abbreviation stays with
    # what follows it
    (re.compile(r"(?<![А-Яа-яЁёA-Za-z])(г|гг|ст|п|пп|ч|с|пос|д|ул|т|см|рис|табл)\. (?=\S)"),
     "\\1." + NBSP),
    # «2026 г.», «2025–2026 гг.»
    (re.compile(r"(\d) (?=(?:г|гг)\.)"), "\\1" + NBSP),
    # initials and surname: «М.Е. Волков», «Волков М.Е.», and «М. Е.»
    (re.compile(r"(?<![А-Яа-яЁё])([А-ЯЁ]\.) (?=[А-ЯЁ]\.)"), "\\1" + NBSP),
    (re.compile(r"(?<![А-Яа-яЁё])((?:[А-ЯЁ]\.){1,2}) (?=[А-ЯЁ][а-яё])"), "\\1" + NBSP),
    (re.compile(r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?) (?=(?:[А-ЯЁ]\.){1,2}(?![А-Яа-яЁё]))"),
     "\\1" + NBSP),
    # a number and its unit: «60 000 руб.», «12 %»
    (re.compile(rf"(\d) (?=(?:{_UNITS})(?![А-Яа-яЁёA-Za-z]))"), "\\1" + NBSP),
    # thousands typed with a plain space: «60 000»
    (re.compile(r"(?<![\d.,])(\d{1,3}) (?=\d{3}(?![\d]))"), "\\1" + NBSP),
    # a dash is never the first thing on a line
    (re.compile(r" (?=— )"), NBSP),
]
# Five or more digits followed by a unit get their thousands separated («60000 руб.»);
# other digit runs (phones, ИНН, codes, «(39145)») are left as typed.
_BARE_AMOUNT = re.compile(rf"(?<![\d.,/\-–№])(\d{{5,}})(?=[ {NBSP}]?(?:{_UNITS})(?![А-Яа-яЁё]))")


def nbsp(text):
    """Russian typography for a printed string: non-breaking spaces after «№», «г.», «ст.»,
    «п.», inside «И.О. Фамилия», between a number and its unit and in thousands."""
    if not isinstance(text, str) or isinstance(text, Markup) or not text:
        return text
    return _typography(text)


@lru_cache(maxsize=8192)  # labels, names and headings repeat across a document and a package
def _typography(text):
    text = _BARE_AMOUNT.sub(lambda m: number(m.group(1)), text)
    for pattern, replacement in _TYPO:
        text = pattern.sub(replacement, text)
    return text


def printed(value):
    """What a document prints for a value: numbers grouped, text with non-breaking spaces.
    The engine applies it to every `{{ … }}` of every doctype (Jinja's finalize)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    if isinstance(value, str):
        return nbsp(value)
    return value


_ENDS_WITH_INITIAL = re.compile(r"(?:^|[\s.])[А-ЯЁA-Z]\.$")


def strip_end(text):
    """Text without its closing «.», «;» or «,» — but «Смирнова Л.А.» keeps its initial's dot."""
    text = (text or "").strip()
    while text and text[-1] in ".;," and not _ENDS_WITH_INITIAL.search(text):
        text = text[:-1].rstrip()
    return text


def clause_sentence(text, executor="", deadline="", end="."):
    """A clause of an order or a decision of a protocol as one sentence:
    «назначить ответственных; ответственный — руководители ОО, срок — до 15.09.2026;».
    `end` is «.» or «;» by the clause's position; a clause that introduces sub-clauses keeps
    its colon."""
    text = (text or "").strip()
    executor, deadline = strip_end(executor), strip_end(deadline)
    if text.endswith(":") and not (executor or deadline):
        return text
    body = text.rstrip(".;,: ")
    tail = []
    if executor:
        tail.append(f"ответственный — {executor}")
    if deadline:
        if re.match(r"\d", deadline):  # a bare date: «до 15.09.2026»
            deadline = f"до {deadline}"
        elif re.match(r"(?i)до\s", deadline):
            deadline = "до " + deadline[2:].lstrip()
        tail.append(f"срок — {deadline[0].lower()}{deadline[1:]}")
    if tail:
        body = f"{body}; {', '.join(tail)}" if body else ", ".join(tail).capitalize()
        if body.endswith(".") and _ENDS_WITH_INITIAL.search(body):
            return body if end == "." else body + end  # «… — Смирнова Л.А.» ends the sentence
    return body + end


def preamble_text(text, imperative=True):
    """The preamble ends with a comma before «ПРИКАЗЫВАЮ:» (a colon when it already has one)."""
    text = (text or "").strip()
    if not text:
        return ""
    if text.endswith((",", ":")):
        return text
    text = text.rstrip(".;")
    return text + ("," if imperative else ".")


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
    "fio_case": fio_case,
    "plural_ru": plural_ru,
    "number": number,
    "money": money,
    "money_num": money_num,
    "nbsp": nbsp,
}


def init_app(app):
    app.jinja_env.filters.update(FILTERS)


def place_of(address):
    """«г. Новоречинск» from an address, for the place of issue of a document."""
    match = re.search(r"(?:^|,\s*)((?:г|с|п|пгт)\.\s*[^,]+)", address or "")
    return match.group(1).strip() if match else ""


_GENITIVE = {"управление": "управления", "комитет": "комитета", "департамент": "департамента",
             "министерство": "министерства", "отдел": "отдела", "администрация": "администрации"}


@lru_cache(maxsize=1)
def morph_analyzer():
    import pymorphy3
    return pymorphy3.MorphAnalyzer()


def genitive(name):
    """«Управление образования …» → «управления образования …», «Муниципальное бюджетное
    общеобразовательное учреждение «СОШ № 1»» → «муниципального бюджетного … учреждения
    «СОШ № 1»» for «к приказу …», «приказом …»: the words up to the head noun are put in the
    genitive by pymorphy3's dictionary; abbreviations and quoted names are left as typed."""
    words = (name or "").split(" ")
    if not name or not words[0][:1].isalpha() or words[0].isupper():
        return name
    try:
        morph = morph_analyzer()
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        first, _, rest = name.partition(" ")
        word = _GENITIVE.get(first.lower())
        return f"{word} {rest}".strip() if word else name
    out = []
    for index, word in enumerate(words):
        parse = None
        if word.isalpha() and not word.isupper():
            parse = next((p for p in morph.parse(word) if "nomn" in p.tag
                          and p.tag.POS in ("NOUN", "ADJF", "PRTF")), None)
        inflected = parse.inflect({"gent"}) if parse else None
        if inflected is None:
            return " ".join(out + words[index:]) if out else name
        out.append(inflected.word if index == 0 or word.islower() else
                   inflected.word[:1].upper() + inflected.word[1:])
        if parse.tag.POS == "NOUN":
            return " ".join(out + words[index + 1:])
    return " ".join(out)


def deadline_text(activity):
    """The deadline as written; the dates when nothing was written («01.09.2026 – 31.10.2026»)."""
    text = (activity.get("deadline_text") or "").strip()
    if text:
        return text
    start, end = activity.get("starts_on"), activity.get("ends_on")
    if start and end and start != end:
        return f"{date_num(start)} – {date_num(end)}"
    if end:
        return f"до {date_num(end)}" if not start else date_num(end)
    return date_num(start) if start else ""


def percent(part, whole):
    """Rounded half up: 3 of 8 → 38."""
    return (200 * part + whole) // (2 * whole) if whole else 0
