"""Visibility across organisations: one school never reads another school's (or the centre's)
unpublished records, whichever route lists them, accepts their ids or cites them.

Every record is seeded with a marker in its title (`zqx<organisation><kind>`); a response
must never contain a marker of another organisation's unpublished record. Routes are walked
from app.url_map, so a new listing, picker or id-taking route is checked without being named.
"""
import io
import zipfile

import pytest

from models import (ActivityEvidence, ActivityOrganization, Body, GeneratedDocument,
                    Organization, Programme, User, db)

from .conftest import HX, db_fingerprint
from .test_programmes import create_programme
from .test_register import create_document
from .test_roadmaps import create_activity

UNPUBLISHED = ("draft", "registered")
ID_ARGUMENTS = {"doc_id", "approval_id"}  # URL arguments that are register document ids
QUERIES = ("", "?q=zqx", "?q=zqx&status=registered", "?status=draft")


def marker(tag, kind):
    return f"zqx{tag}{kind}"


def body_text(response):
    """The response as text; a .docx/.xlsx (a zip) as the text of all its XML parts."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace")
                            for name in archive.namelist() if name.endswith((".xml", ".rels")))
    return data.decode("utf-8", "replace")


def _document(app, organization_id, tag, status):
    """A register document with the marker in its title and, once registered, its number."""
    document = create_document(app, organization_id, title=f"Приказ {marker(tag, status)}",
                               status=status)
    if status != "draft":
        with db.connection_context():
            GeneratedDocument.update(number=marker(tag, f"{status}no")).where(
                GeneratedDocument.id == document.id).execute()
            document = GeneratedDocument.get_by_id(document.id)
    return document


def _seed(app, make_user, make_org, make_order, tag, kind):
    """An organisation with a user and one record of every kind, each carrying a marker."""
    org = make_org(kind=kind, email=f"{marker(tag, 'org')}@example.ru")
    user = make_user(kind, organization=org.id)
    make_user(kind, organization=org.id, full_name=f"Коллегова {marker(tag, 'user')}")
    docs = {status: _document(app, org.id, tag, status)
            for status in ("draft", "registered", "published")}
    make_order(organization=org.id, heading=f"Об организации {marker(tag, 'order')}")
    with db.connection_context():
        Body.create(organization=org.id, name=f"Совет {marker(tag, 'body')}",
                    name_genitive="совета")
    if kind == "school":
        programme = create_programme(app, user)
        with db.connection_context():
            Programme.update(title=f"Программа {marker(tag, 'programme')}").where(
                Programme.id == programme.id).execute()
    return {"org": org, "user": user, "docs": docs, "tag": tag,
            "markers": [marker(tag, k) for k in ("draft", "registered", "registeredno", "org",
                                                  "user", "order", "body", "programme")]}


@pytest.fixture
def scene(app, make_user, make_org, make_order, login_as):
    """Schools A and B, the centre, the department; a road map with one activity both schools
    answer for, carrying B's and the centre's unpublished documents and B's uploaded file."""
    people = {"a": _seed(app, make_user, make_org, make_order, "a", "school"),
              "b": _seed(app, make_user, make_org, make_order, "b", "school"),
              "c": _seed(app, make_user, make_org, make_order, "c", "centre")}
    people["department"] = make_user("department")
    activity = create_activity(app, people["b"]["org"].id)
    with db.connection_context():
        ActivityOrganization.create(activity=activity, organization=people["a"]["org"].id)
    people["activity"] = activity
    people["client"] = {key: login_as(people[key]["user"]) for key in ("a", "b", "c")}
    people["client"]["department"] = login_as(people["department"])
    b, c = people["client"]["b"], people["client"]["c"]
    url = f"/roadmaps/activities/{activity.id}/evidence"
    assert b.post(url, data={"kind": "document", "document": str(
        people["b"]["docs"]["registered"].id)}).status_code == 303
    assert c.post(url, data={"kind": "document", "document": str(
        people["c"]["docs"]["registered"].id)}).status_code == 303
    assert b.post(url, data={"kind": "file", "file": (io.BytesIO(b"%PDF-1.4 B"), "akt-b.pdf")},
                  content_type="multipart/form-data").status_code == 303
    with db.connection_context():
        people["file"] = ActivityEvidence.get(ActivityEvidence.kind == "file")
    return people


def foreign_markers(scene, viewer):
    return [m for key in ("a", "b", "c") if key != viewer for m in scene[key]["markers"]]


def assert_clean(response, markers, where):
    text = body_text(response).lower()
    leaked = [m for m in markers if m in text]
    assert not leaked, f"{where}: {leaked}"


# --- (a) every route that returns or accepts a document id ---------------------------------

