"""Builders of the partnership templates.

- order_partnerships.docx: the order approving the list of pairs, the order's layout with a
  fixed annex table (№ п/п, Школа-лидер, Школа-партнёр, Направления, Координатор);
- partnership_agreement.docx: the agreement (portrait): «ПРОЕКТ» for a draft, the number,
  place and date, the parties, sections 1–9 (paragraphs numbered by the program), then
  «10. Реквизиты и подписи Сторон» as a two-column table that never splits;
- partnership_plan.docx: its attachment (landscape): the attachment mark, the title, the
  plan table (heading row repeats, rows may break) and both heads' «СОГЛАСОВАНО» lines kept
  together with the end of the table;
- partnership_report.docx: the report (landscape): summary table per pair with totals, then
  a table of rows per pair, the signer, the date and the executor.
"""
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt

from .parts import (CENTER, LEFT, build_order, cell_text, draft_mark, grid_table, keep_row_whole,
                    new_document, no_borders, para, save, section_heading, signature_line, tag)
from .build_roadmap import TABLE_WIDTH, _landscape, _signature

TABLE_SIZE = 12  # pt, tables


def build_order_partnerships():
    """The order approving the pairs is an order whose annex lists them: the same layout."""
    build_order("order_partnerships.docx", annex_columns=[
        ("№ п/п", 1.1), ("Школа-лидер", 3.9), ("Школа-партнёр", 3.9),
        ("Направления взаимодействия", 4.6), ("Координатор", 3.0)])


REQUISITE_LINES = (("{{ %s.role }}", True), ("{{ %s.name }}", False),
                   ("Адрес: {{ %s.address }}", False), ("ИНН / КПП: {{ %s.inn_kpp }}", False),
                   ("Телефон: {{ %s.phone }}", False), ("E-mail: {{ %s.email }}", False),
                   ("{{ %s.position }}", False), ("{{ %s.signature }}", False),
                   ("М.П.", False))


def _requisites_table(doc, left, right):
    """The requisites of `left` and `right` side by side in two rows that never split: the
    organisation's lines, then the head's position, signature line and «М.П.», level in
    both columns. (One row per line made LibreOffice drop the keep-with-next of headings
    pages before the table.)"""
    half = Cm(8.25)
    table = doc.add_table(rows=2, cols=2)
    no_borders(table)
    for column in table.columns:
        column.width = half
    groups = (REQUISITE_LINES[:6], REQUISITE_LINES[6:])
    for row, lines in zip(table.rows, groups):
        first_row = lines is groups[0]
        for cell, party in zip(row.cells, (left, right)):
            cell.width = half
            for index, (text, bold) in enumerate(lines):
                if index == 0:
                    paragraph = cell.paragraphs[0]
                    paragraph.alignment = LEFT
                    paragraph.paragraph_format.first_line_indent = Cm(0)
                else:
                    paragraph = para(cell, align=LEFT, indent=0)
                paragraph.paragraph_format.keep_with_next = first_row or None
                if party:
                    run = paragraph.add_run(text.replace("%s", party))
                    run.bold = bold
                    run.font.size = Pt(TABLE_SIZE)
                if text.startswith("{{ %s.signature"):
                    paragraph.paragraph_format.space_before = Pt(18)
                if text.startswith("{{ %s.position"):
                    paragraph.paragraph_format.space_before = Pt(6)
        keep_row_whole(row)
    return table


def build_partnership_agreement():
    doc = new_document()
    draft_mark(doc)
    para(doc, "СОГЛАШЕНИЕ №\u00a0{{ number_text }}", align=CENTER, bold=True, indent=0,
         keep_next=True)
    para(doc, "о сотрудничестве (сетевом взаимодействии)", align=CENTER, bold=True, indent=0,
         space_after=12, keep_next=True)
    signature_line(doc, "{{ place }}", "{{ date_text }}").paragraph_format.space_after = Pt(12)
    para(doc, "{{ parties_text }}")
    tag(doc, "{%p for section in sections %}")
    section_heading(doc, "{{ section.heading }}")
    # The closing section keeps with the requisites: the signatures never stand alone.
    tag(doc, "{%p for text in section.paragraphs %}")
    tag(doc, "{%p if section.keep %}")
    para(doc, "{{ text }}", keep_next=True)
    tag(doc, "{%p else %}")
    para(doc, "{{ text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    section_heading(doc, "10. Реквизиты и подписи Сторон").paragraph_format.space_after = Pt(0)
    _requisites_table(doc, "leader", "partner")
    tag(doc, "{%p if coordinator %}")
    para(doc, "", indent=0, size=12, keep_next=True)
    _requisites_table(doc, "coordinator", None)
    tag(doc, "{%p endif %}")
    save(doc, "partnership_agreement.docx")


# No heading word («Ответственный», «выполнении») nor a usual form word («Индивидуальные»,
# «администраций») breaks inside itself; the activity takes the rest.
PLAN_COLUMNS = (("№ п/п", 1.0), ("Мероприятие", 4.2), ("Форма проведения", 3.7),
                ("Срок", 2.4), ("Ответственный от школы-лидера", 3.8),
                ("Ответственный от школы-партнёра", 3.8), ("Ожидаемый результат", 3.6),
                ("Отметка о выполнении", 3.2))


def _loop_table(doc, columns, loop, fields, size=TABLE_SIZE):
    """A bordered table: the heading row (repeats on every page), then `{%tr for … %}`, a
    body row of `fields` (it may break across pages), `{%tr endfor %}`."""
    headers, widths = zip(*columns)
    width = len(headers)
    return grid_table(doc, headers, [[f"{{%tr for {loop} %}}"] + [""] * (width - 1),
                                     [f"{{{{ {field} }}}}" for field in fields],
                                     ["{%tr endfor %}"] + [""] * (width - 1)],
                      [Cm(w) for w in widths], size=size)


def _both_sides(doc, left, right, space_before=0, keep_next=True):
    """A line with the leader's part at the margin and the partner's at the middle."""
    paragraph = para(doc, "", align=LEFT, indent=0, keep_next=keep_next,
                     space_before=space_before)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(TABLE_WIDTH / 2 + 1),
                                                      WD_TAB_ALIGNMENT.LEFT)
    paragraph.add_run(left)
    paragraph.add_run("\t")
    paragraph.add_run(right)
    return paragraph


