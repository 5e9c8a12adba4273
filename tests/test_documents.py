"""The rendering engine: every doctype renders; user text survives; bad templates fail cleanly."""
import io
import threading
import zipfile
from datetime import date

import docx
import pytest
from docx.shared import Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from blueprints.core.filters import date_num, date_words, fio_short, printed
from blueprints.documents import engine, registry
from blueprints.documents.numbering import format_number, next_number
from models import NumberSeries, db



def _probe_template():
    """A .docx with one variable in the body, a table cell, the header and the footer."""
    document = docx.Document()
    document.add_paragraph("{{ body }}")
    document.add_table(rows=1, cols=1).rows[0].cells[0].paragraphs[0].add_run("{{ cell }}")
    section = document.sections[0]
    section.header.paragraphs[0].add_run("{{ head }}")
    section.footer.paragraphs[0].add_run("{{ foot }}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PROBE = engine.CompiledTemplate(_probe_template())


def _read_back(data):
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    return {"body": document.paragraphs[0].text,
            "cell": document.tables[0].rows[0].cells[0].text,
            "head": section.header.paragraphs[0].text,
            "foot": section.footer.paragraphs[0].text}


def _every_part_parses(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))


HOSTILE = ["<", "&", "]]>", "a < b & c > d", "{{ 7*7 }}", "{% if x %}", "{_{ x }_}",
           "</w:t></w:r><w:r><w:t>INJECTED", "&nbsp;", "\x00\x01\x07\x0b\x0c\x1b\x1f",
           "строка 1\r\nстрока 2", "таб\tуляция", "\ufffe\uffff", "x" * 1_000_000]


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200))
def test_any_text_survives_in_body_table_header_and_footer(text):
    # What a document prints: the text as typed, with Russian non-breaking spaces.
    expected = printed(engine.normalise(text))
    data = PROBE.render({"body": text, "cell": text, "head": text, "foot": text})
    _every_part_parses(data)
    assert set(_read_back(data).values()) == {expected}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_survive(text):
    # What a document prints: the text as typed, with Russian non-breaking spaces.
    expected = printed(engine.normalise(text))
    data = PROBE.render({"body": text, "cell": text, "head": text, "foot": text})
    _every_part_parses(data)
    assert set(_read_back(data).values()) == {expected}


def test_normalise_keeps_lines_and_drops_forbidden_characters():
    assert engine.normalise("a\r\nb\rc") == "a\nb\nc"
    assert engine.normalise({"x": ["\x00ok\x07", 5]}) == {"x": ["ok", 5]}


@pytest.mark.parametrize("key", sorted(registry.all_doctypes()))
def test_every_doctype_renders_its_sample(key):
    doctype = registry.get_doctype(key)
    sample = doctype.sample_context()
    from docxtpl import DocxTemplate
    missing = DocxTemplate(str(doctype.template_path)).get_undeclared_template_variables(
        jinja_env=engine.make_env(), context=sample)
    assert missing == set()
    assert set(doctype.variables) == set(sample), "every variable is documented"
    data = registry.render(key, sample)
    _every_part_parses(data)
    docx.Document(io.BytesIO(data))


def test_order_sample_has_the_requisites():
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(
        registry.render("order", registry.get_doctype("order").sample_context()))).paragraphs)
    text = text.replace("\xa0", " ")  # non-breaking spaces read as spaces
    for requisite in ("ПРИКАЗ", "ПРИКАЗЫВАЮ:", "г. Новоречинск", "Контроль за исполнением",
                      "и управление образования"):
        assert requisite in text
    assert "&" not in text  # official text, no ampersands


def test_order_template_follows_gost_page_setup():
    document = docx.Document(registry.get_doctype("order").template_path)
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert round(normal.paragraph_format.first_line_indent.cm, 2) == 1.25
    assert section.different_first_page_header_footer  # no number on page 1
    assert "PAGE" in section.header._element.xml


def test_committed_templates_match_their_builder(tmp_path, monkeypatch):
    from doc_templates import build, parts
    monkeypatch.setattr(parts, "HERE", tmp_path)
    build.main()
    built = sorted(tmp_path.glob("*.docx"))
    assert built
    for path in built:
        committed = registry.DOC_TEMPLATES / path.name
        assert path.read_bytes() == committed.read_bytes(), \
            f"{path.name} differs from its builder: run python -m doc_templates.build"


def test_template_errors_are_clear_and_name_the_doctype():
    document = docx.Document()
    document.add_paragraph("{{ items.__class__ }}")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(engine.RenderError, match="«Приказ»"):
        engine.CompiledTemplate(out.getvalue()).render({"items": []}, "Приказ")


def test_sandbox_has_no_globals_and_refuses_huge_strings():
    env = engine.make_env()
    assert env.globals == {}
    with pytest.raises(engine.SecurityError):
        env.from_string("{{ 'x' * 300000000 }}").render()


def test_filters():
    assert date_num(date(2020, 6, 5)) == "05.06.2020"
    assert date_words(date(2020, 6, 5)) == "5 июня 2020 г."
    assert date_words(date(2021, 3, 12)) == "12 марта 2021 г."
    assert fio_short("Иванов Иван Иванович") == "И.И. Иванов"
    assert engine.roman(14) == "XIV"
    assert format_number("01-07/{n}", 45, 2026) == "01-07/45"
    assert format_number("{n}-о", 3, 2026) == "3-о"


def test_concurrent_numbering_never_repeats(app):
    """Threads, each with its own connection (peewee's are per thread), take numbers at once."""
    results, errors = [], []
    barrier = threading.Barrier(8)

    def take():
        try:
            with db.connection_context():
                barrier.wait()
                for _ in range(5):
                    with db.atomic():
                        results.append(next_number("order", 2026)[0])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(1, 41))
    with db.connection_context():
        assert NumberSeries.get(NumberSeries.series == "order").last_number == 40
