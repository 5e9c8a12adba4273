"""The pieces every template builder uses (ГОСТ Р 7.0.97-2016 layout): the page (A4, margins
30/15/20/20 mm), Times New Roman 14 with a 1.25 cm first-line indent, justified text, page
numbers centred at the top from page 2; paragraphs, Jinja tags, tables, signature lines; saving
a .docx in Russian and byte for byte stable; and the order, which other builders extend.
Jinja tags are typed whole, with spaces inside, `{%p %}`/`{%tr %}` alone in their paragraph or
row. A leaf: the builders import it, it imports none of them (build.py runs them all)."""
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)


# --- page and styles -----------------------------------------------------------------------

def new_document(landscape=False):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    fmt = normal.paragraph_format
    fmt.first_line_indent, fmt.alignment = Cm(1.25), JUSTIFY
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    for name in ("Table Grid",):
        doc.styles[name].font.name = FONT
    _page_numbers_from_page_two(section)
    return doc


def _page_numbers_from_page_two(section):
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    run = paragraph.add_run()
    run.font.size = Pt(12)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"),
                       ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def para(doc_or_cell, text="", align=None, bold=False, size=None, indent=None, space_after=0,
         space_before=0, caps=False, italic=False, keep_next=False, page_break_before=False):
    """One paragraph; `indent=0` turns the 1.25 cm first-line indent off; `keep_next` keeps it
    on the page of the next one (headings, the last lines before a signature)."""
    paragraph = doc_or_cell.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if keep_next:
        fmt.keep_with_next = True
    if page_break_before:
        fmt.page_break_before = True
    if indent is not None:
        fmt.first_line_indent = Cm(indent)
    fmt.space_after, fmt.space_before = Pt(space_after), Pt(space_before)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.all_caps = bold, italic, caps
        if size:
            run.font.size = Pt(size)
    return paragraph


def tag(doc_or_cell, text):
    """A paragraph holding only a `{%p … %}` tag (docxtpl removes it when rendering)."""
    return para(doc_or_cell, text, indent=0)


def section_heading(doc, text, space_before=12):
    """A section heading, centred and bold, never the last line of a page."""
    return para(doc, text, align=CENTER, bold=True, indent=0, space_before=space_before,
                space_after=6, keep_next=True)


def draft_mark(doc):
    """«ПРОЕКТ» at the top right while the document is not registered (`is_draft`)."""
    tag(doc, "{%p if is_draft %}")
    para(doc, "ПРОЕКТ", align=RIGHT, bold=True, size=12, indent=0)
    tag(doc, "{%p endif %}")


def paragraphs(doc, name, last_keeps=False):
    """A paragraph per text of the list `name`; `last_keeps` keeps the last one on the page of
    what follows (a signature)."""
    tag(doc, f"{{%p for text in {name} %}}")
    if last_keeps:
        tag(doc, "{%p if loop.last %}")
        para(doc, "{{ text }}", keep_next=True)
        tag(doc, "{%p else %}")
        para(doc, "{{ text }}")
        tag(doc, "{%p endif %}")
    else:
        para(doc, "{{ text }}")
    tag(doc, "{%p endfor %}")


def note_head(doc, title, *lines):
    """The head of a note (справка, профиль): «ПРОЕКТ» while a draft, the organisation, the
    title in capitals and its `lines` (Jinja expressions), then the date and the number."""
    draft_mark(doc)
    tag(doc, "{%p if organization_name %}")
    para(doc, "{{ organization_name }}", align=CENTER, bold=True, indent=0, space_after=12)
    tag(doc, "{%p endif %}")
    para(doc, title, align=CENTER, bold=True, indent=0, keep_next=True)
    for index, line in enumerate(lines, 1):
        para(doc, line, align=CENTER, bold=True, indent=0, keep_next=True,
             space_after=12 if index == len(lines) else 0)
    two_column_line(doc, "{{ date_text }}", "№ {{ number_text }}")


def page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def cell_text(cell, text, align=LEFT, bold=False, size=14):
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Cm(0)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    return paragraph


