"""Read a directory of schools from .xlsx or .csv, validating every row before anything is saved.

Columns are found by their Russian header names, in any order. Each row is checked
with the same form as the card, so messages are the ones a user sees when editing.
Rows are read one at a time and reading stops at the row limit: a 5 MB file of 1.3 M short
rows once took 813 MB and 6.9 s before being refused.
"""
import csv
import io
import re

from openpyxl import Workbook
from werkzeug.datastructures import MultiDict

from ..core.sheets import append_text
from ..core.tables import TableProblem, non_empty_rows, xlsx_rows
from .forms import OrganizationForm

MAX_ROWS = 5000
HEADER_ROWS = 10  # the header is looked for among the first non-empty rows
MAX_EMPTY_ROWS = 1000  # a sheet formatted far below its data, or blank lines, end the table

# field → header names seen in municipal spreadsheets (normalised by _norm).
COLUMNS = {
    "full_name": ["Полное наименование", "Полное наименование организации", "Наименование ОО",
                  "Наименование организации", "Наименование"],
    "short_name": ["Краткое наименование", "Сокращённое наименование", "Краткое название"],
    "municipality": ["Муниципальное образование", "Муниципалитет", "Район", "МО"],
    "address": ["Адрес", "Юридический адрес", "Фактический адрес"],
    "inn": ["ИНН"],
    "kpp": ["КПП"],
    "phone": ["Телефон", "Контактный телефон"],
    "email": ["E-mail", "Email", "Электронная почта", "Эл. почта", "Адрес электронной почты"],
    "head_position": ["Должность руководителя"],
    "head_name": ["ФИО руководителя", "Руководитель", "Директор"],
    "is_leader": ["Школа-лидер", "Лидер"],
    "is_low_result": ["ШНОР", "Низкие результаты"],
}
REQUIRED_COLUMNS = ("full_name", "municipality")
EXPORT_HEADERS = {field: names[0] for field, names in COLUMNS.items()}
YES = {"да", "1", "true", "yes", "+", "x", "х", "v"}


class ImportProblem(Exception):
    """The file as a whole cannot be read; the message says why, in Russian."""


def _norm(text):
    text = str(text or "").lower().replace("ё", "е")
    return re.sub(r"[^0-9a-zа-я]+", "", text)


_LOOKUP = {_norm(name): field for field, names in COLUMNS.items() for name in names}


def read_table(filename, data):
    """The rows of the first sheet (or the CSV) as lists, one at a time (a generator: close
    it when stopping early)."""
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return _read_csv(data)
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    raise ImportProblem("Нужен файл .xlsx или .csv.")


class _Semicolon(csv.excel):
    delimiter = ";"  # what Russian-locale Excel writes


def _read_csv(data):
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportProblem("Не удалось прочитать CSV: сохраните его в кодировке UTF-8.")
    if "\x00" in text:
        raise ImportProblem("Это не текстовый CSV-файл.")
    # The sniffer splits lines on "\n" only: give it CR-only files (old Mac Excel) the same way.
    sample = text[:4096].replace("\r\n", "\n").replace("\r", "\n")
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon
    # newline="": lines end at \r, \n or \r\n, and the csv module sees the ends as they are.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        yield from reader
    except csv.Error as error:  # a field over csv.field_size_limit(), a stray quote…
        if "field limit" in str(error):
            raise ImportProblem(f"Слишком длинное поле в строке {reader.line_num}: в ячейке "
                                f"не больше {csv.field_size_limit():_} символов."
                                .replace("_", " ")) from error
        raise ImportProblem(f"Не удалось прочитать CSV (строка {reader.line_num}): проверьте "
                            "кавычки и разделители.") from error


def _read_xlsx(data):
    try:
        yield from xlsx_rows(data)
    except TableProblem as problem:
        raise ImportProblem(str(problem)) from problem


class _Row(list):
    """A row's cells plus its line number in the file, for messages."""

    def __init__(self, line, cells):
        super().__init__(cells)
        self.line = line


