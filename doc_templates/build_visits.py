"""Builder of the visit report template (visit_report.docx), portrait, GOST R 7.0.97-2016
requisites as the analytical note: the organisation, «СПРАВКА», the heading, date and number,
1 Общие сведения, 2 Что изучено (three sub-headings with paragraphs), 3 Выявленное по факторам
риска (a table whose heading row repeats on every page), 4 Рекомендации (a table: №,
рекомендация, срок, ответственный), 5 Выводы, then the curator's signature and the school
head's «Со справкой ознакомлен(а)» kept together with the last lines of the conclusions."""
from docx.shared import Cm

from .parts import (LEFT, grid_table, keep_row_whole, new_document, note_head, para, paragraphs,
                    save, section_heading, signature_line, tag)

TABLE_SIZE = 12


def _table(doc, columns, loop, cells):
    headers, widths = zip(*columns)
    table = grid_table(doc, headers, [
        [f"{{%tr for row in {loop} %}}"] + [""] * (len(columns) - 1),
        cells,
        ["{%tr endfor %}"] + [""] * (len(columns) - 1),
    ], [Cm(w) for w in widths], size=TABLE_SIZE)
    for row in table.rows[1:]:
        keep_row_whole(row)
    return table


def build_visit_report():
    doc = new_document()
    note_head(doc, "СПРАВКА", "{{ heading }}")
    section_heading(doc, "1. Общие сведения", space_before=18)
    paragraphs(doc, "general")
    section_heading(doc, "2. Что изучено в ходе выезда")
    tag(doc, "{%p for part in seen %}")
    para(doc, "{{ part.title }}", align=LEFT, bold=True, indent=1.25, space_before=6,
         space_after=3, keep_next=True)
    tag(doc, "{%p for text in part.paragraphs %}")
    para(doc, "{{ text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    section_heading(doc, "3. Выявленное по факторам риска")
    tag(doc, "{%p if findings %}")
    _table(doc, (("№ п/п", 1.2), ("Фактор риска", 6.0), ("Что выявлено", 9.3)), "findings",
           ["{{ row.number }}", "{{ row.factor }}", "{{ row.text }}"])
    tag(doc, "{%p else %}")
    para(doc, "Признаков факторов риска в ходе выезда не выявлено.")
    tag(doc, "{%p endif %}")
    section_heading(doc, "4. Рекомендации")
    tag(doc, "{%p if recommendations %}")
    _table(doc, (("№ п/п", 1.2), ("Рекомендация", 7.8), ("Срок", 3.2), ("Ответственный", 4.3)),
           "recommendations", ["{{ row.number }}", "{{ row.text }}", "{{ row.deadline }}",
                               "{{ row.responsible }}"])
    tag(doc, "{%p else %}")
    para(doc, "Рекомендаций нет.")
    tag(doc, "{%p endif %}")
    section_heading(doc, "5. Выводы")
    # The last paragraph of the conclusions stays on the signatures' page.
    tag(doc, "{%p for text in conclusions %}")
    tag(doc, "{%p if loop.last %}")
    para(doc, "{{ text }}", keep_next=True)
    tag(doc, "{%p else %}")
    para(doc, "{{ text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "", space_after=24, keep_next=True)
    signature_line(doc, "{{ signer_position }}", "{{ signer_name }}", keep_next=True)
    para(doc, "", space_after=18, keep_next=True)
    para(doc, "Со справкой ознакомлен(а):", align=LEFT, indent=0, keep_next=True)
    signature_line(doc, "{{ acquainted }}", "{{ acquainted_name }}", space_before=6)
    save(doc, "visit_report.docx")


BUILDERS = [build_visit_report]
