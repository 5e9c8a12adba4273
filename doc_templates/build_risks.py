"""Builders of the risk profile templates.

- risk_profile.docx: a school's risk profile (portrait): «ПРОЕКТ» for a draft, the centre,
  «РИСКОВЫЙ ПРОФИЛЬ ОБЩЕОБРАЗОВАТЕЛЬНОЙ ОРГАНИЗАЦИИ», the school and the year, date and number,
  how the profile was made, the table of factors (№, фактор риска, уровень, комментарий; the
  heading row repeats, a row never splits), the counts per level, then the head's signature
  kept together with the last lines;
- risk_summary.docx: the municipal summary note (portrait): 1 Общие сведения, 2 table 1 —
  schools × factors with a mark per level (the factor columns follow the data, `{%tc %}`),
  its legend, 3 table 2 — per factor the number of schools at each level with the totals, the
  heat map with «Рисунок 1 — …», 4 Выводы, the signature.
"""
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from .parts import (CENTER, LEFT, cell_text, grid_table, keep_row_whole, new_document, note_head,
                    para, paragraphs, repeat_header, save, section_heading, signature_line, tag)

TABLE_SIZE = 12  # pt


def _signature(doc):
    para(doc, "", space_after=24, keep_next=True)
    signature_line(doc, "{{ signer_position }}", "{{ signer_name }}", keep_next=True)
    para(doc, "", space_after=0)


def build_risk_profile():
    doc = new_document()
    note_head(doc, "РИСКОВЫЙ ПРОФИЛЬ", "{{ school_name }}", "{{ year_text }}")
    tag(doc, "{%p if basis %}")
    para(doc, "{{ basis }}", space_before=12)
    tag(doc, "{%p endif %}")
    para(doc, "Уровни факторов риска", align=CENTER, bold=True, indent=0, space_before=12,
         space_after=6, keep_next=True)
    table = grid_table(doc, ("№ п/п", "Фактор риска", "Уровень риска", "Комментарий"), [
        ["{%tr for f in factors %}", "", "", ""],
        ["{{ f.number }}", "{{ f.name }}", "{{ f.level }}", "{{ f.comment }}"],
        ["{%tr endfor %}", "", "", ""],
    ], [Cm(1.2), Cm(7.3), Cm(2.8), Cm(5.2)], size=TABLE_SIZE)
    for row in table.rows[1:]:
        keep_row_whole(row)
    tag(doc, "{%p if counts %}")
    para(doc, "{{ counts }}", space_before=12, keep_next=True)
    tag(doc, "{%p endif %}")
    _signature(doc)
    save(doc, "risk_profile.docx")


# Table 1's grid: №, ОО and room for up to MAX_FACTORS factor columns. docxtpl drops the grid
# columns the rendered rows do not use and shares their width out equally among the rest, so
# with the 10 factors of the 2021 list the columns come out ≈ 1,2 + 5,5 + 10 × 1,0 cm (the
# page's 16,5 cm); with fewer factors each column is wider.
MAX_FACTORS, NUMBER_CM, SCHOOL_CM, FACTOR_CM = 16, 0.9, 5.2, 0.65


def _marks_grid(table):
    grid = table._tbl.tblGrid
    for column in list(grid):
        grid.remove(column)
    for width in [NUMBER_CM, SCHOOL_CM] + [FACTOR_CM] * MAX_FACTORS:
        column = OxmlElement("w:gridCol")
        column.set(qn("w:w"), str(int(Cm(width).twips)))
        grid.append(column)


def _marks_table(doc):
    """Table 1: №, ОО, then a column per factor (`{%tc %}` in the header and in the row)."""
    table = doc.add_table(rows=4, cols=5)
    table.style = doc.styles["Table Grid"]
    layout = [
        (("№ п/п", "Общеобразовательная организация", "{%tc for n in factor_numbers %}",
          "{{ n }}", "{%tc endfor %}"), True),
        (("{%tr for s in schools %}", "", "", "", ""), False),
        (("{{ s.number }}", "{{ s.school }}", "{%tc for mark in s.marks %}", "{{ mark }}",
          "{%tc endfor %}"), False),
        (("{%tr endfor %}", "", "", "", ""), False),
    ]
    widths = [Cm(1.2), Cm(5.5), Cm(1.0), Cm(1.0), Cm(1.0)]
    repeat_header(table.rows[0])
    for row, (texts, bold) in zip(table.rows, layout):
        keep_row_whole(row)
        for index, (cell, text, width) in enumerate(zip(row.cells, texts, widths)):
            cell.width = width
            cell_text(cell, text, align=CENTER if bold or index >= 2 else LEFT, bold=bold,
                      size=11)
    _marks_grid(table)
    return table


def build_risk_summary():
    doc = new_document()
    note_head(doc, "СВОДНАЯ СПРАВКА", "{{ heading }}")
    section_heading(doc, "1. Общие сведения", space_before=18)
    paragraphs(doc, "general")
    section_heading(doc, "2. Уровни рисков по общеобразовательным организациям")
    para(doc, "Таблица 1 — Уровни факторов риска по общеобразовательным организациям",
         align=LEFT, size=TABLE_SIZE, indent=0, keep_next=True)
    _marks_table(doc)
    para(doc, "{{ legend }}", align=LEFT, size=11, indent=0, space_before=6)
    section_heading(doc, "3. Распространённость факторов риска")
    para(doc, "Таблица 2 — Число общеобразовательных организаций по уровням риска",
         align=LEFT, size=TABLE_SIZE, indent=0, keep_next=True)
    table = grid_table(doc, ("№", "Фактор риска", "Высокий", "Средний", "Низкий",
                             "Не выявлен"), [
        ["{%tr for f in factors %}", "", "", "", "", ""],
        ["{{ f.number }}", "{{ f.name }}", "{{ f.high }}", "{{ f.medium }}", "{{ f.low }}",
         "{{ f.none }}"],
        ["{%tr endfor %}", "", "", "", "", ""],
        ["", "Всего оценок", "{{ totals.high }}", "{{ totals.medium }}", "{{ totals.low }}",
         "{{ totals.none }}"],
    ], [Cm(0.9), Cm(5.8), Cm(2.45), Cm(2.45), Cm(2.45), Cm(2.45)], size=TABLE_SIZE)
    for row in table.rows[1:]:
        keep_row_whole(row)
    for cell in table.rows[-1].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    para(doc, "{{ figure.image }}", align=CENTER, indent=0, space_before=12, keep_next=True)
    para(doc, "{{ figure.caption }}", align=CENTER, size=TABLE_SIZE, indent=0, space_after=6)
    section_heading(doc, "4. Выводы")
    paragraphs(doc, "conclusions", last_keeps=True)
    _signature(doc)
    save(doc, "risk_summary.docx")


BUILDERS = [build_risk_profile, build_risk_summary]
