"""Road-map documents: roadmap.docx and roadmap_report.docx through the engine, and the .xlsx
exports of both, from the plain description of a road map (never ORM objects)."""
import copy
import io
import json
import zipfile
from datetime import date

import docx
import openpyxl
import pytest
from lxml import etree

from blueprints.documents import engine, registry
from blueprints.roadmaps import documents as D
from blueprints.roadmaps.xlsx import report_xlsx, roadmap_xlsx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ON = date(2026, 12, 1)  # the sample report date: 2.1 and 3.1 ended on 31.10.2026, not done
HOSTILE = ["<w:p>", "{{ x }}", "{% if x %}y{% endif %}", "& < >", "]]>",
           "</w:t></w:r><w:r><w:t>INJECTED", "звонок\x07 и\x00 управляющие\x0b\x1b символы"]


def _activities(data):
    return [a for s in data["sections"] for a in s["activities"]]


def _render(key, context):
    data = registry.render(key, context)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():  # every part is well-formed XML
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    return data, body


NBSP = "\u00a0"


def _text(element):
    """The text of an element with non-breaking spaces read as spaces (the typography has
    its own tests below)."""
    return "".join(t.text or "" for t in element.iter(f"{W}t")).replace(NBSP, " ")


def _rows(body):
    """The main table's rows as lists of cell texts (paragraphs joined by newlines)."""
    table = body.find(f"{W}tbl")
    return [["\n".join(_text(p) for p in tc.iter(f"{W}p"))
             for tc in tr.findall(f"{W}tc")] for tr in table.findall(f"{W}tr")]


def _before_table(body):
    lines = []
    for element in body:
        if element.tag == f"{W}tbl":
            return lines
        lines.append(_text(element))
    return lines


def _no_order(data):
    return dict(data, approved_by="", approved_number="", approved_on=None)


# --- contexts ---------------------------------------------------------------------------------

def test_contexts_are_plain_json_and_documented():
    data = D.sample_roadmap()
    for context in (D.roadmap_context(data), D.report_context(data, ON)):
        assert json.loads(json.dumps(context)) == context  # str/int/bool/lists/dicts only
    assert len(data["sections"]) >= 2 and len(_activities(data)) >= 6
    for doctype, title, series in ((D.ROADMAP, "Дорожная карта", "roadmap"),
                                   (D.REPORT, "Информация об исполнении дорожной карты",
                                    "roadmap_report")):
        assert registry.get_doctype(doctype.key) is doctype
        assert (doctype.title, doctype.series) == (title, series)
        assert set(doctype.variables) == set(doctype.sample_context())


def test_roadmap_context_columns_and_headings():
    context = D.roadmap_context(D.sample_roadmap())
    assert context["stamp"] == ["УТВЕРЖДЕНА", "приказом управления образования администрации "
                                "муниципального образования Новоречинский район",
                                "от 12.03.2026 № 01-07/45"]
    assert context["period"] == "2026–2027"
    first = context["sections"][0]
    assert first["heading"] == "1. Организационные мероприятия"
    assert first["activities"][1] == {
        "number": "1.2", "title": "Заключение соглашений о сетевом взаимодействии школ-лидеров "
                                  "и школ-партнёров",
        "deadline": "Апрель - май 2026", "responsible": "МКУ «Центр развития образования», "
                                                        "руководители ОО",
        "audience": "ОО — участники проекта",
        "expected_result": "Подписаны соглашения, утверждены планы взаимодействия"}
    assert D.section_heading({"number": "", "title": "Без номера"}) == "Без номера"
    assert D.section_heading({"number": "4.", "title": "Итоги"}) == "4. Итоги"
    # No text written: the dates stand for the deadline.
    assert D.deadline_text({"deadline_text": "", "starts_on": date(2026, 9, 1),
                            "ends_on": date(2026, 10, 31)}) == "01.09.2026 – 31.10.2026"
    assert D.deadline_text({"deadline_text": "  Постоянно ", "ends_on": date(2026, 1, 1)}) \
        == "Постоянно"


