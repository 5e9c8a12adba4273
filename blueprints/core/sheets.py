"""Every spreadsheet cell and CSV field the app writes holds user text as text.

A name that starts with = + - @ would otherwise be a live formula in Excel or LibreOffice
(«=HYPERLINK(…)» leaking data, «=cmd|…» running a program): in .xlsx the cell is typed as a
string; in CSV, which has no types, such a field gets a leading apostrophe.
"""
import io

from openpyxl.utils import get_column_letter

from .text import normalise

MAX_CELL = 32_767  # Excel's limit for the text of one cell
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text(value):
    """A value as cell text: XML-forbidden characters dropped, CRLF → LF, within Excel's limit."""
    return normalise("" if value is None else str(value))[:MAX_CELL]


def put_text(cell, value):
    """Write `value` into an openpyxl cell as a string cell (never a formula)."""
    cell.value = text(value)
    cell.data_type = "s"  # openpyxl would store a text starting with «=» as a formula
    return cell


def append_text(sheet, values):
    """Add a row of string cells at the bottom of `sheet`."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        put_text(sheet.cell(row=row, column=column), value)


def csv_cell(value):
    """A CSV field Excel will not run: a leading = + - @ gets an apostrophe."""
    value = text(value)
    return "'" + value if value[:1] in _FORMULA_START else value


def header_sheet(sheet, title, headers, widths):
    """An importer's template sheet: its title, the header row as text, column widths (cm-ish
    Excel units, in the order of the headers) and the header frozen."""
    sheet.title = title
    append_text(sheet, headers)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def workbook_bytes(book):
    """The .xlsx file of an openpyxl workbook."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