def parse(filename, data):
    """Return rows as dicts with 'line' (as in the file), 'data' and 'errors'."""
    table = _non_empty_rows(filename, data)
    if not table:
        raise ImportProblem("Файл пуст.")
    # The header may sit below a title: take the first of the top rows naming the required columns.
    for position, header in enumerate(table[:HEADER_ROWS]):
        mapping = _map_columns(header)
        if all(f in mapping for f in REQUIRED_COLUMNS):
            break
    else:
        mapping = _map_columns(table[0])
        missing = [EXPORT_HEADERS[f] for f in REQUIRED_COLUMNS if f not in mapping]
        raise ImportProblem("Не найдена строка заголовков со столбцами: "
                            + ", ".join(f"«{m}»" for m in missing) + ".")
    body = table[position + 1:]
    if len(body) > MAX_ROWS:
        raise ImportProblem(f"Слишком много строк: не больше {MAX_ROWS} за один раз.")
    if not body:
        raise ImportProblem("Под строкой заголовков нет ни одной организации.")
    rows, seen_inn = [], {}
    for raw in body:
        values = {f: (raw[i] if i < len(raw) else "") for f, i in mapping.items()}
        rows.append(_validate_row(raw.line, values, seen_inn))
    return rows


def _non_empty_rows(filename, data):
    """The non-empty rows, read no further than parse() can use: more than HEADER_ROWS +
    MAX_ROWS of them is «too many» wherever the header is; MAX_EMPTY_ROWS empty rows in a row
    end the table."""
    return [_Row(line, cells) for line, cells in non_empty_rows(
        read_table(filename, data), HEADER_ROWS + MAX_ROWS, MAX_EMPTY_ROWS)]


def _map_columns(header):
    mapping = {}
    for index, title in enumerate(header):
        field = _LOOKUP.get(_norm(title))
        if field and field not in mapping:
            mapping[field] = index
    return mapping


def _validate_row(line, values, seen_inn):
    values.setdefault("short_name", "")
    if not values["short_name"]:
        values["short_name"] = values.get("full_name", "")[:200]
    formdata = MultiDict({k: v for k, v in values.items() if k not in ("is_leader", "is_low_result")})
    formdata["kind"] = "school"
    for flag in ("is_leader", "is_low_result"):
        if _norm(values.get(flag, "")) in YES or values.get(flag, "").strip().lower() in YES:
            formdata[flag] = "y"
    form = OrganizationForm(formdata=formdata, meta={"csrf": False})
    form.validate()
    errors = [f"{form[name].label.text}: {message}"
              for name, messages in form.errors.items() for message in messages]
    inn = form.inn.data
    if inn and inn in seen_inn:
        errors.append(f"ИНН: повторяет строку {seen_inn[inn]}.")
    elif inn:
        seen_inn[inn] = line
    data = {name: form[name].data for name in ("kind", *COLUMNS)}
    for name in COLUMNS:
        if data[name] is None:
            data[name] = ""
    return {"line": line, "data": data, "errors": errors}


def export_xlsx(organizations):
    """The directory as a workbook whose headers the importer reads back."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Справочник"
    fields = ["kind", *COLUMNS]
    append_text(sheet, ["Вид"] + [EXPORT_HEADERS[f] for f in COLUMNS])
    for org in organizations:
        row = []
        for field in fields:
            value = getattr(org, field)
            if field == "kind":
                value = org.kind_label
            elif isinstance(value, bool):
                value = "да" if value else ""
            row.append(value)
        append_text(sheet, row)
    for column, width in zip("ABCDEFGHIJKLM", (22, 60, 30, 30, 40, 14, 12, 18, 28, 24, 30, 12, 8)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def revalidate(rows):
    """Check stored preview rows again at confirmation (another import may have taken an ИНН)."""
    seen = {}
    return [_validate_row(row["line"], {k: ("да" if v is True else "" if v is False else v)
                                        for k, v in row["data"].items() if k != "kind"}, seen)
            for row in rows]