def test_a_school_reaches_no_other_organisations_unpublished_document(app, scene):
    """Every URL taking a document id answers 404 (403 where schools have no access at all)
    for another school's and the centre's drafts and registered documents, never showing
    their title or number; the picker never lists them; the evidence form refuses them."""
    client, markers = scene["client"]["a"], foreign_markers(scene, "a")
    foreign = [scene[key]["docs"][status] for key in ("b", "c") for status in UNPUBLISHED]
    walked = set()
    for rule in app.url_map.iter_rules():
        if not ID_ARGUMENTS & set(rule.arguments):
            continue
        roles = app.view_functions[rule.endpoint].access_roles
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for document in foreign:
                url = rule.build({name: document.id for name in rule.arguments},
                                 append_unknown=False)[1]
                response = client.open(url, method=method, data={})
                expected = 404 if "school" in roles else 403
                assert response.status_code == expected, (method, url, response.status_code)
                assert_clean(response, markers, f"{method} {url}")
            walked.add(rule.endpoint)
    assert {"documents.show", "documents.download", "documents.pdf_download",
            "documents.pdf_start", "documents.pdf_status", "documents.publish",
            "documents.withdraw", "programmes.approval"} <= walked

    # The evidence picker, by every foreign title and number and by the common prefix.
    for document in foreign:
        for text in filter(None, (document.title, document.number, "zqx")):
            response = client.get(f"/roadmaps/documents?q={text}", headers=HX)
            assert response.status_code == 200
            assert_clean(response, markers, f"picker q={text}")
    own = scene["a"]["docs"]["registered"]
    assert own.number in client.get("/roadmaps/documents?q=zqx", headers=HX).get_data(
        as_text=True)  # the picker works: it lists the school's own

    # Every form field that takes a document id: the evidence form refuses a foreign one.
    assert document_fields(app) == {("EvidenceForm", "document")}
    url = f"/roadmaps/activities/{scene['activity'].id}/evidence"
    before = db_fingerprint()
    for document in foreign:
        response = client.post(url, data={"kind": "document", "document": str(document.id)})
        assert response.status_code == 422
        assert_clean(response, markers, f"evidence with document {document.id}")
    assert db_fingerprint() == before
    assert client.post(url, data={"kind": "document", "document": str(own.id)}).status_code == 303


def document_fields(app):
    """(form, field) of every form field named for a register document."""
    from blueprints.core.forms import BaseForm
    found, forms = set(), list(BaseForm.__subclasses__())
    while forms:
        form = forms.pop()
        forms.extend(form.__subclasses__())
        for name in dir(form):
            if ("document" in name or "approval" in name) and hasattr(
                    getattr(form, name), "field_class"):
                found.add((form.__name__, name))
    return found


def test_the_road_map_names_other_organisations_documents_without_title_or_number(scene):
    """The road map is shared: its page, row, activity page, history and exports name another
    organisation's unpublished document only as such; the centre sees every one."""
    activity = scene["activity"]
    roadmap_id = activity.roadmap_id
    urls = [f"/roadmaps/{roadmap_id}", f"/roadmaps/activities/{activity.id}",
            f"/roadmaps/activities/{activity.id}/row",
            *(f"/roadmaps/{roadmap_id}/{kind}" for kind in (
                "report.docx", "report.xlsx", "roadmap.docx", "roadmap.xlsx"))]
    for viewer in ("b", "a"):  # B first: its rendering of the table is cached, A's is not it
        client, markers = scene["client"][viewer], foreign_markers(scene, viewer)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_clean(response, markers, f"{viewer} {url}")
        page = client.get(f"/roadmaps/activities/{activity.id}").get_data(as_text=True)
        assert "документ другой организации" in page
        report = body_text(client.get(f"/roadmaps/{roadmap_id}/report.docx"))
        assert "Документ другой организации" in report
    own = body_text(scene["client"]["b"].get(f"/roadmaps/{roadmap_id}/report.docx"))
    assert marker("b", "registeredno") in own  # its own document is cited in full
    for staff in ("c", "department"):
        report = body_text(scene["client"][staff].get(f"/roadmaps/{roadmap_id}/report.docx"))
        assert marker("b", "registeredno") in report and marker("c", "registeredno") in report


def test_a_published_document_is_cited_in_full_to_every_school(app, scene):
    from blueprints.documents.services import publish_document
    with app.app_context(), db.connection_context():
        publish_document(scene["b"]["docs"]["registered"])
    activity = scene["activity"]
    page = scene["client"]["a"].get(f"/roadmaps/activities/{activity.id}").get_data(as_text=True)
    assert marker("b", "registered") in page and marker("c", "registered") not in page


# --- (b) the generic guard: every listing, as each school -----------------------------------

def listing_routes(app):
    """GET routes without URL arguments: indexes, lists, searches, pickers and exports."""
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            yield rule