def test_stamp_lines_only_with_an_approving_order():
    data = D.sample_roadmap()
    assert D.stamp_lines(_no_order(data)) == []
    assert D.stamp_lines(dict(_no_order(data), approved_number="45")) == [
        "УТВЕРЖДЕНА", "приказом", "от __________ № 45"]
    assert D.stamp_lines(dict(_no_order(data), approved_by="управления образования",
                              approved_on=date(2020, 3, 12))) == [
        "УТВЕРЖДЕНА", "приказом управления образования", "от 12.03.2020 № ____"]
    assert D.stamp_lines(dict(data, approved_by="распоряжением администрации"))[1] \
        == "распоряжением администрации"


def test_report_context_statuses_overdue_evidence_and_summary():
    context = D.report_context(D.sample_roadmap(), ON)
    by_number = {a["number"]: a for s in context["sections"] for a in s["activities"]}
    assert context["report_date"] == "по состоянию на 01.12.2026"
    assert by_number["1.1"]["status"] == "выполнено" and not by_number["1.1"]["overdue"]
    assert by_number["1.1"]["evidence"] == ["Приказ № 01-07/52 от 20.03.2026",
                                            "https://opora.example.ru/docs/order-2026-52"]
    assert by_number["1.2"]["evidence"] == ["Протокол № 3 от 28.05.2026",
                                            "Сканы соглашений (архив)"]
    assert by_number["2.2"]["evidence"] == ["Материалы семинаров",
                                            "https://cro.example.ru/seminars/2026"]
    assert by_number["2.1"]["status"] == "в работе, просрочено" and by_number["2.1"]["overdue"]
    # Moved to a later date: not a failure, never «просрочено» (a defect found on the walk).
    assert by_number["3.1"]["status"] == "перенесено" and not by_number["3.1"]["overdue"]
    assert by_number["2.3"]["status"] == "запланировано"
    summary = context["summary"]
    assert (summary["total"], summary["done"], summary["overdue"], summary["percent_done"]) \
        == (8, 3, 1, 38)
    assert [(s["done"], s["total"]) for s in summary["sections"]] == [(3, 3), (0, 3), (0, 2)]
    assert context["sections"][0]["progress"] == "выполнено 3 из 3"
    # A month earlier nothing had ended yet; a done or cancelled activity is never overdue.
    earlier = D.report_context(D.sample_roadmap(), date(2026, 10, 1))
    assert earlier["summary"]["overdue"] == 0
    data = D.sample_roadmap()
    late = data["sections"][1]["activities"][0]
    for status, label in (("done", "выполнено"), ("cancelled", "отменено"),
                          ("failed", "не выполнено, просрочено")):
        late["status"] = status
        activity = D.report_context(data, ON)["sections"][1]["activities"][0]
        assert activity["status"] == label
    empty = D.report_context(dict(data, sections=[]), ON)["summary"]
    assert (empty["total"], empty["percent_done"]) == (0, 0)


# --- .docx ------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, build", [("roadmap", D.roadmap_context),
                                        ("roadmap_report", lambda d: D.report_context(d, ON))])
def test_document_has_every_activity_in_section_rows_spanning_the_table(key, build):
    data = D.sample_roadmap()
    document, body = _render(key, build(data))
    table = body.find(f"{W}tbl")
    columns = len(table.findall(f"{W}tblGrid/{W}gridCol"))
    assert columns == (5 if key == "roadmap" else 6)
    rows = table.findall(f"{W}tr")
    texts = _rows(body)
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None  # repeats on every page
    assert texts[0][:4] == ["№", "Мероприятие", "Срок", "Ответственные"]
    # header · per section: its row, then its activities — nothing else, nothing lost
    assert len(rows) == 1 + len(data["sections"]) + len(_activities(data))
    index = 1
    for section in data["sections"]:
        cells = rows[index].findall(f"{W}tc")
        assert len(cells) == 1, "a section row is one merged cell"
        span = cells[0].find(f"{W}tcPr/{W}gridSpan")
        assert span is not None and int(span.get(f"{W}val")) == columns
        assert texts[index][0].startswith(D.section_heading(section))
        assert rows[index].find(f".//{W}b") is not None  # bold
        for activity in section["activities"]:
            index += 1
            row = texts[index]
            assert len(row) == columns
            assert row[0] == activity["number"]
            assert row[1].startswith(activity["title"])
            assert f"Целевая аудитория: {activity['audience']}" in row[1]
            assert row[2] == activity["deadline_text"] and row[3] == activity["responsible"]
            if key == "roadmap":
                assert row[4] == activity["expected_result"]
        index += 1
    docx.Document(io.BytesIO(document))  # python-docx opens it