def two_column_line(doc, left, right, widths=(Cm(9), Cm(7.5)), keep_next=False):
    """Date left, number right; signer position left, name at the right margin.
    `keep_next`: a signature line stays on the page of what follows it."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, width in zip(table.rows[0].cells, widths):
        cell.width = width
    cell_text(table.rows[0].cells[0], left).paragraph_format.keep_with_next = keep_next or None
    cell_text(table.rows[0].cells[1], right, align=RIGHT).paragraph_format.keep_with_next = \
        keep_next or None
    keep_row_whole(table.rows[0])
    return table


def signature_and_executor(doc, executor_space=24):
    """The signer's line after a blank, kept with the text before it, then the executor
    (small, when the context has `executor_note`)."""
    para(doc, "", space_after=24, keep_next=True)
    signature_line(doc, "{{ signer_position }}", "{{ signer_name }}", keep_next=True)
    tag(doc, "{%p if executor_note %}")
    para(doc, "", space_after=executor_space, keep_next=True)
    para(doc, "{{ executor_note }}", align=LEFT, size=10, indent=0)
    tag(doc, "{%p endif %}")


def signature_line(doc, left, right, keep_next=False, space_before=0):
    """«Position … И.О. Фамилия»: the position at the margin, the name at the right margin on
    the position's last line (a right tab stop, not a table: a paragraph keeps with the text
    before and after it in Word and LibreOffice alike, a borderless table does not)."""
    paragraph = para(doc, "", align=LEFT, indent=0, keep_next=keep_next,
                     space_before=space_before)
    section = doc.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(left)
    paragraph.add_run("\t")
    paragraph.add_run(right)
    return paragraph


def keep_row_whole(row):
    """The row is never split between pages (signature lines, short rows)."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def repeat_header(row):
    """The table's heading row is repeated at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


def grid_table(doc, header, body, widths, size=12):
    """A bordered table, 12 pt: a header row, then one body row (usually a `{%tr %}` loop)."""
    table = doc.add_table(rows=0, cols=len(header))
    table.style = doc.styles["Table Grid"]
    for values, bold in ((header, True), *((row, False) for row in body)):
        row = table.add_row()
        if bold:
            repeat_header(row)
        cells = row.cells
        for cell, value, width in zip(cells, values, widths):
            cell.width = width
            cell_text(cell, value, align=CENTER if bold else LEFT, bold=bold, size=size)
    for column, width in zip(table.columns, widths):  # LibreOffice reads the column grid
        column.width = width
    return table


def save(doc, name):
    buffer = io.BytesIO()
    doc.save(buffer)
    (HERE / name).write_bytes(_stable(buffer.getvalue()))


LANG = re.compile(rb"<w:lang\b[^>]*/>")
THEME_LANG = re.compile(rb"<w:themeFontLang\b[^>]*/>")
RU_LANG = b'<w:lang w:val="ru-RU" w:eastAsia="ru-RU" w:bidi="ru-RU"/>'


def russian(xml):
    """Every run and style in Russian (ru-RU): Word then proofreads the text as Russian.
    python-docx's default styles say en-US; the defaults, styles and runs are all set here."""
    xml = LANG.sub(RU_LANG, xml)
    return THEME_LANG.sub(b'<w:themeFontLang w:val="ru-RU" w:eastAsia="ru-RU"/>', xml)