@pytest.mark.parametrize("viewer", ["a", "b"])
def test_no_listing_shows_another_schools_unpublished_records(app, scene, viewer):
    client, markers = scene["client"][viewer], foreign_markers(scene, viewer)
    walked = set()
    for rule in listing_routes(app):
        for query in QUERIES:
            for headers in ({}, HX):
                response = client.get(rule.rule + query, headers=headers)
                assert response.status_code < 500, (rule.rule, query, response.status_code)
                assert_clean(response, markers, f"{rule.rule}{query}")
        walked.add(rule.endpoint)
    assert {"documents.index", "roadmaps.documents", "roadmaps.index", "programmes.index",
            "orgs.index", "publications.index", "publications.register_csv",
            "publications.feed", "core.index"} <= walked
    # Not vacuous: the school's own records and everyone's published ones are listed.
    mine = scene[viewer]
    assert marker(viewer, "registered") in client.get("/documents/?q=zqx").get_data(as_text=True)
    assert marker(viewer, "programme") in client.get("/programmes/").get_data(as_text=True)
    public = client.get("/docs/").get_data(as_text=True)
    assert all(marker(key, "published") in public for key in ("a", "b", "c"))
    assert mine["user"].full_name in client.get("/").get_data(as_text=True)


# --- (c) uploaded evidence files -------------------------------------------------------------

def test_an_uploaded_file_is_read_by_its_school_and_staff_only(app, scene):
    url = f"/roadmaps/evidence/{scene['file'].id}/file"
    with db.connection_context():
        assert ActivityEvidence.get_by_id(scene["file"].id).organization_id == \
            scene["b"]["org"].id  # whose it is was stored
    # A answers for the same activity, and still may not read B's file.
    assert scene["client"]["a"].get(url).status_code == 404
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    for reader in ("b", "c", "department"):
        response = scene["client"][reader].get(url)
        assert response.status_code == 200 and response.data == b"%PDF-1.4 B", reader
    # A sees that the file exists (the road map is shared) but gets no link to it.
    page = scene["client"]["a"].get(f"/roadmaps/activities/{scene['activity'].id}")
    assert "akt-b.pdf" in page.get_data(as_text=True) and url not in page.get_data(as_text=True)
    assert url in scene["client"]["b"].get(
        f"/roadmaps/activities/{scene['activity'].id}").get_data(as_text=True)


def _insert_old(model, **values):
    """A row written with the model's defaults, in only the columns the table has at this
    older schema (later migrations add columns the model knows and the table does not; a
    peewee INSERT would add their defaults, so the SQL is written here)."""
    row = model(**values)
    columns = {c.name for c in db.get_columns(model._meta.table_name)}
    fields = [f for f in model._meta.sorted_fields
              if f.column_name in columns and f.name in row.__data__ and f.name != "id"]
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([db.param] * len(fields))
    cursor = db.execute_sql(
        f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks}) RETURNING "id"',
        [f.db_value(row.__data__[f.name]) for f in fields])
    row.id = cursor.fetchall()[0][0]  # all: SQLite finishes the statement only then
    return row


def test_existing_evidence_takes_its_adders_organisation_on_upgrade(tmp_path):
    """0011 fills the new column from the user who added the evidence (the tables it does not
    touch are as the models describe them, so they are written through the models)."""
    from models import Roadmap, RoadmapActivity, RoadmapSection
    from models.migrations import available, upgrade

    from .conftest import TEST_DATABASE_URL, build_app, empty_database
    name = "0011_evidence_organization"
    previous = available()[available().index(name) - 1]
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'old.db'}"
    build_app(tmp_path / "new", DATABASE_URL=url)
    with db.connection_context():
        empty_database()
        upgrade(db, target=previous)
        org = _insert_old(Organization, kind="school", full_name="Школа", short_name="Школа",
                          municipality="Район")
        user = _insert_old(User, login="old", password_hash="", full_name="Старов",
                           role="school", organization=org.id)
        roadmap = _insert_old(Roadmap, title="Карта", organization=org.id, period_start=2026,
                              period_end=2026)
        section = _insert_old(RoadmapSection, roadmap=roadmap.id, position=0)
        activity = _insert_old(RoadmapActivity, roadmap=roadmap.id, section=section.id,
                               position=0, title="Дело")
        p = db.param
        db.execute_sql(
            'INSERT INTO "activity_evidence" (activity_id, kind, url, title, file_sha256, '
            f"file_size, added_by_id, added_at) VALUES ({p}, 'file', '', 'акт', 'x', 1, {p}, "
            f"'2026-01-01'), ({p}, 'url', 'https://x.ru', 'x', '', 0, NULL, '2026-01-01')",
            (activity.id, user.id, activity.id))
        assert name in upgrade(db)
        rows = list(ActivityEvidence.select().order_by(ActivityEvidence.id))
        assert [row.organization_id for row in rows] == [org.id, None]