def test_document_is_a4_landscape_with_page_numbers():
    for key in ("roadmap", "roadmap_report"):
        section = docx.Document(registry.get_doctype(key).template_path).sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
        assert "PAGE" in section.header._element.xml


def test_stamp_at_the_top_only_when_there_is_an_approving_order():
    data = D.sample_roadmap()
    for key, build in (("roadmap", D.roadmap_context),
                       ("roadmap_report", lambda d: D.report_context(d, ON))):
        _, body = _render(key, build(data))
        top = [line for line in _before_table(body) if line]
        assert top[:3] == D.stamp_lines(data)
        assert top[3:5] == [data["organization_name"], data["title"]]
        stamp = next(p for p in body.iter(f"{W}p") if "УТВЕРЖДЕНА" in "".join(p.itertext()))
        assert int(stamp.find(f"{W}pPr/{W}ind").get(f"{W}left")) > 8000  # right half of page
        _, body = _render(key, build(_no_order(data)))
        top = [line for line in _before_table(body) if line]
        assert top[:2] == [data["organization_name"], data["title"]]
        assert "УТВЕРЖДЕНА" not in "".join(body.itertext())


def test_report_document_shows_status_execution_evidence_and_summary():
    _, body = _render("roadmap_report", D.report_context(D.sample_roadmap(), ON))
    assert "по состоянию на 01.12.2026" in _before_table(body)
    rows = {row[0]: row for row in _rows(body) if len(row) == 6}
    assert rows["2.1"][4] == "в работе, просрочено"
    assert rows["1.1"][4] == "выполнено"
    assert rows["1.1"][5] == ("Перечень из 4 школ утверждён, доведён до руководителей ОО.\n"
                              "Приказ № 01-07/52 от 20.03.2026\n"
                              "https://opora.example.ru/docs/order-2026-52")
    assert "Протокол № 3 от 28.05.2026" in rows["1.2"][5]
    table = body.find(f"{W}tbl")
    overdue = [tr for tr in table.findall(f"{W}tr")
               if "в работе, просрочено" in "".join(tr.itertext())][0]
    status_run = [r for r in overdue.iter(f"{W}r") if "просрочено" in "".join(r.itertext())][0]
    assert status_run.find(f"{W}rPr/{W}b") is not None  # overdue status in bold
    after = "".join(table.getnext().itertext())
    assert after == ("Всего мероприятий\u00a0— 8, выполнено\u00a0— 3 (38\u00a0%), "
                     "просрочено\u00a0— 1.")
    assert "1. Организационные мероприятия (выполнено 3 из 3)" in _rows(body)[1][0]


def _hostile_roadmap():
    data = D.sample_roadmap()
    data["title"] = " ".join(HOSTILE)
    data["approved_by"] = "приказом & <b>управления</b>"
    data["sections"][0]["title"] = "{{ x }} & <w:p>"
    for activity, text in zip(_activities(data), HOSTILE):
        activity.update(title=text, responsible=text, expected_result=text, execution=text,
                        deadline_text=text)
    data["sections"][0]["activities"][0]["evidence"] = [
        {"kind": "document", "title": "<w:p>", "number": "{{ x }}", "date": date(2026, 9, 1),
         "url": "https://example.ru/?a=1&b=<2>"}]
    return data


@pytest.mark.parametrize("key, build", [("roadmap", D.roadmap_context),
                                        ("roadmap_report", lambda d: D.report_context(d, ON))])