def _stable(data):
    """Fixed zip timestamps and core properties, so a rebuild gives identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xml"):
                content = russian(content)
            if info.filename == "docProps/core.xml":
                content = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
                           b'2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                           b"<dc:creator>\xd0\x9e\xd0\xbf\xd0\xbe\xd1\x80\xd0\xb0</dc:creator>"
                           b"</cp:coreProperties>")
            stable = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stable, content)
    return out.getvalue()


# --- ПРИКАЗ / РАСПОРЯЖЕНИЕ ------------------------------------------------------------------

def build_order(name="order.docx", annex_columns=None, annex_extra=None):
    """The order; `annex_columns` [(header, width)] fixes the annex table's columns (the
    approval order's list of programmes), otherwise the columns follow each annex's header.
    `annex_extra(doc)` adds what an annex may print before its rows (a table by sections)."""
    doc = new_document()
    tag(doc, "{%p if is_draft %}")
    para(doc, "ПРОЕКТ", align=RIGHT, bold=True, size=12, indent=0)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if founder %}")
    para(doc, "{{ founder }}", align=CENTER, size=12, indent=0)
    tag(doc, "{%p endif %}")
    para(doc, "{{ organization_name }}", align=CENTER, bold=True, indent=0, space_after=12)
    para(doc, "{{ kind_title }}", align=CENTER, bold=True, size=16, indent=0, space_after=12)
    two_column_line(doc, "{{ date_text }}", "№ {{ number_text }}")
    para(doc, "{{ place }}", align=CENTER, size=12, indent=0, space_before=6, space_after=18)
    heading = para(doc, "{{ heading }}", align=LEFT, bold=True, indent=0, space_after=18,
                   keep_next=True)
    heading.paragraph_format.right_indent = Cm(7)
    tag(doc, "{%p if preamble %}")
    para(doc, "{{ preamble }}", keep_next=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if imperative %}")
    para(doc, "{{ imperative }}", align=LEFT, bold=True, indent=0, space_before=6, space_after=6,
         keep_next=True)
    tag(doc, "{%p endif %}")
    # Each clause is a whole sentence made by the program (text with «; ответственный — …,
    # срок — до …» and its «.» or «;»). The last lines stay on the signature's page.
    tag(doc, "{%p for clause in clauses %}")
    tag(doc, "{%p if loop.last and not control_clause %}")
    para(doc, "{{ clause.number }} {{ clause.text }}", keep_next=True)
    tag(doc, "{%p else %}")
    para(doc, "{{ clause.number }} {{ clause.text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if control_clause %}")
    para(doc, "{{ control_number }} {{ control_clause }}", keep_next=True)
    tag(doc, "{%p endif %}")
    signature_and_executor(doc, executor_space=36)
    tag(doc, "{%p for annex in annexes %}")
    # The annex starts a page by its own mark (no separate break paragraph that could be
    # left alone on a page with only its number).
    stamp = para(doc, "{{ annex.heading }}", align=LEFT, size=12, indent=0, space_after=18,
                 keep_next=True, page_break_before=True)
    stamp.paragraph_format.left_indent = Cm(9)
    para(doc, "{{ annex.title }}", align=CENTER, bold=True, indent=0, space_after=12,
         keep_next=True)
    tag(doc, "{%p for text in annex.paragraphs %}")
    para(doc, "{{ text }}")
    tag(doc, "{%p endfor %}")
    if annex_extra:
        annex_extra(doc)
    tag(doc, "{%p if annex.rows %}")
    if annex_columns:
        headers, widths = zip(*annex_columns)
        grid_table(doc, headers, [["{%tr for row in annex.rows %}"] + [""] * (len(headers) - 1),
                                  [f"{{{{ row[{i}] }}}}" for i in range(len(headers))],
                                  ["{%tr endfor %}"] + [""] * (len(headers) - 1)],
                   [Cm(w) for w in widths])
    else:
        # Columns vary per annex: `{%tc %}` tags each take a whole cell, like `{%tr %}` a row.
        table = doc.add_table(rows=4, cols=3)
        table.style = doc.styles["Table Grid"]
        layout = [("{%tc for h in annex.header %}", "{{ h }}", "{%tc endfor %}", True),
                  ("{%tr for row in annex.rows %}", "", "", False),
                  ("{%tc for value in row %}", "{{ value }}", "{%tc endfor %}", False),
                  ("{%tr endfor %}", "", "", False)]
        repeat_header(table.rows[0])
        for row, texts in zip(table.rows, layout):
            for cell, text in zip(row.cells, texts[:3]):
                cell_text(cell, text, align=CENTER if texts[3] else LEFT, bold=texts[3], size=12)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    save(doc, name)
