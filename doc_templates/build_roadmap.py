"""Builders of roadmap.docx (the road map) and roadmap_report.docx (its execution report).

Both are A4 landscape: the approval stamp at the top right (only when the road map was
approved by an order), the title, then one bordered table whose header row repeats on
every page. Each section is a row of one cell spanning the table, followed by its
activities: `{%tr for section in sections %}` with `{%tr for a in section.activities %}`
inside it. The report adds its date under the title, the status and «Информация об
исполнении» columns (execution text and evidence lines) and the summary after the table.
"""
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .parts import CENTER, LEFT, RIGHT, cell_text, new_document, no_borders, para, save, tag

TABLE_WIDTH = 25.7  # cm: 297 mm less the 20 mm margins
TEXT_SIZE = 11  # pt, the table body
STAMP_WIDTH = 8.5  # cm
SECTION_FILL = "F2F2F2"


def _landscape():
    doc = new_document(landscape=True)
    section = doc.sections[0]
    # As the landscape pages of the programme: the binding edge of a portrait order this
    # road map is attached to stays at the top.
    section.left_margin, section.right_margin = Mm(20), Mm(20)
    section.top_margin, section.bottom_margin = Mm(30), Mm(20)  # 20 mm at the bottom, as portrait
    return doc


def _stamp(doc):
    """УТВЕРЖДЕНА / приказом … / от … № … at the top right, only when there are stamp lines."""
    tag(doc, "{%p if stamp %}")
    tag(doc, "{%p for line in stamp %}")
    line = para(doc, "{{ line }}", align=LEFT, size=12, indent=0)
    line.paragraph_format.left_indent = Cm(TABLE_WIDTH - STAMP_WIDTH)
    tag(doc, "{%p endfor %}")
    para(doc, "", indent=0, size=12, space_after=6)
    tag(doc, "{%p endif %}")


def _title(doc):
    """The organisation that keeps the road map, then the title (kept with what follows)."""
    tag(doc, "{%p if organization_name %}")
    para(doc, "{{ organization_name }}", align=CENTER, size=12, indent=0, space_after=6)
    tag(doc, "{%p endif %}")
    title = para(doc, "{{ title }}", align=CENTER, bold=True, indent=0, space_after=6)
    title.paragraph_format.keep_with_next = True


def _signature(doc):
    """Signer (position left, «И.О. Фамилия» right), the date of compilation and the executor
    with phone: one block that never splits and stays with the last lines above it."""
    table = doc.add_table(rows=3, cols=2)
    no_borders(table)
    widths = (Cm(TABLE_WIDTH - 8), Cm(8))
    for column, width in zip(table.columns, widths):
        column.width = width
    lines = (("{{ signer_position }}", "{{ signer_name }}", 12),
             ("{{ date_text }}", "", 12),
             ("{{ executor_note }}", "", 10))
    for row, (left, right, size) in zip(table.rows, lines):
        for cell, width in zip(row.cells, widths):
            cell.width = width
        for paragraph in (cell_text(row.cells[0], left, size=size),
                          cell_text(row.cells[1], right, align=RIGHT, size=size)):
            paragraph.paragraph_format.keep_with_next = True
        _row_properties(row)
    table.rows[1].cells[0].paragraphs[0].paragraph_format.space_before = Pt(6)
    table.rows[2].cells[0].paragraphs[0].paragraph_format.space_before = Pt(18)
    return table


def _set(element, name, **attributes):
    child = OxmlElement(name)
    for key, value in attributes.items():
        child.set(qn(f"w:{key}"), value)
    element.append(child)
    return child


def _row_properties(row, header=False, cant_split=True):
    properties = row._tr.get_or_add_trPr()
    if cant_split:
        _set(properties, "w:cantSplit")
    if header:
        _set(properties, "w:tblHeader")


def _merge_across(row, text, bold=True, size=TEXT_SIZE):
    """One cell spanning the whole row (gridSpan): a section row or a loop tag row."""
    cell = row.cells[0].merge(row.cells[-1])
    paragraph = cell_text(cell, text, bold=bold, size=size)
    return cell, paragraph


def _shade(cell, fill):
    _set(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=fill)


