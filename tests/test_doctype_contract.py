"""One declared contract per doctype: record → data → plain → context → .docx, the only path.

The doctypes are the explicit list beside register_blueprints; the registry and the contract
class import no feature; a registered document's stored context is made again from its plain
data and its number and date; a RenderError is a 422 page from any view.
"""
import ast
import io
import json
from datetime import date
from pathlib import Path

import docx
import peewee
import pytest

from blueprints import all_doctypes
from blueprints.documents import api, registry
from blueprints.documents.doctype import Doctype
from blueprints.documents.engine import RenderError
from blueprints.orders.documents import ORDER, order_data
from models import GeneratedDocument, Order, db

from .conftest import HX
from .test_orders import _create
from .test_programmes import create_programme

BLUEPRINTS = Path(__file__).resolve().parents[1] / "blueprints"
FEATURES = ("orders", "meetings", "programmes", "roadmaps", "doctypes")
KEYS = [d.key for d in all_doctypes()]


def _imports(path):
    """Dotted names a module imports, relative ones resolved against its package."""
    package = path.relative_to(BLUEPRINTS.parent).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return names


def test_the_list_beside_register_blueprints_is_what_the_registry_serves():
    assert list(registry.all_doctypes()) == KEYS
    assert len(set(KEYS)) == len(KEYS)
    assert all(isinstance(d, Doctype) for d in all_doctypes())


def test_registry_and_contract_import_no_feature_and_features_not_the_registry():
    for leaf in ("doctype.py", "registry.py", "api.py"):
        used = _imports(BLUEPRINTS / "documents" / leaf)
        assert not {n for n in used for f in FEATURES if n.startswith(f"blueprints.{f}")}, leaf
    assert not {n for n in _imports(BLUEPRINTS / "documents" / "doctype.py")
                if n.startswith(("blueprints", "models"))}
    for feature in FEATURES:
        for path in (BLUEPRINTS / feature).glob("*.py"):
            used = _imports(path)
            for internal in ("registry", "services", "engine"):
                assert not {n for n in used if n.startswith(f"blueprints.documents.{internal}")}, (
                    f"{path.name} of {feature} reaches documents.{internal}: use documents.api")


def _has_orm(value):
    if isinstance(value, peewee.Model):
        return True
    if isinstance(value, dict):
        return any(_has_orm(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_orm(v) for v in value)
    return False


@pytest.mark.parametrize("key", KEYS)
def test_every_sample_is_plain_data_and_renders_through_the_contract(app, key):
    doctype = registry.get_doctype(key)
    assert isinstance(doctype.sample, dict) and not _has_orm(doctype.sample)
    context = doctype.sample_context()
    assert json.loads(json.dumps(context)) == context  # what the register stores
    assert set(context) == set(doctype.variables)
    with app.app_context(), db.connection_context():
        assert docx.Document(io.BytesIO(api.preview(key))).paragraphs


def test_registered_context_is_made_again_from_plain_data_number_and_date(login_as, app):
    client = login_as("department")
    order_id = _create(client)
    with app.app_context(), db.connection_context():
        from blueprints.orders import services
        services.register_order(Order.get_by_id(order_id), client.user.id)
        order = Order.get_by_id(order_id)
        document = GeneratedDocument.get_by_id(order.document_id)
        plain = order_data(order)
        assert not _has_orm(plain)
        again = ORDER.build(plain, document.number, document.registered_on)
        assert json.loads(document.context_json) == json.loads(json.dumps(again))
        assert ORDER.build(plain)["is_draft"] and not again["is_draft"]
        assert "number" not in plain  # build() left the caller's data as it was


def _broken(*args, **kwargs):
    raise RenderError("Ошибка в шаблоне «order»: пробная поломка")


def test_render_error_is_a_russian_422_page_or_fragment(login_as, monkeypatch):
    client = login_as("department")
    order_id = _create(client)
    monkeypatch.setattr(registry, "render", _broken)
    page = client.get(f"/orders/{order_id}/preview.docx")
    assert page.status_code == 422
    assert "пробная поломка" in page.get_data(as_text=True)
    assert "<html" in page.get_data(as_text=True)
    fragment = client.get(f"/orders/{order_id}/preview.docx", headers=HX)
    assert fragment.status_code == 422 and "<html" not in fragment.get_data(as_text=True)


def test_approval_order_preview_with_a_broken_template_is_422_not_500(
        app, login_as, make_user, make_org, monkeypatch):
    school = make_user("school")
    programme = create_programme(app, school, status="agreed")
    department = login_as("department", organization=make_org(
        kind="department", full_name="Управление образования администрации района"))
    monkeypatch.setattr(registry, "render", _broken)
    response = department.post("/programmes/approve", data={
        "programmes": [str(programme.id)], "order_date": "2026-10-01", "preview": "1",
        "heading": "Об утверждении программ повышения качества образования",
        "signer_position": "Начальник управления", "signer_name": "Волков Михаил Евгеньевич"})
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert "пробная поломка" in response.get_data(as_text=True)


def test_road_map_downloads_name_installed_doctypes():
    from blueprints.roadmaps.routes import DOWNLOADS
    assert {key for key, _, _ in DOWNLOADS.values()} <= set(KEYS)
    assert {kind.rsplit(".", 1)[1] for kind in DOWNLOADS} == {"docx", "xlsx"}


def test_readme_names_where_each_doctype_is_declared_and_read():
    text = (registry.DOC_TEMPLATES / "README.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():  # the first row of a key: the «Откуда» table comes first
        if line.startswith("| `"):  # (a variable may share a doctype's key: risk_profile)
            rows.setdefault(line.split("|")[1].strip(" `"), line)
    for doctype in all_doctypes():
        row = rows[doctype.key]
        module = doctype.data.__module__.split(".")  # blueprints.<feature>.documents
        assert f"{module[1]}/{module[2]}.py" in row and doctype.data.__name__ in row, row


def test_plain_data_may_be_given_instead_of_a_record(app):
    with app.app_context(), db.connection_context():
        plain = dict(ORDER.sample, number="", on_date=None)
        assert api.context("order", plain=plain)["is_draft"]
        registered = api.register("order", plain=ORDER.sample, title="Проба",
                                  on_date=date(2026, 9, 1))
        assert registered.number and registered.status == "registered"
