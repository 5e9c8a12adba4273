"""Builders of programme.docx (the school's programme) and order_programmes_approval.docx.

The programme: a title page with the three stamps, the passport as a two-column table,
sections 1–4 in portrait, the indicator table (one column per programme year) and the
activity plan in a landscape section, sections 7–10 in portrait again.
"""
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Cm, Mm

from .parts import (CENTER, LEFT, RIGHT, build_order, cell_text, new_document, no_borders, para,
                    save, section_heading, tag)


NOTHING = "Сведения не представлены."


def _subheading(doc, text, space_after=0):
    heading = para(doc, text, bold=True, indent=0, space_before=6, space_after=space_after)
    heading.paragraph_format.keep_with_next = True
    return heading


def _repeat_header(table):
    """The first row repeats at the top of every page the table runs onto."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))




def _lines_in_cell(cell, expression, size=12, bold=False, below=False):
    """A `{%p for %}` loop of paragraphs inside a table cell (`below` an existing text)."""
    if below:
        opening = cell.add_paragraph()
        opening.paragraph_format.first_line_indent = Cm(0)
        opening.add_run("{%p for line in " + expression + " %}")
    else:
        cell_text(cell, "{%p for line in " + expression + " %}", size=size)
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.alignment = LEFT
    run = paragraph.add_run("{{ line }}")
    run.bold = bold
    run.font.size = _pt(size)
    closing = cell.add_paragraph()
    closing.paragraph_format.first_line_indent = Cm(0)
    closing.add_run("{%p endfor %}")


def _pt(size):
    from docx.shared import Pt

    return Pt(size)


def _paragraphs(doc, expression, otherwise=None):
    """The paragraphs of a list; `otherwise`, a line printed when the list is empty (a
    numbered heading is never left bare)."""
    if otherwise:
        tag(doc, "{%p if " + expression + " %}")
    tag(doc, "{%p for text in " + expression + " %}")
    para(doc, "{{ text }}")
    tag(doc, "{%p endfor %}")
    if otherwise:
        tag(doc, "{%p else %}")
        para(doc, otherwise)
        tag(doc, "{%p endif %}")


def _grid(doc, cells_per_row, widths, size=11):
    """A bordered table whose rows are given as lists of cell texts (tags included)."""
    table = doc.add_table(rows=len(cells_per_row), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (row, texts) in enumerate(zip(table.rows, cells_per_row)):
        header = index == 0
        for cell, text, width in zip(row.cells, texts, widths):
            cell.width = width
            cell_text(cell, text, align=CENTER if header else LEFT, bold=header, size=size)
    for column, width in zip(table.columns, widths):
        column.width = width
    _repeat_header(table)
    return table


def _new_section(doc, landscape):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210),
                                                                                    Mm(297))
    if landscape:  # 20 mm at the left and bottom edges, as on portrait pages; the top
        # (the binding edge of the turned page) 30 mm, as the road maps
        section.left_margin, section.right_margin = Mm(20), Mm(20)
        section.top_margin, section.bottom_margin = Mm(30), Mm(20)
    else:
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.different_first_page_header_footer = False  # numbered from its first page
    return section


def _title_page(doc):
    tag(doc, "{%p if is_draft %}")
    para(doc, "ПРОЕКТ", align=RIGHT, bold=True, size=12, indent=0)
    tag(doc, "{%p endif %}")
    para(doc, "{{ school_name }}", align=CENTER, bold=True, indent=0, space_after=24)
    stamps = doc.add_table(rows=1, cols=3)
    no_borders(stamps)
    for index, cell in enumerate(stamps.rows[0].cells):
        cell.width = Cm(5.5)
        _lines_in_cell(cell, f"stamps[{index}]", size=11)
    for column in stamps.columns:
        column.width = Cm(5.5)
    for _ in range(6):  # a long name or stamp never pushes the place and year onto page 2
        para(doc, "", indent=0)
    para(doc, "{{ title }}", align=CENTER, bold=True, size=18, indent=0)
    for _ in range(9):
        para(doc, "", indent=0)
    para(doc, "{{ place_year }}", align=CENTER, indent=0)


def build_programme():
    doc = new_document()
    _title_page(doc)

    # A new page by the heading itself, not by a break paragraph: a full title page never
    # leaves a page that holds only a page number.
    section_heading(doc, "1. Паспорт программы", space_before=0).paragraph_format.page_break_before = True
    table = doc.add_table(rows=4, cols=2)
    table.style = doc.styles["Table Grid"]
    widths = (Cm(5.5), Cm(11))
    cell_text(table.rows[0].cells[0], "Наименование раздела", align=CENTER, bold=True, size=12)
    cell_text(table.rows[0].cells[1], "Содержание", align=CENTER, bold=True, size=12)
    cell_text(table.rows[1].cells[0], "{%tr for row in passport %}", size=12)
    cell_text(table.rows[2].cells[0], "{{ row.label }}", bold=True, size=12)
    _lines_in_cell(table.rows[2].cells[1], "row.lines")
    cell_text(table.rows[3].cells[0], "{%tr endfor %}", size=12)
    for column, width in zip(table.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width
    _repeat_header(table)

    section_heading(doc, "2. Информационная справка об образовательной организации")
    tag(doc, "{%p if info %}")
    tag(doc, "{%p for item in info %}")
    label = para(doc, "{{ item.label }}:", bold=True, space_before=6)
    label.paragraph_format.keep_with_next = True
    _paragraphs(doc, "item.lines")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, NOTHING)
    tag(doc, "{%p endif %}")

    section_heading(doc, "3. Проблемно-ориентированный анализ")
    _subheading(doc, "3.1. Результаты за три года")
    _paragraphs(doc, "results_3y", NOTHING)
    _subheading(doc, "3.2. SWOT-анализ", space_after=6)
    tag(doc, "{%p if swot %}")
    swot = doc.add_table(rows=2, cols=2)
    swot.style = doc.styles["Table Grid"]
    for index, cell in enumerate(c for row in swot.rows for c in row.cells):
        cell.width = Cm(8.25)
        cell_text(cell, f"{{{{ swot[{index}].title }}}}", bold=True, size=12)
        _lines_in_cell(cell, f"swot[{index}].points", below=True)
    tag(doc, "{%p else %}")
    para(doc, NOTHING)
    tag(doc, "{%p endif %}")
    heading = para(doc, "3.3. Рисковый профиль школы", bold=True, indent=0, space_before=12)
    heading.paragraph_format.keep_with_next = True
    _paragraphs(doc, "risk_profile", NOTHING)
    tag(doc, "{%p if conclusion %}")
    _subheading(doc, "3.4. Выводы")
    _paragraphs(doc, "conclusion")
    tag(doc, "{%p endif %}")

    section_heading(doc, "4. Цель и задачи")
    tag(doc, "{%p if goal %}")
    para(doc, "Цель: {{ goal }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if tasks %}")
    tasks = para(doc, "Задачи:")
    tasks.paragraph_format.keep_with_next = True
    tag(doc, "{%p for task in tasks %}")
    para(doc, "{{ task.number }} {{ task.text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not goal and not tasks %}")
    para(doc, NOTHING)
    tag(doc, "{%p endif %}")

    _new_section(doc, landscape=True)
    section_heading(doc, "5. Целевые показатели", space_before=0)
    tag(doc, "{%p if indicators %}")
    _grid(doc, [
        ["№", "Показатель", "Ед. изм.", "Базовое значение (год)", "{%tc for year in years %}",
         "{{ year }}", "{%tc endfor %}", "Источник данных", "Ответственный"],
        ["{%tr for i in indicators %}", "", "", "", "", "", "", "", ""],
        ["{{ i.number }}", "{{ i.name }} {{ i.direction }}", "{{ i.unit }}",
         "{{ i.baseline }}{% if i.baseline_year %} ({{ i.baseline_year }}){% endif %}",
         "{%tc for value in i.targets %}", "{{ value }}", "{%tc endfor %}", "{{ i.source }}",
         "{{ i.responsible }}"],
        ["{%tr endfor %}", "", "", "", "", "", "", "", ""],
    ], (Cm(1), Cm(6.4), Cm(1.6), Cm(2.4), Cm(1.7), Cm(1.7), Cm(1.7), Cm(3.2), Cm(3.2)))
    para(doc, "↑ — чем больше, тем лучше; ↓ — чем меньше, тем лучше. Плановые значения — "
              "по годам реализации программы.", size=10, indent=0, space_before=6)
    tag(doc, "{%p else %}")
    para(doc, NOTHING)
    tag(doc, "{%p endif %}")

    section_heading(doc, "6. План мероприятий")
    tag(doc, "{%p if activities %}")
    _grid(doc, [
        ["№", "Задача", "Мероприятие", "Срок", "Ответственный", "Участники",
         "Ожидаемый результат", "Форма подтверждения"],
        ["{%tr for a in activities %}", "", "", "", "", "", "", ""],
        ["{{ a.number }}", "{{ a.task }}", "{{ a.title }}", "{{ a.when }}", "{{ a.responsible }}",
         "{{ a.participants }}", "{{ a.result }}", "{{ a.evidence }}"],
        ["{%tr endfor %}", "", "", "", "", "", "", ""],
    ], (Cm(1), Cm(1.8), Cm(6.2), Cm(2.8), Cm(3.4), Cm(3), Cm(4.4), Cm(3.1)), size=10)
    tag(doc, "{%p else %}")
    para(doc, NOTHING)
    tag(doc, "{%p endif %}")

    _new_section(doc, landscape=False)
    section_heading(doc, "7. Ресурсное обеспечение", space_before=0)
    for number, title, name in (("7.1.", "Кадровое", "staff"),
                                ("7.2.", "Материально-техническое", "equipment")):
        _subheading(doc, f"{number} {title} обеспечение")
        _paragraphs(doc, name, NOTHING)
    _subheading(doc, "7.3. Финансовое обеспечение", space_after=6)
    tag(doc, "{%p if finance %}")
    _grid(doc, [["№", "Статья расходов", "Сумма, руб.", "Источник"],
                ["{%tr for f in finance %}", "", "", ""],
                ["{{ f.number }}", "{{ f.item }}", "{{ f.amount }}", "{{ f.source }}"],
                ["{%tr endfor %}", "", "", ""]], (Cm(1), Cm(8), Cm(3), Cm(4.5)), size=12)
    tag(doc, "{%p else %}")
    para(doc, "Дополнительное финансирование не требуется.")
    tag(doc, "{%p endif %}")
    _subheading(doc, "7.4. Информационное обеспечение")
    _paragraphs(doc, "information", NOTHING)

    section_heading(doc, "8. Механизм реализации и мониторинга")
    _paragraphs(doc, "implementation")
    _paragraphs(doc, "monitoring")
    tag(doc, "{%p if not implementation and not monitoring %}")
    para(doc, NOTHING)
    tag(doc, "{%p endif %}")

    section_heading(doc, "9. Риски реализации программы и меры по их снижению")
    tag(doc, "{%p if risks %}")
    _grid(doc, [["№", "Риск", "Меры по снижению"],
                ["{%tr for r in risks %}", "", ""],
                ["{{ r.number }}", "{{ r.risk }}", "{{ r.mitigation }}"],
                ["{%tr endfor %}", "", ""]], (Cm(1), Cm(7.5), Cm(8)), size=12)
    tag(doc, "{%p else %}")
    para(doc, NOTHING)
    tag(doc, "{%p endif %}")

    section_heading(doc, "10. Ожидаемые результаты")
    tag(doc, "{%p for line in results %}")
    para(doc, "– {{ line }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not results %}")
    para(doc, NOTHING)
    tag(doc, "{%p endif %}")
    save(doc, "programme.docx")


def build_programmes_approval():
    """The approval order is an order whose annex lists the programmes: the same layout."""
    build_order("order_programmes_approval.docx", annex_columns=[
        ("№ п/п", 1.2), ("Образовательная организация", 6.0), ("Наименование программы", 6.3),
        ("Срок реализации", 3.0)])


BUILDERS = [build_programme, build_programmes_approval]
