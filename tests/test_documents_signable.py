"""Documents a clerk signs without editing (issue 10, part 2): one check per item, on the
rendered samples of the order, the protocol and its extract and on every built-in template."""
import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from lxml import etree

from blueprints.core import filters
from blueprints.core.filters import (FILTERS, NBSP, clause_sentence, date_words, fio_case,
                                     fio_short, money, nbsp, number, preamble_text, printed)
from blueprints.documents import engine
from blueprints.meetings import demo as meetings_demo
from blueprints.meetings.documents import extract_context, protocol_context, sample_meeting
from blueprints.orders.documents import order_context, sample_order

TEMPLATES = Path(__file__).resolve().parents[1] / "doc_templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_20_MM = 1134


def _render(template, context):
    return engine.CompiledTemplate((TEMPLATES / template).read_bytes()).render(context)


def _order(**changes):
    return order_context(dict(sample_order(), **changes), "01-07/45", date(2026, 9, 1))


def _protocol(meeting=None):
    return protocol_context(meeting or sample_meeting(), "7", date(2026, 10, 15))


def _big_meeting():
    meeting = sample_meeting()
    meeting["attendees"] = [dict(p, full_name=f"{p['full_name'].split()[0]}{i} "
                                               f"{' '.join(p['full_name'].split()[1:])}")
                            for i in range(5) for p in meeting["attendees"]]
    return meeting


def _long_order(extra):
    """The sample with `extra` more clauses: with 5 the signature falls at the page's end."""
    order = sample_order()
    order["clauses"] = order["clauses"] + [
        {"level": 0, "text": f"Пункт номер {i} о проведении мероприятий по повышению качества "
                             "образования в школах района.", "executor": "", "deadline": ""}
        for i in range(extra)]
    return order_context(order, "01-07/45", date(2026, 9, 1))


def _long_extract():
    meeting = sample_meeting()
    meeting["items"][1]["heard"] = "\n".join(
        ["Длинное сообщение докладчика о ходе работы школ района и об итогах мониторинга."] * 3)
    return extract_context(_protocol(meeting), 2, date(2026, 10, 20))


SAMPLES = {
    "order": lambda: ("order.docx", _order()),
    "order_signature_at_page_end": lambda: ("order.docx", _long_order(5)),
    "order_two_pages": lambda: ("order.docx", _long_order(8)),
    "protocol_extract_page_end": lambda: ("protocol_extract.docx", _long_extract()),
    "protocol": lambda: ("protocol.docx", _protocol()),
    "protocol_attendance_list": lambda: ("protocol.docx", _protocol(_big_meeting())),
    "protocol_extract": lambda: ("protocol_extract.docx",
                                 extract_context(_protocol(), 2, date(2026, 10, 20))),
}


def _paragraphs(data):
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs]


def _text(data):
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _plain(text):
    return text.replace(NBSP, " ")


