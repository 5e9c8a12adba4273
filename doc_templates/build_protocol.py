"""Builders of protocol.docx and protocol_extract.docx (ГОСТ Р 7.0.97-2016, «Протокол»).

Run through `python -m doc_templates.build`, which calls these with the other builders.
Both documents share the requisites block, the agenda item block and the signatures, so the
extract is laid out exactly like the item in the full protocol.
"""
from docx.shared import Cm

from .parts import (CENTER, LEFT, RIGHT, grid_table, new_document, para, save, signature_line,
                    tag, two_column_line)


def _requisites(doc, kind_title):
    """ПРОЕКТ mark · organisation · document kind · date and number · place · heading."""
    tag(doc, "{%p if is_draft %}")
    para(doc, "ПРОЕКТ", align=RIGHT, bold=True, size=12, indent=0)
    tag(doc, "{%p endif %}")
    para(doc, "{{ organization_name }}", align=CENTER, bold=True, indent=0, space_after=12)
    para(doc, kind_title, align=CENTER, bold=True, size=16, indent=0, space_after=12)
    two_column_line(doc, "{{ date_text }}", "№ {{ number_text }}")
    tag(doc, "{%p if place %}")
    para(doc, "{{ place }}", align=CENTER, size=12, indent=0, space_before=6)
    tag(doc, "{%p endif %}")
    heading = para(doc, "{{ heading }}", align=LEFT, bold=True, indent=0, space_before=18,
                   space_after=18, keep_next=True)
    heading.paragraph_format.right_indent = Cm(7)
    tag(doc, "{%p if chair_line %}")
    para(doc, "Председатель — {{ chair_line }}", align=LEFT, indent=0)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if secretary_line %}")
    para(doc, "Секретарь — {{ secretary_line }}", align=LEFT, indent=0)
    tag(doc, "{%p endif %}")


def _label(doc, text, space_before=6):
    """СЛУШАЛИ:, ВЫСТУПИЛИ:, ПОСТАНОВИЛИ: at the margin, the text below them indented."""
    para(doc, text, align=LEFT, bold=True, indent=0, space_before=space_before, keep_next=True)


def _item_block(doc, item):
    """One agenda item: СЛУШАЛИ, ВЫСТУПИЛИ, ПОСТАНОВИЛИ with numbered decisions, votes.
    `item` is the template name of the item (a loop variable or a context key)."""
    _label(doc, f"{{{{ {item}.number }}}} СЛУШАЛИ:", space_before=12)
    tag(doc, f"{{%p for text in {item}.heard %}}")
    para(doc, "{{ text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, f"{{%p if {item}.spoke %}}")
    _label(doc, "ВЫСТУПИЛИ:")
    tag(doc, f"{{%p for text in {item}.spoke %}}")
    para(doc, "{{ text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, f"{{%p if {item}.decisions %}}")
    _label(doc, "ПОСТАНОВИЛИ:")
    # Each decision is a whole sentence made by the program («…; ответственный — …, срок —
    # до ….»); the last one stays with the votes (and the signatures after the last item).
    tag(doc, f"{{%p for decision in {item}.decisions %}}")
    tag(doc, "{%p if loop.last %}")
    para(doc, "{{ decision.number }} {{ decision.text }}", keep_next=True)
    tag(doc, "{%p else %}")
    para(doc, "{{ decision.number }} {{ decision.text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, f"{{%p if {item}.votes_text %}}")
    para(doc, f"Голосовали: {{{{ {item}.votes_text }}}}.", space_before=6, keep_next=True)
    tag(doc, "{%p endif %}")


def _signatures(doc, keep_next=False):
    """Position at the left, «И.О. Фамилия» at the right margin, for the chair and the secretary."""
    para(doc, "", space_after=24, keep_next=True)
    signature_line(doc, "Председатель", "{{ chair_name }}", keep_next=True)
    para(doc, "", space_after=12, keep_next=True)
    signature_line(doc, "Секретарь", "{{ secretary_name }}", keep_next=keep_next)


def _people(doc, label, items, note=""):
    """«Присутствовали:» / «Приглашённые:» followed by one person a line, «;» between them."""
    para(doc, label + note, align=LEFT, indent=0, space_before=6)
    tag(doc, f"{{%p for person in {items} %}}")
    line = para(doc, "{{ person }}{% if loop.last %}.{% else %};{% endif %}", align=LEFT,
                indent=0)
    line.paragraph_format.left_indent = Cm(1.25)
    tag(doc, "{%p endfor %}")


def build_protocol():
    doc = new_document()
    _requisites(doc, "ПРОТОКОЛ")
    tag(doc, "{%p if attendees or attendees_note %}")
    _people(doc, "Присутствовали:", "attendees",
            note="{% if attendees_note %} {{ attendees_note }}.{% endif %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if guests %}")
    _people(doc, "Приглашённые:", "guests")
    tag(doc, "{%p endif %}")

    para(doc, "ПОВЕСТКА ДНЯ:", align=CENTER, bold=True, indent=0, space_before=18,
         space_after=6, keep_next=True)
    tag(doc, "{%p for item in items %}")
    para(doc, "{{ item.number }} {{ item.title }}")
    tag(doc, "{%p if item.speaker %}")
    para(doc, "Докладчик — {{ item.speaker }}.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    tag(doc, "{%p for item in items %}")
    _item_block(doc, "item")
    tag(doc, "{%p endfor %}")
    _signatures(doc)

    # More than ~15 members present: the text gives the count, the names go to an annex.
    tag(doc, "{%p if attendance_rows %}")
    stamp = para(doc, "{{ attendance_heading }}", align=LEFT, size=12, indent=0, space_after=18,
                 keep_next=True, page_break_before=True)
    stamp.paragraph_format.left_indent = Cm(9)
    para(doc, "Список присутствовавших на заседании", align=CENTER, bold=True, indent=0,
         space_after=12, keep_next=True)
    grid_table(doc, ["№", "Фамилия, имя, отчество", "Должность"],
               [["{%tr for row in attendance_rows %}", "", ""],
                ["{{ row.number }}", "{{ row.name }}", "{{ row.job_title }}"],
                ["{%tr endfor %}", "", ""]], (Cm(1.5), Cm(6.5), Cm(8.5)))
    tag(doc, "{%p endif %}")
    save(doc, "protocol.docx")


def build_protocol_extract():
    doc = new_document()
    _requisites(doc, "ВЫПИСКА ИЗ ПРОТОКОЛА")
    para(doc, "Присутствовали: {{ present_text }}.", align=LEFT, indent=0, space_before=6)
    para(doc, "Из повестки дня:", align=LEFT, bold=True, indent=0, space_before=18,
         space_after=6, keep_next=True)
    para(doc, "{{ item.number }} {{ item.title }}", keep_next=True)
    _item_block(doc, "item")
    # The signatures and the certification «Выписка верна» stay together on one page.
    _signatures(doc, keep_next=True)
    para(doc, "Выписка верна", align=LEFT, indent=0, space_before=36, space_after=6,
         keep_next=True)
    signature_line(doc, "Секретарь", "{{ secretary_name }}", keep_next=True)
    para(doc, "{{ issued_text }}", align=LEFT, indent=0, space_before=6)
    save(doc, "protocol_extract.docx")


BUILDERS = [build_protocol, build_protocol_extract]
