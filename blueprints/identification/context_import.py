"""The school context of a year from an .xlsx: one row per school (short or full name, or ИНН),
«Сельская» (да / нет), the number of students and the five shares in %. Errors are reported by
row and nothing is saved; a clean file is saved all at once (services.save_contexts)."""
import re
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook

from models import CONTEXT_SHARES, Organization

from ..core.orgnames import name_key
from ..core.sheets import header_sheet, workbook_bytes
from ..core.tables import TableProblem, non_empty_rows, xlsx_rows

MAX_ROWS = 2000
COLUMNS = {
    "school": ["Школа", "Общеобразовательная организация", "ОО", "Наименование", "ИНН"],
    "is_rural": ["Сельская", "Сельская школа", "Село"],
    "students": ["Обучающихся", "Число обучающихся", "Контингент"],
    "low_income": ["Малоимущие семьи, %", "Малоимущие", "Малоимущие семьи"],
    "single_parent": ["Неполные семьи, %", "Неполные семьи", "Неполные"],
    "preventive": ["Профилактические учёты, %", "Профилактический учёт", "Профучёт",
                   "Профилактические учёты"],
    "special_needs": ["ОВЗ, %", "ОВЗ", "Обучающиеся с ОВЗ"],
    "non_native": ["Русский язык не родной, %", "Неродной русский", "Русский не родной"],
}
HEADERS = [names[0] for names in COLUMNS.values()]


class ImportProblem(Exception):
    """The file as a whole cannot be read; the message says why, in Russian."""


def _norm(text):
    return re.sub(r"[^0-9a-zа-я]+", "", str(text or "").lower().replace("ё", "е"))


_LOOKUP = {_norm(name): field for field, names in COLUMNS.items() for name in names}


def read(data):
    """({school_id: values}, [«строка 3: …»]) of an uploaded file."""
    try:
        table = non_empty_rows(xlsx_rows(data), MAX_ROWS + 10, 200)
    except TableProblem as problem:
        raise ImportProblem(str(problem)) from problem
    for position, (_, header) in enumerate(table[:10]):
        mapping = {}
        for index, title in enumerate(header):
            field = _LOOKUP.get(_norm(title))
            if field and field not in mapping:
                mapping[field] = index
        if "school" in mapping:
            break
    else:
        raise ImportProblem("Не найдена строка заголовков со столбцом «Школа».")
    schools = list(Organization.select(Organization.id, Organization.short_name,
                                       Organization.full_name, Organization.inn)
                   .where(Organization.kind == "school"))
    keys = {}
    for school in schools:
        for key in {name_key(school.short_name), name_key(school.full_name), school.inn.strip()}:
            if key:
                keys.setdefault(key, set()).add(school.id)
    rows, errors = {}, []
    for line, cells in table[position + 1:]:
        value = {f: (cells[i] if i < len(cells) else "").strip() for f, i in mapping.items()}
        found = keys.get(name_key(value["school"]), set()) | keys.get(value["school"], set())
        if len(found) != 1:
            errors.append(f"строка {line}: школа «{value['school'][:100]}» "
                          + ("подходит к нескольким школам — укажите ИНН" if found
                             else "не найдена в справочнике"))
            continue
        school = found.pop()
        values = {"is_rural": _norm(value.get("is_rural")) in ("да", "1", "сельская", "село")}
        for name in ("students", *CONTEXT_SHARES):
            text = (value.get(name) or "0").replace(",", ".").replace("%", "").strip() or "0"
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                errors.append(f"строка {line}: «{text[:20]}» — не число")
                continue
            if name == "students":
                if number != number.to_integral_value() or not 0 <= number <= 10000:
                    errors.append(f"строка {line}: число обучающихся — целое от 0 до 10000")
                values[name] = int(number) if number == number.to_integral_value() else 0
            elif not 0 <= number <= 100:
                errors.append(f"строка {line}: доля {text} вне 0–100 %")
            else:
                values[name] = number.quantize(Decimal("0.1"))
        if school in rows:
            errors.append(f"строка {line}: школа уже есть в файле выше")
        rows[school] = values
    if not rows and not errors:
        raise ImportProblem("Под строкой заголовков нет ни одной школы.")
    return rows, errors


def template_xlsx():
    book = Workbook()
    header_sheet(book.active, "Социальный контекст", HEADERS, [40, 10, 14, 14, 14, 16, 10, 16])
    return workbook_bytes(book)