def _body(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


# --- order clauses: «…; ответственный — …, срок — до …» ending «.» or «;» by position ---------

def test_clause_tail_is_a_sentence_ending_by_position():
    text = _plain("\n".join(_paragraphs(_render(*SAMPLES["order"]()))))
    assert "Ответственный:" not in text and "Срок:" not in text
    assert ("2.1. назначить ответственных за мониторинг; ответственный — руководители ОО, "
            "срок — до 15.09.2026;") in text
    assert ("2.2. представить отчёты в МБУ «Центр развития образования» и управление "
            "образования; ответственный — руководители ОО, срок — ежеквартально.") in text
    assert "2. Руководителям общеобразовательных организаций:" in text
    assert "ответственный — Смирнова Л.А., срок — до 25.12.2026." in text  # initial kept
    clauses = [c["text"] for c in _order()["clauses"]]
    assert [c[-1] for c in clauses] == [".", ":", ";", ".", "."]


def test_clause_sentence_rules():
    assert clause_sentence("Сдать отчёт.", "Петрова Е.В.", "15.09.2026") == \
        "Сдать отчёт; ответственный — Петрова Е.В., срок — до 15.09.2026."
    assert clause_sentence("сдать отчёт", "", "Ежемесячно", ";") == \
        "сдать отчёт; срок — ежемесячно;"
    assert clause_sentence("Руководителям ОО:") == "Руководителям ОО:"
    decisions = _protocol()["items"][0]["decisions"]
    assert decisions[1]["text"].endswith(
        "; ответственный — МБУ «Центр развития образования», срок — до 20.11.2026.")


# --- preamble closing comma before «ПРИКАЗЫВАЮ:» -------------------------------------------

def test_preamble_ends_with_a_comma_before_the_imperative():
    paragraphs = [p for p in _paragraphs(_render(*SAMPLES["order"]())) if p.strip()]
    before = paragraphs[paragraphs.index("ПРИКАЗЫВАЮ:") - 1]
    assert before.endswith("(ШНОР),")
    assert preamble_text("В целях контроля.") == "В целях контроля,"
    assert preamble_text("В соответствии с планом:") == "В соответствии с планом:"
    assert preamble_text("В целях контроля", imperative=False) == "В целях контроля."


# --- pagination ----------------------------------------------------------------------------

def _keeps_next(paragraph):
    return paragraph.find(f"{W}pPr/{W}keepNext") is not None


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_headings_and_signatures_keep_with_what_follows(name):
    body = _body(_render(*SAMPLES[name]()))
    blocks = list(body.find(f"{W}body"))
    headings = {"ПРИКАЗЫВАЮ:", "ПОВЕСТКА ДНЯ:", "ПОСТАНОВИЛИ:", "ВЫСТУПИЛИ:", "Выписка верна",
                "Из повестки дня:"}
    for block in blocks:
        if block.tag == f"{W}p":
            text = "".join(block.itertext()).strip()
            if text in headings or text.endswith("СЛУШАЛИ:") or text.startswith(
                    ("Об организации", "заседания", "Приложение")):
                assert _keeps_next(block), text
    # The signature rows: never split, kept with the next, and the paragraph before the
    # first signature line (the last line of text or its spacer) keeps with it.
    # The signature lines are paragraphs (a table would not keep with the text in
    # LibreOffice): they, and the last lines of text before them, keep with what follows.
    signatures = [i for i, b in enumerate(blocks) if b.tag == f"{W}p" and re.match(
        r"(Председатель|Секретарь|Начальник[^\t]*)\t", "".join(
            "\t" if e.tag == f"{W}tab" else (e.text or "")
            for run in b.iter(f"{W}r") for e in run.iter(f"{W}t", f"{W}tab")))]
    assert signatures
    first = signatures[0]
    assert _keeps_next(blocks[first - 1]) and _keeps_next(blocks[first - 2])
    for index in signatures[:-1]:
        assert _keeps_next(blocks[index])
    assert not body.findall(f".//{W}br[@{W}type='page']")  # annexes start by pageBreakBefore


@pytest.mark.parametrize("name", ["order", "protocol_attendance_list"])
def test_table_heading_rows_repeat(name):
    body = _body(_render(*SAMPLES[name]()))
    grids = [t for t in body.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblStyle") is not None]
    assert grids
    for table in grids:
        assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None


needs_soffice = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                   reason="LibreOffice or poppler is not installed")


@needs_soffice
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_no_page_holds_only_its_number(name, tmp_path):
    source = tmp_path / f"{name}.docx"
    source.write_bytes(_render(*SAMPLES[name]()))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{name}.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    if not pages[-1].strip():
        pages = pages[:-1]
    for number_, page in enumerate(pages, start=1):
        words = re.sub(r"^\s*\d+\s*", "", page.strip())
        assert len(words) > 40, f"page {number_} holds only «{page.strip()}»"
    # The signature is on the page of the last lines of text it signs.
    signature, text_before = {"order": ("М.Е. Волков", "Контроль за исполнением"),
                              "order_signature_at_page_end": ("М.Е. Волков", "Контроль за"),
                              "order_two_pages": ("М.Е. Волков", "Контроль за"),
                              "protocol_extract_page_end": ("Выписка верна", "Голосовали"),
                              "protocol": ("Н.С. Белова", "Голосовали"),
                              "protocol_attendance_list": ("Н.С. Белова", "Голосовали"),
                              "protocol_extract": ("Выписка верна", "Голосовали")}[name]
    page = next(p for p in pages if signature in p.replace(NBSP, " "))
    assert text_before in page


# --- ru-RU everywhere ----------------------------------------------------------------------

def _languages(data):
    found = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                for tag in re.findall(r"<w:(?:lang|themeFontLang)\b[^>]*>", xml):
                    found |= set(re.findall(r'w:(?:val|eastAsia|bidi)="([^"]*)"', tag))
    return found


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.docx")), ids=lambda p: p.name)
def test_every_template_is_russian_only(path):
    assert _languages(path.read_bytes()) == {"ru-RU"}
    with zipfile.ZipFile(path) as archive:  # the defaults of every style say so
        assert 'w:lang w:val="ru-RU"' in archive.read("word/styles.xml").decode()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_rendered_sample_is_russian_only(name):
    assert _languages(_render(*SAMPLES[name]())) == {"ru-RU"}


def test_every_doctype_sample_is_russian_only():
    """All doctypes, through the registry whatever its shape (roadmaps, programme too)."""
    from blueprints.documents import registry
    for key in sorted(registry.all_doctypes()):
        doctype = registry.get_doctype(key)
        sample = doctype.sample_context() if hasattr(doctype, "sample_context") else \
            doctype.sample_context()
        data = registry.render(key, sample)
        assert _languages(data) <= {"ru-RU"}, key


# --- non-breaking spaces -------------------------------------------------------------------

def test_non_breaking_spaces_in_the_rendered_order():
    text = _text(_render(*SAMPLES["order"]()))
    for expected in (f"№{NBSP}01-07/45", f"г.{NBSP}Новоречинск", f"М.Е.{NBSP}Волков",
                     f"Смирнова{NBSP}Л.А.", f"№{NBSP}273-ФЗ", f"30{NBSP}%"):
        assert expected in text, expected
    protocol = _text(_render(*SAMPLES["protocol"]()))
    assert f"31{NBSP}%" in protocol and f"Л.А.{NBSP}Смирнова" in protocol


@pytest.mark.parametrize("typed, printed_", [
    ("№ 45", f"№{NBSP}45"), ("г. Новоречинск", f"г.{NBSP}Новоречинск"),
    ("ст. 12, п. 3", f"ст.{NBSP}12, п.{NBSP}3"), ("М.Е. Волков", f"М.Е.{NBSP}Волков"),
    ("Волков М.Е.", f"Волков{NBSP}М.Е."), ("60 000 руб.", f"60{NBSP}000{NBSP}руб."),
    ("60000 руб.", f"60{NBSP}000{NBSP}руб."), ("12 %", f"12{NBSP}%"),
    ("2026 г.", f"2026{NBSP}г."), ("8 (39145) 2-11-22", "8 (39145) 2-11-22"),
    ("ИНН 2460000000", "ИНН 2460000000"),
])
def test_nbsp_filter(typed, printed_):
    assert nbsp(typed) == printed_


def test_every_printed_number_has_thousands_separated():
    probe = engine.make_env().from_string("{{ a }} {{ b }} {{ c }} {{ d }} {{ e }}")
    assert probe.render(a=60000, b=2026, c=1234567.5, d=True, e="60000 руб.") == \
        f"60{NBSP}000 2026 1{NBSP}234{NBSP}567,5 True 60{NBSP}000{NBSP}руб."
    assert number(60000) == f"60{NBSP}000" and printed(12) == "12"


# --- annex marks and references ------------------------------------------------------------

def _annex_refs(texts):
    return re.findall(r"приложени[еяию]\s*(\d*)", " ".join(texts), re.IGNORECASE)


def test_single_annex_mark_names_the_issuer_without_a_number():
    context = _order()
    assert len(context["annexes"]) == 1
    heading = _plain(context["annexes"][0]["heading"])
    assert heading == ("Приложение\nк приказу управления образования администрации "
                       "муниципального образования Новоречинский район\nот 01.09.2026 № 01-07/45")
    assert _annex_refs(c["text"] for c in context["clauses"]) == [""]  # «(приложение)»
    text = _plain(_text(_render("order.docx", context)))
    assert "Приложение\nк приказу управления образования" in text or \
        "Приложение к приказу управления образования" in text.replace("\n", " ")


def test_several_annexes_are_numbered_and_match_the_references():
    order = sample_order()
    order["annexes"] = order["annexes"] * 2
    order["clauses"][0]["text"] = "Утвердить план-график мониторинга (приложения 1 и 2)."
    context = order_context(order, "01-07/45", date(2026, 9, 1))
    marks = [a["heading"].split("\n")[0] for a in context["annexes"]]
    assert marks == ["Приложение 1", "Приложение 2"]
    assert "(приложения 1 и 2)" in context["clauses"][0]["text"]


def test_a_reference_to_the_only_annex_loses_its_number_as_the_mark_does():
    order = sample_order()
    order["clauses"][0]["text"] = "Утвердить план-график мониторинга (приложение 1)."
    context = order_context(order, "01-07/45", date(2026, 9, 1))
    assert context["clauses"][0]["text"] == "Утвердить план-график мониторинга (приложение)."
    assert context["annexes"][0]["heading"].startswith("Приложение\n")


@pytest.mark.parametrize("name", ["protocol", "protocol_extract", "protocol_attendance_list"])
def test_a_protocol_cites_only_annexes_it_produces(name):
    template, context = SAMPLES[name]()
    text = _plain(_text(_render(template, context))).lower()
    produces = bool(context.get("attendance_rows"))
    assert ("прилага" in text or "приложени" in text) == produces
    for meeting_item in meetings_demo.AGENDA:
        for decision in meeting_item["decisions"]:
            assert "приложени" not in decision["text"].lower()


# --- landscape margins ---------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.docx")), ids=lambda p: p.name)
def test_landscape_pages_keep_20_mm_at_the_bottom_and_binding_edge(path):
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    for section in root.iter(f"{W}sectPr"):
        size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
        assert int(margins.get(f"{W}bottom")) >= TWIPS_20_MM
        assert int(margins.get(f"{W}left")) >= TWIPS_20_MM
        assert int(margins.get(f"{W}top")) >= TWIPS_20_MM
        if size.get(f"{W}orient") == "landscape":
            assert int(margins.get(f"{W}right")) >= TWIPS_20_MM - 1


# --- table headings ------------------------------------------------------------------------

FONT_DIR = Path("/usr/share/fonts/truetype/liberation")
CELL_MARGINS = 2 * 108  # twips: Word's default left and right padding of a table cell


@pytest.mark.skipif(not FONT_DIR.exists(), reason="fonts-liberation is not installed")
@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.docx")), ids=lambda p: p.name)
def test_no_table_heading_word_breaks_inside_itself(path):
    """Every word of a table's first row fits its column («Ответственны-й» split over two
    lines is what a clerk would have to fix by hand): measured with Times New Roman's metric
    twin at the run's size."""
    from PIL import ImageFont

    document = docx.Document(str(path))
    normal = document.styles["Normal"].font.size
    too_narrow = []
    for table in document.tables:
        grid = [int(col.get(f"{W}w")) for col in table._tbl.tblGrid.findall(f"{W}gridCol")]
        for index, cell in enumerate(table.rows[0].cells[:len(grid)]):
            width = cell.width.twips if cell.width else grid[index]
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    if "{" in run.text:
                        continue  # template tags, not printed
                    size = (run.font.size or paragraph.style.font.size or normal).pt
                    face = "Bold" if run.bold or paragraph.style.font.bold else "Regular"
                    font = ImageFont.truetype(str(FONT_DIR / f"LiberationSerif-{face}.ttf"),
                                              size=round(size * 20))  # 1 px = 1 twip
                    too_narrow += [(word, round(font.getlength(word)), width)
                                   for word in run.text.split()
                                   if font.getlength(word) + CELL_MARGINS > width]
    assert too_narrow == []


# --- Russian typography filters ------------------------------------------------------------

def test_typography_filters_are_shared_by_html_and_docx():
    for name in ("date_words", "money", "money_num", "fio_case", "fio_short", "number", "nbsp"):
        assert name in FILTERS and name in engine.DOC_FILTERS
    from blueprints.documents import gate
    assert {"money", "fio_case", "number", "nbsp"} <= gate.ALLOWED_FILTERS


def test_dates_money_and_names():
    assert date_words(date(2026, 9, 23)) == "23 сентября 2026 г."
    assert _plain(money(60000)) == "60 000 (шестьдесят тысяч) руб. 00 коп."
    assert _plain(money("1234.5")) == "1234 (одна тысяча двести тридцать четыре) руб. 50 коп."
    assert fio_case("Иванов Иван Иванович", "accusative") == "Иванова Ивана Ивановича"
    assert fio_case("Петрова Е.В.", "dative") == "Петровой Е.В."
    assert fio_case("Петрова Елена Викторовна", "dative") == "Петровой Елене Викторовне"
    assert fio_case("Смирнова Людмила Аркадьевна", "instrumental") == \
        "Смирновой Людмилой Аркадьевной"
    assert fio_short("Иванов Иван Иванович") == "И.И. Иванов"
    assert fio_short("Петрова Е.В.") == "Е.В. Петрова" == fio_short("Е.В. Петрова")
    env = engine.make_env()
    rendered = env.from_string("поручить {{ name | fio_case('dative') }}, сумма {{ s | money }}"
                               ).render(name="Петрова Е.В.", s=60000)
    assert _plain(rendered) == "поручить Петровой Е.В., сумма 60 000 (шестьдесят тысяч) руб. 00 коп."
    assert filters.fio_case("", "dative") == ""


# --- demo data: clean official Russian -----------------------------------------------------

def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def test_samples_and_demo_have_no_ampersand():
    for source in (sample_order(), sample_meeting(), meetings_demo.AGENDA, meetings_demo.MEMBERS):
        assert not [s for s in _strings(source) if "&" in s]
    for name in SAMPLES:
        assert "&" not in _text(_render(*SAMPLES[name]()))


def test_attendees_are_listed_in_alphabetical_order():
    lines = _protocol()["attendees"]
    assert lines == sorted(lines, key=str.lower)
    assert [line.split()[0] for line in lines] == ["Волков", "Лебедева", "Макарова", "Тимофеев"]


def test_a_template_saved_in_english_word_renders_russian():
    document = docx.Document()  # python-docx's default styles say en-US
    document.add_paragraph("{{ body }}")
    out = io.BytesIO()
    document.save(out)
    assert "en-US" in _languages(out.getvalue())
    data = engine.CompiledTemplate(out.getvalue()).render({"body": "Приказ № 5"})
    assert _languages(data) == {"ru-RU"}
    assert _text(data) == f"Приказ №{NBSP}5"
