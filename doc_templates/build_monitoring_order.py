"""Builder of order_monitoring.docx: the order launching a monitoring campaign is an order (the
same layout); its indicators annex may print its sections as rows across the table
(`annex.sections`: «1. Результаты обучения», then «1.1.», «1.2.» …), the schools annex is a
two-column table (`annex.schools`); either prints only when it has rows, and `annex.rows`
(the order's own annex table) then stays empty."""
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm

from .parts import CENTER, LEFT, build_order, cell_text, repeat_header, tag
from .build_roadmap import _merge_across, _row_properties

TABLE_SIZE = 12
COLUMNS = (("№ п/п", 1.6), ("Наименование показателя", 11.0), ("Единица измерения", 3.4))
SCHOOL_COLUMNS = (("№ п/п", 1.6), ("Наименование общеобразовательной организации", 14.4))


def _sections_table(doc):
    """Header · {%tr for s in annex.sections %} · section row · {%tr for row in s.rows %} ·
    number, indicator, unit · endfor ×2; the header repeats on every page."""
    tag(doc, "{%p if annex.sections %}")
    table = doc.add_table(rows=7, cols=len(COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = table.rows
    for cell, (text, _) in zip(rows[0].cells, COLUMNS):
        cell_text(cell, text, align=CENTER, bold=True, size=TABLE_SIZE)
    repeat_header(rows[0])
    for index, text in ((1, "{%tr for s in annex.sections %}"),
                        (3, "{%tr for row in s.rows %}"), (5, "{%tr endfor %}"),
                        (6, "{%tr endfor %}")):
        _merge_across(rows[index], text, bold=False, size=TABLE_SIZE)
    _, paragraph = _merge_across(rows[2], "{{ s.title }}", size=TABLE_SIZE)
    paragraph.paragraph_format.keep_with_next = True  # never alone at the foot of a page
    _row_properties(rows[2])
    for index, cell in enumerate(rows[4].cells):
        cell_text(cell, f"{{{{ row[{index}] }}}}", align=CENTER if index != 1 else LEFT,
                  size=TABLE_SIZE)
    for column, (_, width) in zip(table.columns, COLUMNS):  # LibreOffice reads the grid
        column.width = Cm(width)
    for row in rows:
        for cell, (_, width) in zip(row.cells, COLUMNS):
            cell.width = Cm(width)
    tag(doc, "{%p endif %}")


def _schools_table(doc):
    """Header · {%tr for row in annex.schools %} · number, school · endfor."""
    tag(doc, "{%p if annex.schools %}")
    table = doc.add_table(rows=4, cols=len(SCHOOL_COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = table.rows
    for cell, (text, _) in zip(rows[0].cells, SCHOOL_COLUMNS):
        cell_text(cell, text, align=CENTER, bold=True, size=TABLE_SIZE)
    repeat_header(rows[0])
    _merge_across(rows[1], "{%tr for row in annex.schools %}", bold=False, size=TABLE_SIZE)
    _merge_across(rows[3], "{%tr endfor %}", bold=False, size=TABLE_SIZE)
    cell_text(rows[2].cells[0], "{{ row[0] }}", align=CENTER, size=TABLE_SIZE)
    cell_text(rows[2].cells[1], "{{ row[1] }}", align=LEFT, size=TABLE_SIZE)
    _row_properties(rows[2])
    for column, (_, width) in zip(table.columns, SCHOOL_COLUMNS):
        column.width = Cm(width)
    for row in rows:
        for cell, (_, width) in zip(row.cells, SCHOOL_COLUMNS):
            cell.width = Cm(width)
    tag(doc, "{%p endif %}")


def _annex_tables(doc):
    _sections_table(doc)
    _schools_table(doc)


def build_order_monitoring():
    build_order("order_monitoring.docx", annex_extra=_annex_tables)


BUILDERS = [build_order_monitoring]
