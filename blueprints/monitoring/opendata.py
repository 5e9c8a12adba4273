"""The consolidated table as files: the staff's .xlsx (every school, its status, the summary
rows) and open data — CSV and JSON of the counted (submitted or accepted) reports only — for a
campaign the centre has published. And the one write: publishing or withdrawing the data.

CSV choice: UTF-8 with a BOM, «;» between fields and a decimal comma in numbers — what Russian
Excel opens by a double click (as the public register CSV of documents); JSON carries numbers
as numbers for programs.
"""
import csv
import io
import json
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from models import MonitoringCampaign, db, now

from ..core.filters import date_num
from ..core.sheets import csv_cell, put_text, workbook_bytes

INT_FORMAT = "#,##0"  # Russian Excel shows «1 234»
DECIMAL_FORMAT = "#,##0.0##"  # and «12,5», «0,125»: the decimal comma comes from the locale
SHARE_FORMAT = "0%"
HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def file_name(campaign, extension):
    """«Сводные данные мониторинга, I полугодие 2026-2027 (кампания 12).xlsx»: «/» of the
    school year and other characters file systems refuse become «-»."""
    name = f"Сводные данные мониторинга, {campaign.period_label} (кампания {campaign.id})"
    return _UNSAFE_NAME.sub("-", name).strip(" .") + f".{extension}"


def counted_note(table):
    return (f"Учтены отчёты со статусом «Отправлен» или «Принят»: {table['counted']} из "
            f"{table['schools']}.")


# --- .xlsx ---------------------------------------------------------------------------------

def _put_number(cell, value, kind):
    cell.value = value
    cell.number_format = INT_FORMAT if kind == "int" else DECIMAL_FORMAT


def xlsx_bytes(table):
    """One sheet: the title, the header (names with units), a row per school, the summary rows;
    numbers as numbers, text as text; the header and the school column frozen."""
    campaign, columns = table["campaign"], table["columns"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Сводные данные"
    put_text(sheet.cell(1, 1), campaign.title).font = Font(bold=True, size=12)
    put_text(sheet.cell(2, 1), f"Период: {campaign.period_label} "
             f"({date_num(campaign.period_start)}–{date_num(campaign.period_end)}). "
             f"{counted_note(table)} Выгружено {date_num(now())}.")
    header_row = 4
    headers = ["Школа", "Статус отчёта"] + [c["header"] for c in columns]
    for number, text in enumerate(headers, start=1):
        cell = put_text(sheet.cell(header_row, number), text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_number = header_row
    for row in table["rows"]:
        row_number += 1
        put_text(sheet.cell(row_number, 1), row["school"].short_name)
        put_text(sheet.cell(row_number, 2), row["report"].status_label)
        for number, (column, cell) in enumerate(zip(columns, row["cells"]), start=3):
            target = sheet.cell(row_number, number)
            if column["type"] in ("int", "percent", "decimal") and cell["number"] is not None:
                _put_number(target, cell["number"], column["type"])
            elif cell["text"]:
                put_text(target, cell["text"])  # «да»/«нет», a choice, a text: as typed
    for summary in table["summary"]:
        row_number += 1
        put_text(sheet.cell(row_number, 1), summary["label"]).font = Font(bold=True)
        for number, (column, cell) in enumerate(zip(columns, summary["cells"]), start=3):
            if cell["number"] is None:
                continue
            target = sheet.cell(row_number, number)
            target.font = Font(bold=True)
            if column["type"] == "bool" and summary["key"] == "mean":
                target.value, target.number_format = cell["number"], SHARE_FORMAT
            elif summary["key"] in ("count", "total"):
                target.value, target.number_format = cell["number"], INT_FORMAT
            else:
                _put_number(target, cell["number"], "decimal")
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 14
    for number, column in enumerate(columns, start=3):
        wide = column["type"] in ("text", "choice")
        sheet.column_dimensions[get_column_letter(number)].width = 40 if wide else 16
    sheet.row_dimensions[header_row].height = 75
    sheet.freeze_panes = sheet.cell(header_row + 1, 2)
    return workbook_bytes(book)


# --- open data -----------------------------------------------------------------------------

def _counted_rows(table):
    return [row for row in table["rows"] if row["counted"]]


def csv_bytes(table):
    """A row per school that reported (submitted or accepted): the name, the ИНН and a column
    per indicator with its unit in the header; numbers with a decimal comma."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Школа", "ИНН"] + [c["header"] for c in table["columns"]])
    for row in _counted_rows(table):
        writer.writerow([csv_cell(row["school"].short_name), csv_cell(row["school"].inn or "")]
                        + [_csv_value(column, cell)
                           for column, cell in zip(table["columns"], row["cells"])])
    return out.getvalue().encode("utf-8")


def _csv_value(column, cell):
    if column["type"] in ("int", "percent", "decimal") and cell["number"] is not None:
        return cell["text"].replace("\u00a0", "")  # «1234,5»: no grouping space in data
    return csv_cell(cell["text"])


def _json_number(value):
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def json_data(table):
    """{"campaign", "indicators": [{code, name, unit, type}], "rows": [{school, inn,
    values: {code: number | text | true/false | null}}], "summary": {code: {count, total,
    mean, median, min, max}}} — the counted reports only."""
    campaign = table["campaign"]
    rows = []
    for row in _counted_rows(table):
        values = {}
        for column, cell in zip(table["columns"], row["cells"]):
            if column["type"] == "bool":
                values[column["code"]] = None if cell["number"] is None else bool(cell["number"])
            elif column["numeric"]:
                values[column["code"]] = _json_number(cell["number"])
            else:
                values[column["code"]] = cell["text"] or None
        rows.append({"school": row["school"].short_name, "inn": row["school"].inn or None,
                     "values": values})
    summary = {}
    for index, column in enumerate(table["columns"]):
        if not column["numeric"]:
            continue
        summary[column["code"]] = {s["key"]: _json_number(s["cells"][index]["number"])
                                   for s in table["summary"] if s["key"] != "previous_mean"}
    return {
        "campaign": {"id": campaign.id, "title": campaign.title,
                     "period": campaign.period_label,
                     "period_start": campaign.period_start.isoformat(),
                     "period_end": campaign.period_end.isoformat()},
        "note": "Учтены отчёты школ со статусом «Отправлен» или «Принят».",
        "reports_counted": table["counted"], "reports_total": table["schools"],
        "indicators": [{"code": c["code"], "name": c["name"], "unit": c["unit"],
                        "type": c["type"]} for c in table["columns"]],
        "rows": rows, "summary": summary}


def json_bytes(table):
    return json.dumps(json_data(table), ensure_ascii=False, indent=1).encode("utf-8")


# --- publishing ----------------------------------------------------------------------------

def set_published(campaign, published):
    """Publish (True) or withdraw (False) the campaign's data; the campaign as saved."""
    with db.atomic():
        MonitoringCampaign.update(is_published=published, updated_at=now()).where(
            MonitoringCampaign.id == campaign.id).execute()
    return MonitoringCampaign.get_by_id(campaign.id)


def published():
    """The campaigns whose data are open, the newest period first."""
    return (MonitoringCampaign.select().where(MonitoringCampaign.is_published)
            .order_by(MonitoringCampaign.period_start.desc(), MonitoringCampaign.id.desc()))
