"""The programme (programme.docx) and the approval order (order_programmes_approval.docx) as
a clerk signs them without editing (issue 10, part 2): pagination, typography, requisites,
no empty rows or bare headings."""
import copy
import io
import re
import zipfile
from datetime import date

import docx
from lxml import etree

from blueprints.documents import registry
from blueprints.programmes import documents as P
from models import Order, db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NBSP = "\u00a0"


def _body(key, context):
    data = registry.render(key, context)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")


def _text(element):
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _paragraphs(body):
    return [_text(p) for p in body.iter(f"{W}p")]


def _programme(data=None):
    data = data or P.sample_programme()
    return _body("programme", P.programme_context(data))


def _top_paragraphs(body):
    return [p for p in body if p.tag == f"{W}p"]


def _following(paragraphs, text):
    """The first non-empty paragraph after the one whose text is `text`."""
    index = [_text(p) for p in paragraphs].index(text)
    return next(_text(p) for p in paragraphs[index + 1:] if _text(p).strip())


def test_risk_reference_inside_the_sentence_and_profile_numbered_1_to_n():
    context = P.programme_context(P.sample_programme())
    assert context["risk_profile"] == ["1. Дефицит педагогических кадров",
                                       "2. Низкая учебная мотивация обучающихся"]
    assert [t["text"] for t in context["tasks"]] == [
        "Восполнить дефицит учителей математики (факторы риска: 1).",
        "Повысить учебную мотивацию обучающихся (факторы риска: 2)."]
    text = "\n".join(_paragraphs(_programme())).replace(NBSP, " ")
    assert "1. Восполнить дефицит учителей математики (факторы риска: 1)." in text
    assert ". (факторы риска" not in text and "10. Низкая" not in text
    # A task citing a factor outside the profile cites nothing rather than a catalogue code.
    data = P.sample_programme()
    data["tasks"][1]["risks"] = "7"
    assert P.programme_context(data)["tasks"][1]["text"] == \
        "Повысить учебную мотивацию обучающихся."


def test_empty_rows_are_left_out_and_numbering_stays_contiguous():
    data = P.sample_programme()
    blank_indicator = dict(data["indicators"][0], name="", baseline="", baseline_year="",
                           targets=["", "", ""], source="", responsible="", unit="%",
                           direction="")
    data["indicators"].insert(1, blank_indicator)
    data["activities"].insert(0, {k: "" for k in data["activities"][0]})
    data["tasks"].insert(0, {"text": "", "risks": ""})
    data["activities"][1]["task"] = "2"  # the first real task, which becomes task 1
    data["resources"]["finance"].append({"item": "", "amount": "", "source": ""})
    data["risks"].insert(0, {"risk": "", "mitigation": ""})
    context = P.programme_context(data)
    assert [i["number"] for i in context["indicators"]] == ["1", "2", "3", "4"]
    assert [a["number"] for a in context["activities"]] == [str(n) for n in range(1, 7)]
    assert context["activities"][0]["task"] == f"Задача{NBSP}1"
    assert [t["number"] for t in context["tasks"]] == ["1.", "2."]
    assert len(context["finance"]) == 1 and len(context["risks"]) == 1
    body = _body("programme", context)
    for table in body.iter(f"{W}tbl"):
        for tr in table.findall(f"{W}tr")[1:]:
            cells = [_text(tc).strip() for tc in tr.findall(f"{W}tc")]
            assert any(cells[1:]), f"an empty numbered row: {cells}"


def test_no_bare_headings_when_data_is_missing():
    data = P.sample_programme()
    data["analysis"].update(results="", strengths="", weaknesses="", opportunities="",
                            threats="", conclusion="", risks=[])
    data["resources"].update(staff="", equipment="", information="", finance=[])
    data["mechanism"].update(implementation="", monitoring="")
    data["risks"], data["results"] = [], ""
    data["info"] = {key: "" for key in data["info"]}
    context = P.programme_context(data)
    assert context["swot"] == [] and context["info"] == []
    paragraphs = _top_paragraphs(_programme(data))
    for heading in ("2. Информационная справка об образовательной организации",
                    "3.1. Результаты за три года", "3.2. SWOT-анализ",
                    "3.3. Рисковый профиль школы", "7.1. Кадровое обеспечение",
                    "7.4. Информационное обеспечение", "9. Риски реализации программы и меры "
                    "по их снижению", "10. Ожидаемые результаты"):
        assert _following(paragraphs, heading) == "Сведения не представлены.", heading
    assert _following(paragraphs, "7.3. Финансовое обеспечение") == \
        "Дополнительное финансирование не требуется."
    assert _following(paragraphs, "8. Механизм реализации и мониторинга") == \
        "Сведения не представлены."
    assert "3.4. Выводы" not in [_text(p) for p in paragraphs]
    # passport rows without a value are not printed
    data["passport"]["developers"] = ""
    labels = [row["label"] for row in P.programme_context(data)["passport"]]
    assert "Разработчики" not in labels and "Заказчик" in labels


