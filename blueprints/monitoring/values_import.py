"""Many schools' report values from one .xlsx: the template the centre sends out (a row per
school of the campaign, a column per indicator with its code in the header), and reading a
filled one back — every value read as the report form reads it and every row checked with the
consistency rules, saving nothing (reports.import_values saves all rows or none).

The file is read twice: its values (core/tables.xlsx_rows), then the sheet's XML for what the
values hide — merged header cells and formulas (a formula is not a value the school gave)."""
import re

from openpyxl import Workbook

from ..core.archives import ArchiveRejected, open_archive
from ..core.sheets import append_text, header_sheet, workbook_bytes
from ..core.tables import TableProblem, non_empty_rows, xlsx_rows
from ..core.values import check_values
from .importer import _CELL, _MERGE, _REF, _first_sheet

INN, SCHOOL = "ИНН", "Образовательная организация"
_CODE = re.compile(r"\[([A-Za-z0-9_]+)\]\s*$")
MAX_ROWS = 2000


class ImportProblem(Exception):
    """The file as a whole cannot be read; the message says why, in Russian."""


def header_of(indicator):
    unit = "%" if indicator.value_type == "percent" else indicator.unit
    unit = f", {unit}" if unit and indicator.value_type in ("int", "percent", "decimal") else ""
    return f"{indicator.name}{unit} [{indicator.code}]"


def template_xlsx(campaign, indicators, reports):
    """The empty template: ИНН and name of every school of the campaign, a column per
    indicator («Name, unit [code]»: the code is how the import finds the column)."""
    book = Workbook()
    sheet = header_sheet(book.active, "Значения", [INN, SCHOOL] + [
        header_of(i) for i in indicators], [14, 40] + [22] * len(indicators))
    for report in reports:
        append_text(sheet, [report.school.inn, report.school.short_name])
    notes = book.create_sheet("Как заполнять")
    for line in (campaign.title, f"Период: {campaign.period_label}",
                 "Заполните значения в строке своей школы. Дробную часть пишите через запятую.",
                 "Да/нет — словами «да» или «нет». Не меняйте заголовки, не объединяйте ячейки, "
                 "не вставляйте формулы."):
        append_text(notes, [line])
    return workbook_bytes(book)


def _check_sheet(data):
    """Merged cells and formulas: refused, naming the cell."""
    try:
        sheet = _first_sheet(open_archive(data, damaged="Файл повреждён."))
    except ArchiveRejected as error:
        raise ImportProblem(str(error)) from error
    merged = _MERGE.findall(sheet)
    if merged:
        first = merged[0]
        ref = f"{first[0].decode()}{first[1].decode()}:{first[2].decode()}{first[3].decode()}"
        where = "В заголовке таблицы" if int(first[1]) <= 1 else "В таблице"
        raise ImportProblem(f"{where} есть объединённые ячейки ({ref}). Разъедините их: у каждого "
                            "столбца и каждой школы должна быть своя ячейка.")
    for attributes, inner in _CELL.findall(sheet):
        if inner and re.search(rb"<(?:\w+:)?f\b", inner):
            ref = _REF.search(attributes)
            cell = f"{ref.group(1).decode()}{ref.group(2).decode()}" if ref else "?"
            raise ImportProblem(f"В ячейке {cell} формула. Замените формулы значениями "
                                "(«Вставить как значения») и загрузите файл снова.")


def read_table(data, indicators, reports, rules):
    """{"columns": [codes], "rows": [{"line", "school", "report_id", "status", "values":
    {code: text}, "empty", "cells": {code: message}, "errors": [messages]}]} of an uploaded
    file; a school's row left blank is `empty` (its report is not touched). ImportProblem when
    the file as a whole cannot be read."""
    try:
        table = non_empty_rows(xlsx_rows(data), MAX_ROWS, 50)
    except TableProblem as error:
        raise ImportProblem(str(error)) from error
    _check_sheet(data)
    if not table:
        raise ImportProblem("В файле нет строк: скачайте шаблон и заполните его.")
    line, header = table[0]
    by_code = {i.code: i for i in indicators}
    columns = {}
    for index, title in enumerate(header):
        match = _CODE.search(title)
        if match and match.group(1) in by_code:
            columns[index] = match.group(1)
        elif match:
            raise ImportProblem(f"Столбец «{title}»: показателя с кодом {match.group(1)} нет в "
                                "форме кампании. Скачайте шаблон кампании заново.")
    if INN not in header and SCHOOL not in header:
        raise ImportProblem(f"В первой строке нет столбцов «{INN}» и «{SCHOOL}»: загрузите "
                            "файл, сделанный по шаблону кампании.")
    if not columns:
        raise ImportProblem("В первой строке нет столбцов показателей с кодом в скобках, "
                            "например «Участников ВПР, чел. [participants]»: загрузите файл, "
                            "сделанный по шаблону кампании.")
    absent = [i.name for i in indicators if i.code not in columns.values()]
    if absent:
        raise ImportProblem("В файле нет столбцов показателей: " + ", ".join(
            f"«{name}»" for name in absent) + ". Скачайте шаблон кампании заново.")
    if len(table) > MAX_ROWS:
        raise ImportProblem(f"В файле больше {MAX_ROWS} строк.")
    inn_at = header.index(INN) if INN in header else None
    name_at = header.index(SCHOOL) if SCHOOL in header else None
    by_inn = {r.school.inn: r for r in reports if r.school.inn}
    by_name = {r.school.short_name.casefold(): r for r in reports}
    rows, seen = [], set()
    for line, cells in table[1:]:
        cell = (lambda at: cells[at] if at is not None and at < len(cells) else "")
        inn, name = cell(inn_at), cell(name_at)
        row = {"line": line, "school": name or inn, "report_id": None, "status": "",
               "values": {}, "errors": []}
        report = by_inn.get(inn) if inn else by_name.get(name.casefold())
        if report is None:
            row["errors"].append(
                f"Школа «{name or inn}» не участвует в этой кампании." if inn or name
                else "Не указана школа (ИНН или наименование).")
        elif report.id in seen:
            row["errors"].append(f"Школа {report.school.short_name} уже есть в файле выше.")
        else:
            seen.add(report.id)
            row.update(report_id=report.id, school=report.school.short_name,
                       status=report.status)
        row["values"] = {code: cell(index) for index, code in columns.items()}
        row["empty"] = not any(row["values"].values())
        if row["empty"] and not row["errors"]:
            # A school left blank (it reports itself, or already did): its report stays.
            rows.append(row)
            continue
        # Per column too: the preview marks the cell, the list names the column.
        row["cells"] = {code: "Не заполнено." for code, text in row["values"].items()
                        if not text}
        if row["cells"]:
            row["errors"].append("Не заполнено: " + ", ".join(
                f"«{by_code[c].name}»" for c in row["cells"]) + ".")
        checked = check_values([by_code[c] for c in row["values"]], rules, row["values"])
        for code, messages in checked.items():
            row["cells"][code] = " ".join(messages)
            row["errors"].append(f"«{by_code[code].name}»: " + " ".join(messages))
        rows.append(row)
    if not rows:
        raise ImportProblem("В файле нет строк со школами: заполните шаблон кампании.")
    if all(row["empty"] for row in rows):
        raise ImportProblem("В файле не заполнено ни одного значения: заполните строки школ, "
                            "которые ответили в Excel.")
    return {"columns": list(columns.values()), "rows": rows}
