"""Excel exports of the road map and of its execution report, from the same contexts as the
.docx documents (documents.roadmap_context / documents.report_context).

One sheet: the approval stamp at the top right when there is one, the title (and for the
report its date), the header row (frozen, repeated on every printed page, with an
autofilter), then per section a bold row merged across the table followed by its
activities; the report ends with the summary. Every text is written as a string cell,
never as a formula, whatever it starts with (= + - @).
"""
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..core.sheets import put_text
FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRED = Alignment(wrap_text=True, vertical="center", horizontal="center")
NUMBER = Alignment(wrap_text=True, vertical="top", horizontal="center")

# (header, width in characters, value of an activity)
ROADMAP_COLUMNS = (
    ("№", 7, lambda a: a["number"]),
    ("Мероприятие", 50, lambda a: a["title"]),
    ("Целевая аудитория", 24, lambda a: a["audience"]),
    ("Срок", 18, lambda a: a["deadline"]),
    ("Ответственные", 28, lambda a: a["responsible"]),
    ("Ожидаемый результат", 36, lambda a: a["expected_result"]),
)
REPORT_COLUMNS = (
    *ROADMAP_COLUMNS[:2],
    ("Срок", 18, lambda a: a["deadline"]),
    ("Ответственные", 26, lambda a: a["responsible"]),
    ("Статус", 18, lambda a: a["status"]),
    ("Информация об исполнении", 44, lambda a: a["execution"]),
    ("Подтверждающие документы", 40, lambda a: "\n".join(a["evidence"])),
)


def put(sheet, row, column, value, font=None, alignment=WRAP, border=None, fill=None):
    """Write `value` as a string cell (data type "s"): «=1+2» stays text, never a formula."""
    cell = put_text(sheet.cell(row=row, column=column), value)
    cell.font = font or Font(name=FONT, size=11)
    cell.alignment = alignment
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    return cell


def _lines(value, width):
    """How many lines `value` wraps to in a column `width` characters wide (an estimate)."""
    per_line = max(1, int(width * 1.2) - 1)  # Times New Roman 11 in Excel's width units
    return sum(max(1, -(-len(line) // per_line)) for line in str(value).split("\n"))


def _lines_height(value, width, points=15):
    """A row height for wrapped text. Neither Excel (merged cells) nor LibreOffice (files
    without cached heights) fits rows on opening, so the height is written."""
    return _lines(value, width) * points + 2


def _merged(sheet, row, first, last, value, font, alignment, fill=None, border=None):
    put(sheet, row, first, value, font=font, alignment=alignment, fill=fill, border=border)
    if border is not None or fill is not None:
        for column in range(first + 1, last + 1):
            cell = sheet.cell(row=row, column=column)
            if border is not None:
                cell.border = border
            if fill is not None:
                cell.fill = fill
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _workbook(context, columns, sheet_title, subtitle_lines, summary_lines):
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    count = len(columns)
    widths = [width for _, width, _ in columns]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    row = 1
    if context["stamp"]:  # over the last two columns, as the stamp stands at the top right
        first = count - 1
        for line in context["stamp"]:
            _merged(sheet, row, first, count, line, Font(name=FONT, size=12),
                    Alignment(wrap_text=True, vertical="top"))
            sheet.row_dimensions[row].height = _lines_height(line, sum(widths[first - 1:]))
            row += 1
        row += 1
    total_width = sum(widths)
    _merged(sheet, row, 1, count, context["title"], Font(name=FONT, size=14, bold=True),
            CENTRED)
    sheet.row_dimensions[row].height = _lines_height(context["title"], total_width * 0.75, 19)
    row += 1
    for line in subtitle_lines:
        _merged(sheet, row, 1, count, line, Font(name=FONT, size=12), CENTRED)
        row += 1
    row += 1
    header_row = row
    for column, (header, width, _) in enumerate(columns, start=1):
        put(sheet, row, column, header, font=Font(name=FONT, size=11, bold=True),
            alignment=CENTRED, border=BORDER, fill=HEADER_FILL)
    sheet.row_dimensions[row].height = max(_lines(h, w) for h, w, _ in columns) * 15 + 2
    for section in context["sections"]:
        row += 1
        heading = section["heading"]
        if section.get("progress"):
            heading = f"{heading} ({section['progress']})"
        _merged(sheet, row, 1, count, heading, Font(name=FONT, size=11, bold=True), WRAP,
                fill=SECTION_FILL, border=BORDER)
        sheet.row_dimensions[row].height = _lines_height(heading, total_width / 1.1)
        for activity in section["activities"]:
            row += 1
            lines = 1
            for column, (header, width, value) in enumerate(columns, start=1):
                bold = header == "Статус" and bool(activity.get("overdue"))  # as in the .docx
                cell = put(sheet, row, column, value(activity),
                           font=Font(name=FONT, size=11, bold=bold),
                           alignment=NUMBER if column == 1 else WRAP, border=BORDER)
                lines = max(lines, _lines(cell.value, width))
            sheet.row_dimensions[row].height = min(409, lines * 15 + 2)  # Excel's maximum
    last_row = row
    row += 1  # a blank row between the table and the summary
    for line in summary_lines:
        row += 1
        _merged(sheet, row, 1, count, line, Font(name=FONT, size=12), WRAP)
    last = get_column_letter(count)
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last}{last_row}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top, sheet.page_margins.bottom = 0.8, 0.6
    sheet.oddFooter.center.text = "&P / &N"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roadmap_xlsx(context):
    """The road map (documents.roadmap_context) as an .xlsx file."""
    return _workbook(context, ROADMAP_COLUMNS, "Дорожная карта", [], [])


def report_xlsx(context):
    """The execution report (documents.report_context) as an .xlsx file."""
    summary = context["summary"]
    lines = [summary["text"]] + [f"{s['heading']}: выполнено {s['done']} из {s['total']}"
                                 for s in summary["sections"]]
    return _workbook(context, REPORT_COLUMNS, "Исполнение", ["Информация об исполнении",
                                                             context["report_date"]], lines)