def test_hostile_text_comes_out_as_typed(key, build):
    data = _hostile_roadmap()
    document, body = _render(key, build(data))  # every part parses
    xml = etree.tostring(body, encoding="unicode")
    assert "INJECTED" in xml and "<w:t>INJECTED" not in xml  # escaped, not markup
    rows = {row[0]: row for row in _rows(body)[1:]}
    for activity, text in zip(_activities(data), HOSTILE):
        expected = engine.normalise(text)
        row = rows[activity["number"]]
        assert row[1].split("\n")[0] == expected and row[2] == expected and row[3] == expected
    assert engine.normalise(HOSTILE[-1]) == "звонок и управляющие символы"
    assert _rows(body)[1][0].startswith("1. {{ x }} & <w:p>")
    top = [line for line in _before_table(body) if line]
    assert top[1] == "приказом & <b>управления</b>"
    assert top[4] == engine.normalise(data["title"])  # after the organisation
    if key == "roadmap_report":
        assert rows["1.1"][5] == (f"{engine.normalise(HOSTILE[0])}\n<w:p> № {{{{ x }}}} от "
                                  "01.09.2026\nhttps://example.ru/?a=1&b=<2>")
    reopened = docx.Document(io.BytesIO(document))
    assert engine.normalise(data["title"]) in [p.text.replace(NBSP, " ")
                                                for p in reopened.paragraphs]


def test_300_activities_render_every_row():
    """(The time it takes is a `make bench` figure, not a test.)"""
    data = D.sample_roadmap()
    template = data["sections"][1]["activities"]
    data["sections"] = [{"number": str(s), "title": f"Раздел {s}", "activities": [
        dict(copy.deepcopy(template[n % 3]), number=f"{s}.{n}") for n in range(1, 31)]}
        for s in range(1, 11)]
    for key, context in (("roadmap", D.roadmap_context(data)),
                         ("roadmap_report", D.report_context(data, ON))):
        _, body = _render(key, context)
        assert len(_rows(body)) == 1 + 10 + 300


# --- .xlsx ------------------------------------------------------------------------------------

def _sheet(data):
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(book.worksheets) == 1
    return book.active


def get_letter(number):
    return openpyxl.utils.get_column_letter(number)


def _row_of(sheet, value, column=1):
    return next(r for r in range(1, sheet.max_row + 1)
                if sheet.cell(row=r, column=column).value == value)


@pytest.mark.parametrize("export, build, columns", [
    (roadmap_xlsx, D.roadmap_context, 6), (report_xlsx, lambda d: D.report_context(d, ON), 7)])
def test_xlsx_has_every_activity_merged_sections_and_print_setup(export, build, columns):
    data = D.sample_roadmap()
    context = build(data)
    sheet = _sheet(export(context))
    header = _row_of(sheet, "№")
    assert sheet.cell(row=header, column=2).value == "Мероприятие"
    assert sheet.max_column == columns
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    last = get_letter(columns)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    row = header
    for section in context["sections"]:
        row += 1
        assert f"A{row}:{last}{row}" in merged
        assert sheet.cell(row=row, column=1).value.startswith(section["heading"])
        assert sheet.cell(row=row, column=1).font.b
        for activity in section["activities"]:
            row += 1
            assert sheet.cell(row=row, column=1).value == activity["number"]
            assert sheet.cell(row=row, column=2).value == activity["title"]
            assert sheet.cell(row=row, column=2).alignment.wrap_text
    assert sheet.auto_filter.ref == f"A{header}:{last}{row}"
    assert row - header == len(data["sections"]) + len(_activities(data))
    # the stamp stands above the title at the top right
    assert sheet.cell(row=1, column=columns - 1).value == "УТВЕРЖДЕНА"
    assert _row_of(sheet, data["title"]) > 3
    assert sheet.column_dimensions["B"].width >= 40