def build_partnership_plan():
    doc = _landscape()
    draft_mark(doc)
    mark = para(doc, "{{ attachment }}", align=LEFT, size=12, indent=0, space_after=12)
    mark.paragraph_format.left_indent = Cm(TABLE_WIDTH - 8.5)
    para(doc, "{{ title }}", align=CENTER, bold=True, indent=0, keep_next=True)
    para(doc, "{{ parties_line }}", align=CENTER, indent=0, space_after=12, keep_next=True)
    _loop_table(doc, PLAN_COLUMNS, "row in rows", (
        "row.number", "row.title", "row.form", "row.deadline", "row.leader_responsible",
        "row.partner_responsible", "row.expected_result", "row.mark"))
    tag(doc, "{%p if not rows %}")
    para(doc, "Мероприятия плана ещё не внесены.", align=LEFT, size=12, indent=0,
         space_before=6)
    tag(doc, "{%p endif %}")
    # The approval lines of both heads: one block, kept with the end of the table.
    para(doc, "", indent=0, size=12, space_after=6, keep_next=True)
    _both_sides(doc, "СОГЛАСОВАНО", "СОГЛАСОВАНО").runs[0].bold = True
    doc.paragraphs[-1].runs[2].bold = True
    _both_sides(doc, "{{ leader.position }}", "{{ partner.position }}")
    _both_sides(doc, "{{ leader.signature }}", "{{ partner.signature }}", space_before=18)
    _both_sides(doc, "«___» ____________ 20__ г.", "«___» ____________ 20__ г.",
                space_before=6, keep_next=False)
    save(doc, "partnership_plan.docx")


SUMMARY_COLUMNS = (("№ п/п", 1.2), ("Школа-лидер", 5.6), ("Школа-партнёр", 5.6),
                   ("Запланировано", 3.7), ("Выполнено", 3.0), ("Просрочено", 3.0),
                   ("Доля выполненных, %", 3.6))
PAIR_COLUMNS = (("№ п/п", 1.2), ("Мероприятие", 9.0), ("Срок", 4.0), ("Статус", 3.5),
                ("Отметка о выполнении", 8.0))


def build_partnership_report():
    doc = _landscape()
    tag(doc, "{%p if organization_name %}")
    para(doc, "{{ organization_name }}", align=CENTER, size=12, indent=0, space_after=12)
    tag(doc, "{%p endif %}")
    para(doc, "СПРАВКА", align=CENTER, bold=True, indent=0, keep_next=True)
    para(doc, "{{ heading }}", align=CENTER, bold=True, indent=0, keep_next=True)
    para(doc, "{{ report_date }}", align=CENTER, size=12, indent=0, space_after=12,
         keep_next=True)
    table = _loop_table(doc, SUMMARY_COLUMNS, "s in summary_rows", (
        "s.number", "s.leader", "s.partner", "s.planned", "s.done", "s.overdue", "s.percent"))
    total = table.add_row()
    keep_row_whole(total)
    for cell, text in zip(total.cells, ("", "Итого", "", "{{ totals.planned }}",
                                        "{{ totals.done }}", "{{ totals.overdue }}",
                                        "{{ totals.percent }}")):
        cell_text(cell, text, bold=True, size=TABLE_SIZE)
    tag(doc, "{%p for pair in pairs %}")
    para(doc, "{{ pair.heading }} ({{ pair.progress }})", align=LEFT, bold=True, indent=0,
         space_before=12, space_after=6, keep_next=True)
    _loop_table(doc, PAIR_COLUMNS, "row in pair.rows", (
        "row.number", "row.title", "row.deadline", "row.status", "row.mark"))
    tag(doc, "{%p endfor %}")
    # The totals in words close the text: the signature is never alone on a page.
    para(doc, "{{ summary_text }}", space_before=12, space_after=18, keep_next=True)
    _signature(doc)
    save(doc, "partnership_report.docx")


BUILDERS = [build_order_partnerships, build_partnership_agreement, build_partnership_plan,
            build_partnership_report]