def test_title_page_stamps_number_lines_never_wrap_and_agreed_is_signed():
    context = P.programme_context(P.sample_programme())
    adopted, agreed, approved = context["stamps"]
    assert adopted[-1] == f"от{NBSP}28.08.2026{NBSP}№{NBSP}1)"
    assert approved[-1] == f"от{NBSP}01.10.2026{NBSP}№{NBSP}01-07/52"
    assert agreed == ["СОГЛАСОВАНА", "Директор МКУ «Центр развития образования»",
                      f"__________{NBSP}А.В.{NBSP}Соколова", "15.09.2026"]
    # nothing agreed yet: position, signature line and date are blanks to fill by hand
    data = P.sample_programme()
    data["agreed"], data["approved"] = {}, {}
    adopted, agreed, approved = P.programme_context(data)["stamps"]
    assert agreed[0] == "СОГЛАСОВАНА" and agreed[1].startswith("____")
    assert agreed[2].startswith("__________") and " " not in agreed[2]
    assert " " not in approved[-1] and approved[-1].startswith(f"от{NBSP}__")
    body = _programme()
    stamp_table = next(body.iter(f"{W}tbl"))
    lines = [_text(p) for p in stamp_table.iter(f"{W}p") if _text(p)]
    assert f"от{NBSP}01.10.2026{NBSP}№{NBSP}01-07/52" in lines
    assert f"__________{NBSP}А.В.{NBSP}Соколова" in lines


def test_numbers_have_thousands_separators_and_non_breaking_spaces():
    data = P.sample_programme()
    data["resources"]["finance"].append({"item": "Оборудование", "amount": "1250000,5",
                                         "source": "Грант"})
    context = P.programme_context(data)
    assert [f["amount"] for f in context["finance"]] == [f"60{NBSP}000", f"1{NBSP}250{NBSP}000,5"]
    text = "\n".join(_paragraphs(_body("programme", context)))
    assert f"60{NBSP}000" in text and "60000" not in text
    assert f"150{NBSP}000{NBSP}руб." in text  # the passport's funding line
    assert f"№{NBSP}3" in text and f"12{NBSP}%" in text
    assert "2026" in text and f"2{NBSP}026" not in text  # years stay whole


def test_headings_keep_with_next_and_table_headers_repeat():
    body = _programme()
    headings = [p for p in _top_paragraphs(body)
                if re.match(r"\d+(\.\d+)*\. [А-Я]", _text(p))
                and any(b.get(f"{W}val") not in ("0", "false") for b in p.iter(f"{W}b"))]
    assert len(headings) >= 15
    for paragraph in headings:
        assert paragraph.find(f"{W}pPr/{W}keepNext") is not None, _text(paragraph)
    grids = [t for t in body.iter(f"{W}tbl")
             if t.find(f"{W}tblPr/{W}tblStyle") is not None and len(t.findall(f"{W}tr")) > 1]
    assert len(grids) >= 5
    for table in grids:
        header = table.findall(f"{W}tr")[0]
        if _text(header).startswith(("Сильные", "Слабые")):
            continue  # the SWOT square has no heading row
        assert header.find(f"{W}trPr/{W}tblHeader") is not None, _text(header)[:40]
        for tr in table.findall(f"{W}tr")[1:]:
            assert tr.find(f"{W}trPr/{W}cantSplit") is None  # long rows may break


def test_landscape_pages_keep_20_mm_at_the_left_and_bottom():
    document = docx.Document(registry.get_doctype("programme").template_path)
    landscape = [s for s in document.sections if s.page_width > s.page_height]
    assert landscape
    for section in document.sections:
        assert round(section.left_margin.mm) >= 20 and round(section.bottom_margin.mm) >= 20


