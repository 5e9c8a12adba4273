"""Doctypes and their template pages: every doctype renders its sample with nothing missing,
documents exactly its variables, passes the upload gate, and has working pages and downloads."""
import io
import re
from pathlib import Path

import docx
import pytest
from docxtpl import DocxTemplate

from blueprints.doctypes import services
from blueprints.doctypes.cli import variables_table
from blueprints.documents import engine, gate, registry
from models import TemplateVersion, db

from .test_template_gate import store_version, with_paragraph

DOCTYPES = sorted(registry.all_doctypes())
README = Path(registry.DOC_TEMPLATES, "README.md")


def _text(data):
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("key", DOCTYPES)
def test_doctype_renders_its_sample_with_nothing_missing(key):
    doctype = registry.get_doctype(key)
    sample = doctype.sample_context()
    missing = DocxTemplate(str(doctype.template_path)).get_undeclared_template_variables(
        jinja_env=engine.make_env(), context=sample)
    assert missing == set()
    data = registry.render(key, sample)
    assert _text(data).strip()  # python-docx opens it and there is text


@pytest.mark.parametrize("key", DOCTYPES)
def test_doctype_documents_exactly_its_sample_variables(key):
    doctype = registry.get_doctype(key)
    assert set(doctype.variables) == set(doctype.sample_context())
    assert all(isinstance(text, str) and text.strip() for text in doctype.variables.values())


@pytest.mark.parametrize("key", DOCTYPES)
def test_builtin_template_passes_the_upload_gate(key):
    """Re-uploading a shipped file (or an edited copy of it) must be possible."""
    doctype = registry.get_doctype(key)
    used = gate.check_template(doctype, doctype.template_path.read_bytes())
    assert set(used) <= set(doctype.variables)


def test_readme_lists_every_doctype_and_variable():
    """doc_templates/README.md carries the table `flask --app app doctype-variables` prints."""
    text = README.read_text(encoding="utf-8")
    assert variables_table() in text, ("doc_templates/README.md is out of date: paste the "
                                       "output of `flask --app app doctype-variables`")
    for rule in ("{%tr", "{%p", "{%tc", "date_num", "date_words", "fio_short", "plural_ru",
                 "roman", "numbered"):
        assert rule in text


def test_index_lists_doctypes_with_the_active_version(app, login_as):
    client = login_as("centre")
    page = client.get("/doctypes/").get_data(as_text=True)
    for key in DOCTYPES:
        assert registry.get_doctype(key).title in page and f'id="doctype-{key}"' in page
    assert "стандартный бланк Опоры" in page
    store_version(app, active=True)
    page = client.get("/doctypes/").get_data(as_text=True)
    row = re.search(r'id="doctype-order".*?</tr>', page, re.S).group(0)
    assert "версия 1" in row


def test_show_page_lists_variables_versions_and_the_upload_form(app, login_as):
    store_version(app, note="Первая загрузка")
    page = login_as("admin").get("/doctypes/order").get_data(as_text=True)
    for name in registry.get_doctype("order").variables:
        assert f">{name}<" in page
    assert "Первая загрузка" in page and 'id="version-1"' in page and 'id="version-builtin"' in page
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page


def test_downloads_builtin_active_version_and_samples(app, login_as):
    client = login_as("centre")
    builtin = registry.get_doctype("order").template_path.read_bytes()
    response = client.get("/doctypes/order/builtin.docx")
    assert response.status_code == 200 and response.data == builtin
    assert "attachment" in response.headers["Content-Disposition"]
    assert client.get("/doctypes/order/template.docx").data == builtin  # nothing active yet
    sample = client.get("/doctypes/order/sample.docx")
    assert sample.status_code == 200 and "ПРИКАЗ" in _text(sample.data)
    store_version(app, active=True)  # the same file, stored as version 1
    assert client.get("/doctypes/order/template.docx").data == builtin
    assert client.get("/doctypes/order/versions/1.docx").data == builtin
    preview = client.get("/doctypes/order/versions/1/sample.docx")
    assert preview.status_code == 200 and "ПРИКАЗ" in _text(preview.data)


def test_unknown_doctype_or_version_is_404(login_as):
    client = login_as("centre")
    assert client.get("/doctypes/nosuch").status_code == 404
    assert client.get("/doctypes/order/versions/7/sample.docx").status_code == 404
    assert client.post("/doctypes/order/versions/7/activate").status_code == 404


def test_school_and_department_cannot_see_templates(login_as):
    for role in ("school", "department"):
        client = login_as(role)
        assert client.get("/doctypes/").status_code == 403
        assert "doctypes/" not in client.get("/").get_data(as_text=True)
    assert "doctypes/" in login_as("centre").get("/").get_data(as_text=True)


def test_only_one_version_is_active(app):
    first = store_version(app, active=True)
    second = store_version(app, data=with_paragraph("Вторая версия"), active=True)
    with app.app_context(), db.connection_context():
        active = list(TemplateVersion.select().where(TemplateVersion.is_active))
        assert [v.id for v in active] == [second.id]
        assert (first.version, second.version) == (1, 2)
        services.restore_builtin("order")
        assert TemplateVersion.active("order") is None