def test_xlsx_without_order_has_no_stamp_and_report_has_status_and_summary():
    sheet = _sheet(roadmap_xlsx(D.roadmap_context(_no_order(D.sample_roadmap()))))
    assert sheet.cell(row=1, column=1).value == D.sample_roadmap()["title"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "УТВЕРЖДЕНА" not in values
    sheet = _sheet(report_xlsx(D.report_context(D.sample_roadmap(), ON)))
    row = _row_of(sheet, "2.1")
    assert sheet.cell(row=row, column=5).value == "в работе, просрочено"
    assert sheet.cell(row=row, column=5).font.b
    evidence = sheet.cell(row=_row_of(sheet, "1.1"), column=7).value
    assert evidence == ("Приказ № 01-07/52 от 20.03.2026\n"
                        "https://opora.example.ru/docs/order-2026-52")
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "по состоянию на 01.12.2026" in values
    assert "Всего мероприятий — 8, выполнено — 3 (38\u00a0%), просрочено — 1." in values


def test_xlsx_formula_like_and_hostile_text_stays_text():
    data = D.sample_roadmap()
    formulas = ['=HYPERLINK("http://evil.example","x")', "+7(900)1234567", "-1+2",
                "@SUM(A1:A2)", "=1+2"]
    for activity, text in zip(_activities(data), formulas):
        activity.update(title=text, responsible=text, execution=text)
    data["sections"][0].update(number="", title="=cmd|' /C calc'!A0")  # heading = title
    data["sections"][1]["activities"][2]["title"] = "строка\x07 с\x00 управляющими\x1b & <w:p>"
    for export, context in ((roadmap_xlsx, D.roadmap_context(data)),
                            (report_xlsx, D.report_context(data, ON))):
        content = export(context)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet_xml = archive.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml  # no formula anywhere
        sheet = _sheet(content)
        cells = {c.coordinate: c for row in sheet.iter_rows() for c in row if c.value}
        for text in formulas:
            found = [c for c in cells.values() if c.value == text]
            assert found and all(c.data_type == "s" for c in found)
        assert any(c.value.startswith("=cmd|") and c.data_type == "s" for c in cells.values())
        assert "строка с управляющими & <w:p>" in {c.value for c in cells.values()}


# --- a document a clerk signs without editing (issue 10, part 2) ---------------------------

def _paragraph_texts(body):
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


@pytest.mark.parametrize("key, build", [("roadmap", D.roadmap_context),
                                        ("roadmap_report", lambda d: D.report_context(d, ON))])
def test_long_rows_break_across_pages_header_repeats_sections_keep_with_their_rows(key, build):
    _, body = _render(key, build(D.sample_roadmap()))
    rows = body.find(f"{W}tbl").findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    activity_rows = [tr for tr in rows[1:] if len(tr.findall(f"{W}tc")) > 1]
    section_rows = [tr for tr in rows[1:] if len(tr.findall(f"{W}tc")) == 1]
    # an activity row may break: no cantSplit (page 1 was 40 % empty before a long row)
    assert activity_rows and all(tr.find(f"{W}trPr/{W}cantSplit") is None
                                 for tr in activity_rows)
    for tr in section_rows:  # a section heading never ends a page
        assert tr.find(f"{W}trPr/{W}cantSplit") is not None
        assert tr.find(f".//{W}pPr/{W}keepNext") is not None


@pytest.mark.parametrize("key, build", [("roadmap", D.roadmap_context),
                                        ("roadmap_report", lambda d: D.report_context(d, ON))])
def test_requisites_organisation_stamp_signer_executor_and_date(key, build):
    data = D.sample_roadmap()
    context = build(dict(data, as_of=ON))
    assert context["signer_position"] == "Начальник управления образования"
    assert context["signer_name"] == "М.Е. Волков"
    assert context["executor_note"] == "Белова Наталья Сергеевна, 8 (39145) 2-11-22"
    assert context["date_text"] == "01.12.2026"
    _, body = _render(key, context)
    top = [line for line in _before_table(body) if line]
    assert top[:4] == D.stamp_lines(data) + [data["organization_name"]]
    after = body.find(f"{W}tbl").getnext()
    tables = [e for e in after.itersiblings(preceding=False) if e.tag == f"{W}tbl"]
    signature = tables[-1]
    cells = [[_text(tc) for tc in tr.findall(f"{W}tc")] for tr in signature.findall(f"{W}tr")]
    assert cells[0] == ["Начальник управления образования", "М.Е. Волков"]
    assert _text(signature).count("01.12.2026") == 1
    assert "Белова Наталья Сергеевна, 8 (39145) 2-11-22" in cells[2][0]
    # the signer's initials stay with the surname; the block never splits and the line
    # above it is kept with it
    assert "М.Е.\u00a0Волков" in "".join(signature.itertext())
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None
               for tr in signature.findall(f"{W}tr"))
    before = signature.getprevious()
    assert before.find(f"{W}pPr/{W}keepNext") is not None
    # no compilation date in the data: blanks to fill by hand, never today's date silently
    assert D.roadmap_context(data)["date_text"] == "«___» ____________ 20__ г."