def _table(doc, header, widths, activity_cells, section_row):
    """Header · {%tr for section %} · {%tr if section.heading %} · section row · {%tr endif %}
    · {%tr for a %} · activity · endfor ×2. `activity_cells(cells)` fills the activity row;
    `section_row(paragraph)` may add to the section row's paragraph. A section without a
    number and a title prints no row; an activity row may break across pages (long rows
    would otherwise leave most of a page empty), the header row repeats on every page."""
    table = doc.add_table(rows=9, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = table.rows
    for cell, text in zip(rows[0].cells, header):
        cell_text(cell, text, align=CENTER, bold=True, size=TEXT_SIZE)
    _row_properties(rows[0], header=True)
    for index, text in ((1, "{%tr for section in sections %}"),
                        (2, "{%tr if section.heading %}"), (4, "{%tr endif %}"),
                        (5, "{%tr for a in section.activities %}"),
                        (7, "{%tr endfor %}"), (8, "{%tr endfor %}")):
        _merge_across(rows[index], text, bold=False)
    cell, paragraph = _merge_across(rows[3], "{{ section.heading }}")
    _shade(cell, SECTION_FILL)
    paragraph.paragraph_format.keep_with_next = True  # not alone at the foot of a page
    _row_properties(rows[3])
    section_row(paragraph)
    activity_cells(rows[6].cells)
    _row_properties(rows[6], cant_split=False)
    for column, width in zip(table.columns, widths):  # LibreOffice reads the column grid
        column.width = Cm(width)
    for row in (rows[0], rows[6]):
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
    for index in (1, 2, 3, 4, 5, 7, 8):
        rows[index].cells[0].width = Cm(sum(widths))
    return table


def _line(cell, text, bold=False, italic=False, size=TEXT_SIZE):
    """One more paragraph in a cell (after the one cell_text filled)."""
    paragraph = cell.add_paragraph()
    paragraph.alignment = LEFT
    paragraph.paragraph_format.first_line_indent = Cm(0)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    return paragraph


def _activity_title(cell):
    cell_text(cell, "{{ a.title }}", size=TEXT_SIZE)
    _line(cell, "{%p if a.audience %}")
    _line(cell, "Целевая аудитория: {{ a.audience }}", italic=True, size=TEXT_SIZE - 1)
    _line(cell, "{%p endif %}")


def _no_addition(paragraph):
    return paragraph


ROADMAP_WIDTHS = (1.5, 9.2, 3.5, 5.0, 6.5)
REPORT_WIDTHS = (1.2, 6.8, 2.9, 4.2, 3.4, 7.2)


def build_roadmap():
    doc = _landscape()
    _stamp(doc)
    _title(doc)
    para(doc, "", indent=0, size=12, space_after=6)

    def activity(cells):
        cell_text(cells[0], "{{ a.number }}", align=CENTER, size=TEXT_SIZE)
        _activity_title(cells[1])
        cell_text(cells[2], "{{ a.deadline }}", size=TEXT_SIZE)
        cell_text(cells[3], "{{ a.responsible }}", size=TEXT_SIZE)
        cell_text(cells[4], "{{ a.expected_result }}", size=TEXT_SIZE)

    _table(doc, ("№", "Мероприятие", "Срок", "Ответственные", "Ожидаемый результат"),
           ROADMAP_WIDTHS, activity, _no_addition)
    para(doc, "", indent=0, size=12, space_after=12).paragraph_format.keep_with_next = True
    _signature(doc)
    save(doc, "roadmap.docx")


def build_roadmap_report():
    doc = _landscape()
    _stamp(doc)
    _title(doc)
    para(doc, "Информация об исполнении", align=CENTER, bold=True, indent=0)
    para(doc, "{{ report_date }}", align=CENTER, size=12, indent=0, space_after=12)

    def activity(cells):
        cell_text(cells[0], "{{ a.number }}", align=CENTER, size=TEXT_SIZE)
        _activity_title(cells[1])
        cell_text(cells[2], "{{ a.deadline }}", size=TEXT_SIZE)
        cell_text(cells[3], "{{ a.responsible }}", size=TEXT_SIZE)
        cell_text(cells[4], "{%p if a.overdue %}", size=TEXT_SIZE)
        _line(cells[4], "{{ a.status }}", bold=True)
        _line(cells[4], "{%p else %}")
        _line(cells[4], "{{ a.status }}")
        _line(cells[4], "{%p endif %}")
        cell_text(cells[5], "{{ a.execution }}", size=TEXT_SIZE)
        _line(cells[5], "{%p for line in a.evidence %}")
        _line(cells[5], "{{ line }}", size=TEXT_SIZE - 1)
        _line(cells[5], "{%p endfor %}")

    def progress(paragraph):
        run = paragraph.add_run(" ({{ section.progress }})")
        run.font.size = Pt(TEXT_SIZE)

    _table(doc, ("№", "Мероприятие", "Срок", "Ответственные", "Статус",
                 "Информация об исполнении"), REPORT_WIDTHS, activity, progress)
    summary = para(doc, "{{ summary.text }}", align=LEFT, size=12, indent=0, space_before=12,
                   space_after=18)
    summary.paragraph_format.keep_with_next = True  # the signature is never alone on a page
    _signature(doc)
    save(doc, "roadmap_report.docx")


BUILDERS = [build_roadmap, build_roadmap_report]
