"""Builders of the monitoring results templates.

- analytical_note.docx: the analytical note (portrait): the organisation, «АНАЛИТИЧЕСКАЯ
  СПРАВКА», the heading, date and number, 1 Общие сведения, 2 Результаты — per indicator its
  heading, «Таблица N — …» over a table (school, current and previous period, change) closed
  by the municipal figures, the schools on the worse side of the threshold, the draft
  sentence and the charts with «Рисунок N — …» under each; 3 Анализ, 4 Выводы,
  5 Рекомендации, then the signature and the executor kept together;
- order_monitoring_results.docx: the order on the results, the order's layout with a fixed
  annex table (№ п/п, ОО, показатели хуже пороговых значений);
- monitoring_school_summary.docx: a school's summary of a campaign (№, показатель, значение
  школы, среднее по муниципалитету, изменение), sent to every school by one package.
"""
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .parts import (CENTER, LEFT, build_order, grid_table, keep_row_whole, new_document, note_head,
                    para, paragraphs, save, section_heading, signature_and_executor, tag)

TABLE_SIZE = 12  # pt, tables
NOTE_COLUMNS = (("№ п/п", 1.1), ("Общеобразовательная организация", 5.6),
                ("{{ columns.current }}", 3.0), ("{{ columns.previous }}", 3.0),
                ("Изменение", 3.8))  # «без изменений» on one line


def build_order_monitoring_results():
    """The order on the results is an order whose annex lists the schools: the same layout."""
    build_order("order_monitoring_results.docx", annex_columns=[
        ("№ п/п", 1.1), ("Общеобразовательная организация", 7.0),
        ("Показатели хуже пороговых значений", 8.4)])


def _table_style(doc):
    """«Текст таблицы»: 12 pt, no first-line indent. The repeated rows name it instead of
    carrying the size and indent in every cell: a note of 500 schools × 30 indicators has
    15 000 rows, and its XML is a third smaller so."""
    style = doc.styles.add_style("Текст таблицы", WD_STYLE_TYPE.PARAGRAPH)
    style.element.styleId = "TableText"  # an ASCII id: the name stays Russian
    style.base_style = doc.styles["Normal"]
    style.font.size = Pt(TABLE_SIZE)
    style.paragraph_format.first_line_indent = Cm(0)
    style.paragraph_format.alignment = LEFT
    return style


def _plain_cells(row, style):
    """The row's paragraphs in `style`, with no formatting of their own (bold kept)."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.style = style
            properties = paragraph._p.pPr
            for name in ("w:ind", "w:jc"):
                for element in properties.findall(qn(name)):
                    properties.remove(element)
            for run in paragraph.runs:
                size = run._r.rPr.find(qn("w:sz")) if run._r.rPr is not None else None
                if size is not None:
                    run._r.rPr.remove(size)


def build_analytical_note():
    doc = new_document()
    table_text = _table_style(doc)
    note_head(doc, "АНАЛИТИЧЕСКАЯ СПРАВКА", "{{ heading }}")
    section_heading(doc, "1. Общие сведения", space_before=18)
    paragraphs(doc, "general")
    section_heading(doc, "2. Результаты мониторинга")
    tag(doc, "{%p for section in sections %}")
    tag(doc, "{%p if section.heading %}")
    para(doc, "{{ section.heading }}", align=LEFT, bold=True, indent=1.25, space_before=12,
         space_after=6, keep_next=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for item in section.indicators %}")
    para(doc, "{{ item.heading }}", align=LEFT, bold=True, indent=1.25, space_before=6,
         space_after=6, keep_next=True)
    para(doc, "{{ item.table_title }}", align=LEFT, size=TABLE_SIZE, indent=0, keep_next=True)
    headers, widths = zip(*NOTE_COLUMNS)
    table = grid_table(doc, headers, [
        ["{%tr for row in item.rows %}"] + [""] * 4,
        ["{{ row.number }}", "{{ row.school }}", "{{ row.value }}", "{{ row.previous }}",
         "{{ row.change }}"],
        ["{%tr endfor %}"] + [""] * 4,
        ["{%tr for m in item.municipal %}"] + [""] * 4,
        ["", "{{ m.label }}", "{{ m.value }}", "{{ m.previous }}", "{{ m.change }}"],
        ["{%tr endfor %}"] + [""] * 4,
    ], [Cm(w) for w in widths], size=TABLE_SIZE)
    for row in table.rows[2:]:  # a row never splits between pages
        keep_row_whole(row)
    for row in table.rows[1:]:
        _plain_cells(row, table_text)
    for cell in table.rows[5].cells:  # the municipal figures in bold
        for run in cell.paragraphs[0].runs:
            run.bold = True
    tag(doc, "{%p if item.below %}")
    para(doc, "{{ item.below }}", space_before=6)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if item.draft %}")
    para(doc, "{{ item.draft }}", space_before=6)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for figure in item.figures %}")
    para(doc, "{{ figure.image }}", align=CENTER, indent=0, space_before=6, keep_next=True)
    para(doc, "{{ figure.caption }}", align=CENTER, size=TABLE_SIZE, indent=0, space_after=6)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    section_heading(doc, "3. Анализ результатов")
    paragraphs(doc, "analysis")
    section_heading(doc, "4. Выводы")
    paragraphs(doc, "conclusions")
    section_heading(doc, "5. Рекомендации")
    # The last recommendation stays on the signature's page.
    tag(doc, "{%p for text in recommendations %}")
    tag(doc, "{%p if loop.last %}")
    para(doc, "{{ text }}", keep_next=True)
    tag(doc, "{%p else %}")
    para(doc, "{{ text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    signature_and_executor(doc)
    save(doc, "analytical_note.docx")


SUMMARY_COLUMNS = (("№ п/п", 1.1), ("Показатель", 6.0), ("Значение школы", 2.5),
                   ("Среднее по муниципалитету", 3.7), ("Изменение к прошлому периоду", 3.2))


def build_monitoring_school_summary():
    """A school's summary (portrait): the note's head with the school's name, 1 Общие
    сведения, 2 Результаты (a table per section of the form, its heading row repeating),
    3 Выводы, the signature and the executor kept with the last conclusion."""
    doc = new_document()
    table_text = _table_style(doc)
    note_head(doc, "СПРАВКА", "{{ heading }}", "{{ school_line }}")
    section_heading(doc, "1. Общие сведения", space_before=18)
    paragraphs(doc, "general")
    section_heading(doc, "2. Результаты мониторинга")
    tag(doc, "{%p for t in tables %}")
    para(doc, "{{ t.caption }}", align=LEFT, size=TABLE_SIZE, indent=0, space_before=6,
         keep_next=True)
    headers, widths = zip(*SUMMARY_COLUMNS)
    table = grid_table(doc, headers, [
        ["{%tr for row in t.rows %}"] + [""] * 4,
        ["{{ row.number }}", "{{ row.name }}", "{{ row.value }}", "{{ row.mean }}",
         "{{ row.change }}"],
        ["{%tr endfor %}"] + [""] * 4,
    ], [Cm(w) for w in widths], size=TABLE_SIZE)
    for row in table.rows[1:]:
        keep_row_whole(row)
        _plain_cells(row, table_text)
    tag(doc, "{%p endfor %}")
    section_heading(doc, "3. Выводы")
    paragraphs(doc, "conclusions", last_keeps=True)
    signature_and_executor(doc)
    save(doc, "monitoring_school_summary.docx")


BUILDERS = [build_analytical_note, build_order_monitoring_results,
            build_monitoring_school_summary]