def test_unnamed_section_prints_no_row_and_no_progress_label():
    data = D.sample_roadmap()
    data["sections"][1].update(number="", title="")
    for key, build in (("roadmap", D.roadmap_context),
                       ("roadmap_report", lambda d: D.report_context(d, ON))):
        context = build(data)
        assert context["sections"][1]["heading"] == ""
        _, body = _render(key, context)
        rows = _rows(body)
        assert len(rows) == 1 + 2 + len(_activities(data))  # two headed sections only
        assert all(row[0].strip() for row in rows if len(row) == 1)  # no empty grey row
        text = "\n".join(_paragraph_texts(body))
        assert "(выполнено 0 из 3)" not in text and ": выполнено" not in text
    summary = D.report_context(data, ON)["summary"]
    assert [s["heading"] for s in summary["sections"]] == [
        "1. Организационные мероприятия", "3. Мониторинг и контроль"]
    assert summary["total"] == len(_activities(data))  # still counted in the totals


def test_unnumbered_activity_gets_its_number():
    data = D.sample_roadmap()
    data["sections"][0]["activities"][1]["number"] = ""
    data["sections"][2]["number"] = ""
    for activity in data["sections"][2]["activities"]:
        activity["number"] = ""
    context = D.roadmap_context(data)
    assert [a["number"] for a in context["sections"][0]["activities"]] == ["1.1", "1.2", "1.3"]
    # a section without a number: the activity's place in the whole road map
    assert [a["number"] for a in context["sections"][2]["activities"]] == ["7", "8"]
    _, body = _render("roadmap_report", D.report_context(data, ON))
    numbers = [row[0] for row in _rows(body)[1:] if len(row) == 6]
    assert all(numbers) and numbers[1] == "1.2"


def test_evidence_links_are_absolute_or_the_document_is_cited_by_number_and_date():
    from types import SimpleNamespace

    from blueprints.roadmaps.data import _evidence
    document = SimpleNamespace(year=2026, slug="prikaz-45", status="published", number="45",
                               registered_on=date(2026, 9, 1), doctype="order")
    item = SimpleNamespace(kind="document", document_shown=True, document_id=1,
                           document=document, title="", url="")
    linked = _evidence(item, "https://cro.example.ru/")
    assert linked["url"] == "https://cro.example.ru/docs/2026/prikaz-45"
    bare = _evidence(item, "")  # no site address: never a bare «/docs/…» path
    assert bare["url"] == "" and bare["number"] == "45" and bare["date"] == date(2026, 9, 1)
    page = SimpleNamespace(kind="url", document_shown=False, document_id=None, document=None,
                           title="Материалы", url="/docs/2026/plan")
    assert _evidence(page, "https://cro.example.ru")["url"] == \
        "https://cro.example.ru/docs/2026/plan"
    assert _evidence(page, "")["url"] == ""
    lines = D.evidence_lines([dict(bare, title="Приказ"),
                              {"title": "Страница", "url": "/docs/2026/plan"}])
    assert lines == ["Приказ № 45 от 01.09.2026", "Страница"]  # relative links not printed


def test_landscape_pages_keep_20_mm_at_the_left_and_bottom():
    for key in ("roadmap", "roadmap_report"):
        for section in docx.Document(registry.get_doctype(key).template_path).sections:
            assert round(section.left_margin.mm) >= 20 and round(section.bottom_margin.mm) >= 20