def test_title_page_fits_one_page_with_long_names():
    """No page that holds only the place and year: the title page leaves room for a long
    school name, a four-line stamp and a three-line title."""
    template = docx.Document(registry.get_doctype("programme").template_path)
    blank = 0
    for paragraph in template.paragraphs:
        if "{{ place_year }}" in paragraph.text:
            break
        blank += not paragraph.text.strip()
    assert blank <= 16


# --- the approval order ----------------------------------------------------------------------

def _approval(order, programmes=None, number="01-07/52"):
    return P.approval_context(order, programmes or [P.sample_programme()], number,
                              date(2026, 10, 1))


def test_approval_order_carries_the_founder_line(app):
    name = ("Управление образования администрации муниципального образования "
            "Новоречинский район")
    with app.app_context(), db.connection_context():
        order = P.approval_order(name, date(2026, 10, 1), "Начальник управления",
                                 "Волков Михаил Евгеньевич")
        assert order["founder"] == "Администрация муниципального образования Новоречинский район"
        assert P.approval_order("Отдел образования", date(2026, 10, 1))["founder"] == ""
    context = _approval(order)
    assert context["founder"] == "Администрация муниципального образования Новоречинский район"
    text = _paragraphs(_body("order_programmes_approval", context))
    assert text.index(context["founder"]) < text.index(name)


def test_approval_order_founder_from_the_departments_own_orders(app, make_org):
    department = make_org(kind="department", full_name="Комитет по образованию города")
    with app.app_context(), db.connection_context():
        Order.create(organization=department, order_date=date(2026, 9, 1), heading="О …",
                     founder="Администрация города Новоречинска")
        order = P.approval_order("Комитет по образованию города", date(2026, 10, 1))
    assert order["founder"] == "Администрация города Новоречинска"


def test_annex_mark_names_the_issuing_body_and_matches_the_text():
    context = P._sample_approval()
    rendered = _approval(context["order"])
    (annex,) = rendered["annexes"]
    heading = annex["heading"].replace("\n", " ")
    assert heading.startswith("Приложение к приказу управления образования")
    assert heading.endswith("от 01.10.2026 № 01-07/52")
    assert "Приложение 1" not in heading  # one annex: not numbered
    clause_texts = " ".join(c["text"] for c in rendered["clauses"])
    assert "(приложение)" in clause_texts and "(приложение 1)" not in clause_texts
    body = _body("order_programmes_approval", rendered)
    text = "\n".join(_paragraphs(body)).replace(NBSP, " ")
    assert "к приказу управления образования" in text and "Приложение 1" not in text


def test_contexts_do_not_change_the_callers_data():
    data = P.sample_programme()
    before = copy.deepcopy(data)
    P.programme_context(data)
    assert data == before


def test_agreed_stamp_names_the_centres_head(app, make_org):
    from types import SimpleNamespace
    centre = make_org(kind="centre", full_name="Муниципальное казённое учреждение «Центр "
                      "развития образования»", short_name="МКУ «ЦРО»",
                      head_position="Директор", head_name="Соколова Анна Викторовна")
    programme = SimpleNamespace(agreed_by=centre.full_name, agreed_on=date(2026, 9, 15))
    with app.app_context(), db.connection_context():
        agreed = P._agreed(programme)
        assert P._agreed(SimpleNamespace(agreed_by="", agreed_on=None)) == {}
    assert agreed == {"by": centre.full_name, "position": "Директор МКУ «ЦРО»",
                      "name": "Соколова Анна Викторовна", "date": "15.09.2026"}
    data = dict(P.sample_programme(), agreed=agreed)
    assert P.programme_context(data)["stamps"][1] == [
        "СОГЛАСОВАНА", "Директор МКУ «ЦРО»", f"__________{NBSP}А.В.{NBSP}Соколова",
        "15.09.2026"]


def test_no_page_that_holds_only_a_page_number():
    """The passport starts a page by its own heading (pageBreakBefore), not after a break
    paragraph that a full title page would push onto a page of its own."""
    body = _programme()
    assert not [br for br in body.iter(f"{W}br") if br.get(f"{W}type") == "page"]
    heading = next(p for p in _top_paragraphs(body) if _text(p) == "1. Паспорт программы")
    assert heading.find(f"{W}pPr/{W}pageBreakBefore") is not None
    # the document ends with text, not with empty paragraphs that could spill onto a page
    last = [p for p in _top_paragraphs(body)][-3:]
    assert any(_text(p).strip() for p in last)
