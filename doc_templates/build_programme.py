"""Builders of programme.docx (the school's programme) and order_programmes_approval.docx.

The programme: a title page with the three stamps, the passport as a two-column table,
sections 1–4 in portrait, the indicator table (one column per programme year) and the
activity plan in a landscape section, sections 7–10 in portrait again.
"""
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Mm

from .build import (CENTER, LEFT, RIGHT, build_order, cell_text, new_document, no_borders,
                    page_break, para, save, tag)


def _heading(doc, text, space_before=12):
    para(doc, text, align=CENTER, bold=True, indent=0, space_before=space_before, space_after=6)


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


def _paragraphs(doc, expression):
    tag(doc, "{%p for text in " + expression + " %}")
    para(doc, "{{ text }}")
    tag(doc, "{%p endfor %}")


def _grid(doc, cells_per_row, widths, size=11):
    """A bordered table whose rows are given as lists of cell texts (tags included)."""
    table = doc.add_table(rows=len(cells_per_row), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, texts in zip(table.rows, cells_per_row):
        header = row is table.rows[0]
        for cell, text, width in zip(row.cells, texts, widths):
            cell.width = width
            cell_text(cell, text, align=CENTER if header else LEFT, bold=header, size=size)
    for column, width in zip(table.columns, widths):
        column.width = width
    return table


def _new_section(doc, landscape):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210),
                                                                                    Mm(297))
    if landscape:  # the binding margin stays at the left edge of the portrait page
        section.left_margin, section.right_margin = Mm(20), Mm(20)
        section.top_margin, section.bottom_margin = Mm(30), Mm(15)
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
    for _ in range(8):
        para(doc, "", indent=0)
    para(doc, "{{ title }}", align=CENTER, bold=True, size=18, indent=0)
    for _ in range(12):
        para(doc, "", indent=0)
    para(doc, "{{ place_year }}", align=CENTER, indent=0)
    page_break(doc)


def build_programme():
    doc = new_document()
    _title_page(doc)

    _heading(doc, "1. Паспорт программы", space_before=0)
    table = doc.add_table(rows=3, cols=2)
    table.style = doc.styles["Table Grid"]
    widths = (Cm(5.5), Cm(11))
    cell_text(table.rows[0].cells[0], "{%tr for row in passport %}", size=12)
    cell_text(table.rows[1].cells[0], "{{ row.label }}", bold=True, size=12)
    _lines_in_cell(table.rows[1].cells[1], "row.lines")
    cell_text(table.rows[2].cells[0], "{%tr endfor %}", size=12)
    for column, width in zip(table.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width

    _heading(doc, "2. Информационная справка об образовательной организации")
    tag(doc, "{%p for item in info %}")
    para(doc, "{{ item.label }}:", bold=True, space_before=6)
    _paragraphs(doc, "item.lines")
    tag(doc, "{%p endfor %}")

    _heading(doc, "3. Проблемно-ориентированный анализ")
    para(doc, "3.1. Результаты за три года", bold=True, indent=0, space_before=6)
    _paragraphs(doc, "results_3y")
    para(doc, "3.2. SWOT-анализ", bold=True, indent=0, space_before=6, space_after=6)
    swot = doc.add_table(rows=2, cols=2)
    swot.style = doc.styles["Table Grid"]
    for index, cell in enumerate(c for row in swot.rows for c in row.cells):
        cell.width = Cm(8.25)
        cell_text(cell, f"{{{{ swot[{index}].title }}}}", bold=True, size=12)
        _lines_in_cell(cell, f"swot[{index}].points", below=True)
    para(doc, "3.3. Рисковый профиль школы", bold=True, indent=0, space_before=12)
    tag(doc, "{%p for risk in risk_profile %}")
    para(doc, "{{ risk }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if conclusion %}")
    para(doc, "3.4. Выводы", bold=True, indent=0, space_before=6)
    _paragraphs(doc, "conclusion")
    tag(doc, "{%p endif %}")

    _heading(doc, "4. Цель и задачи")
    para(doc, "Цель: {{ goal }}")
    para(doc, "Задачи:")
    tag(doc, "{%p for task in tasks %}")
    para(doc, "{{ task.number }} {{ task.text }}{{ task.risks }}")
    tag(doc, "{%p endfor %}")

    _new_section(doc, landscape=True)
    _heading(doc, "5. Целевые показатели", space_before=0)
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

    _heading(doc, "6. План мероприятий")
    _grid(doc, [
        ["№", "Задача", "Мероприятие", "Срок", "Ответственный", "Участники",
         "Ожидаемый результат", "Форма подтверждения"],
        ["{%tr for a in activities %}", "", "", "", "", "", "", ""],
        ["{{ a.number }}", "{{ a.task }}", "{{ a.title }}", "{{ a.when }}", "{{ a.responsible }}",
         "{{ a.participants }}", "{{ a.result }}", "{{ a.evidence }}"],
        ["{%tr endfor %}", "", "", "", "", "", "", ""],
    ], (Cm(1), Cm(2), Cm(6.5), Cm(3), Cm(3.5), Cm(3), Cm(4.5), Cm(2.2)), size=10)

    _new_section(doc, landscape=False)
    _heading(doc, "7. Ресурсное обеспечение", space_before=0)
    for number, title, name in (("7.1.", "Кадровое", "staff"),
                                ("7.2.", "Материально-техническое", "equipment")):
        para(doc, f"{number} {title} обеспечение", bold=True, indent=0, space_before=6)
        _paragraphs(doc, name)
    para(doc, "7.3. Финансовое обеспечение", bold=True, indent=0, space_before=6, space_after=6)
    tag(doc, "{%p if finance %}")
    _grid(doc, [["№", "Статья расходов", "Сумма, руб.", "Источник"],
                ["{%tr for f in finance %}", "", "", ""],
                ["{{ f.number }}", "{{ f.item }}", "{{ f.amount }}", "{{ f.source }}"],
                ["{%tr endfor %}", "", "", ""]], (Cm(1), Cm(8), Cm(3), Cm(4.5)), size=12)
    tag(doc, "{%p else %}")
    para(doc, "Дополнительное финансирование не требуется.")
    tag(doc, "{%p endif %}")
    para(doc, "7.4. Информационное обеспечение", bold=True, indent=0, space_before=6)
    _paragraphs(doc, "information")

    _heading(doc, "8. Механизм реализации и мониторинга")
    _paragraphs(doc, "implementation")
    _paragraphs(doc, "monitoring")

    _heading(doc, "9. Риски реализации программы и меры по их снижению")
    _grid(doc, [["№", "Риск", "Меры по снижению"],
                ["{%tr for r in risks %}", "", ""],
                ["{{ r.number }}", "{{ r.risk }}", "{{ r.mitigation }}"],
                ["{%tr endfor %}", "", ""]], (Cm(1), Cm(7.5), Cm(8)), size=12)

    _heading(doc, "10. Ожидаемые результаты")
    tag(doc, "{%p for line in results %}")
    para(doc, "– {{ line }}")
    tag(doc, "{%p endfor %}")
    save(doc, "programme.docx")


def build_programmes_approval():
    """The approval order is an order whose annex lists the programmes: the same layout."""
    build_order("order_programmes_approval.docx", annex_columns=[
        ("№ п/п", 1.2), ("Образовательная организация", 6.0), ("Наименование программы", 6.3),
        ("Срок реализации", 3.0)])


BUILDERS = [build_programme, build_programmes_approval]
