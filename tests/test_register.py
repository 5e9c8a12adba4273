"""The document register pages: who sees what, filters, downloads, publish and withdraw."""
import hashlib
from datetime import date
from urllib.parse import unquote

import pytest

from blueprints.documents import services
from blueprints.documents import api as documents
from blueprints.orders.documents import sample_order
from models import AuditLog, GeneratedDocument, db

from .conftest import HX, PASSWORD, build_app, csrf_from, db_fingerprint

TITLE = "Об организации мониторинга качества образования"


def create_document(app, organization, title=TITLE, author=None, on_date=None, status="registered",
                    reason="Отменён приказом № 7"):
    """A register document of `organization` in the given status, made the way features make
    them (the documents API, from the order's plain data): a draft, otherwise registered (then
    published, withdrawn)."""
    with app.app_context(), db.connection_context():
        if status == "draft":
            return documents.draft("order", plain=sample_order(), title=title, author=author,
                                   organization=organization)
        document = documents.register("order", plain=sample_order(), title=title,
                                      on_date=on_date or date.today(), author=author,
                                      organization=organization)
        if status in ("published", "withdrawn"):
            document = services.publish_document(document)
        if status == "withdrawn":
            document = services.withdraw_document(document, reason)
        return document


@pytest.fixture
def make_document(app):
    def make(organization, **kwargs):
        return create_document(app, organization, **kwargs)
    return make


def _reload(document):
    with db.connection_context():
        return GeneratedDocument.get_by_id(document.id)


def test_anonymous_is_sent_to_login(http, make_document, make_org):
    document = make_document(make_org().id)
    for url in ("/documents/", f"/documents/{document.id}", f"/documents/{document.id}/docx"):
        response = http.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_school_sees_only_its_own_documents_and_drafts(login_as, make_document, make_org):
    school = login_as("school")
    own = school.user.organization_id
    own_draft = make_document(own, title="Проект нашей школы", status="draft")
    own_registered = make_document(own, title="Приказ нашей школы")
    other = make_org().id
    foreign_draft = make_document(other, title="Чужой проект", status="draft")
    foreign = make_document(other, title="Чужой приказ", status="published")

    listing = school.get("/documents/").get_data(as_text=True)
    assert "Проект нашей школы" in listing and "Приказ нашей школы" in listing
    assert "Чужой" not in listing
    for document in (own_draft, own_registered):
        assert school.get(f"/documents/{document.id}").status_code == 200
        assert school.get(f"/documents/{document.id}/docx").status_code == 200
    for document in (foreign_draft, foreign):
        for suffix in ("", "/docx", "/pdf", "/pdf/status"):
            assert school.get(f"/documents/{document.id}{suffix}").status_code == 404
    assert school.post(f"/documents/{foreign.id}/pdf/start", headers=HX).status_code == 404
    with db.connection_context():
        assert AuditLog.select().where(AuditLog.action == "access_denied").exists()


def test_staff_see_every_organisation(login_as, make_document, make_org):
    first = make_document(make_org().id, title="Приказ первой школы", status="draft")
    second = make_document(make_org().id, title="Приказ второй школы")
    department = login_as("department")
    listing = department.get("/documents/").get_data(as_text=True)
    assert "Приказ первой школы" in listing and "Приказ второй школы" in listing
    # Newest first.
    assert listing.index("Приказ второй школы") < listing.index("Приказ первой школы")
    assert department.get(f"/documents/{first.id}").status_code == 200
    assert department.get(f"/documents/{second.id}").status_code == 200


def test_filters_search_and_htmx_fragment(login_as, make_document, make_org):
    org = make_org().id
    make_document(org, title="Об утверждении плана-графика ШНОР", on_date=date(2025, 3, 1))
    make_document(org, title="О проведении совещания")
    make_document(org, title="Проект о мониторинге", status="draft")
    client = login_as("centre")

    def titles(query, **headers):
        return client.get(f"/documents/?{query}", headers=headers).get_data(as_text=True)

    # Cyrillic in any case finds mixed-case titles (SQLite's LIKE folds only ASCII).
    assert "плана-графика" in titles("q=шнор") and "совещания" not in titles("q=шнор")
    assert "совещания" in titles("q=СОВЕЩАНИЯ")
    assert "плана-графика" in titles("year=2025") and "совещания" not in titles("year=2025")
    assert "Проект о мониторинге" in titles("status=draft")
    assert "совещания" not in titles("status=draft")
    assert "совещания" in titles("doctype=order")
    assert "По этим условиям документов не найдено" in titles("doctype=protocol-none")
    # Bad filter values are ignored, never a 500.
    assert client.get("/documents/?year=abc&page=-5&q=" + "x" * 500).status_code == 200
    fragment = titles("q=шнор", **HX)
    assert fragment.lstrip().startswith('<div id="documents-table"') and "<html" not in fragment


def test_document_page_shows_metadata_and_versions(login_as, app, make_document, make_org):
    client = login_as("centre")
    first = make_document(make_org().id)
    with app.app_context(), db.connection_context():
        second = documents.correct(first, plain=sample_order())
    page = client.get(f"/documents/{second.id}").get_data(as_text=True)
    for text in ("Приказ", f"№ {first.number}", first.registered_on.strftime("%d.%m.%Y"),
                 second.sha256, "Зарегистрирован", "стандартный бланк Опоры", "Редакции", "редакция 2"):
        assert text in page
    assert f'href="/documents/{first.id}"' in page
    assert f'href="/documents/{second.id}"' in client.get(f"/documents/{first.id}").get_data(
        as_text=True)


def test_docx_download_has_a_readable_russian_name(login_as, make_document, make_org):
    client = login_as("centre")
    document = make_document(make_org().id, on_date=date(2026, 9, 1))
    response = client.get(f"/documents/{document.id}/docx")
    assert response.status_code == 200
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument"
                                 ".wordprocessingml.document")
    disposition = unquote(response.headers["Content-Disposition"])
    assert disposition.startswith("attachment")
    assert f"Приказ № {document.number} от 01.09.2026.docx" in disposition
    assert hashlib.sha256(response.data).hexdigest() == document.sha256


def test_publish_and_withdraw(login_as, make_document, make_org):
    client = login_as("centre")
    document = make_document(make_org().id)
    response = client.post(f"/documents/{document.id}/publish")
    assert response.status_code == 303
    published = _reload(document)
    assert published.status == "published" and published.slug and published.published_at
    assert f"/docs/{published.year}/{published.slug}" in client.get(
        f"/documents/{document.id}").get_data(as_text=True)

    # Publishing twice is refused politely, nothing changes.
    before = db_fingerprint()
    response = client.post(f"/documents/{document.id}/publish", follow_redirects=True)
    assert "Опубликовать можно только зарегистрированный" in response.get_data(as_text=True)
    assert db_fingerprint() == before

    form = client.get(f"/documents/{document.id}/withdraw").get_data(as_text=True)
    assert 'name="reason"' in form
    for reason, message in (("", "Укажите причину отзыва"), ("   ", "Укажите причину отзыва"),
                            ("я" * 1001, "Не длиннее 1000 символов")):
        response = client.post(f"/documents/{document.id}/withdraw", data={"reason": reason})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert db_fingerprint() == before
    response = client.post(f"/documents/{document.id}/withdraw",
                           data={"reason": "Отменён приказом № 01-07/52 от 15.09.2026"})
    assert response.status_code == 303
    withdrawn = _reload(document)
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_at
    assert withdrawn.withdrawal_reason == "Отменён приказом № 01-07/52 от 15.09.2026"
    assert "Документ отозван" in client.get(f"/documents/{document.id}").get_data(as_text=True)
    with db.connection_context():
        actions = {a.action for a in AuditLog.select().where(AuditLog.object_id == document.id)}
    assert {"document_published", "document_withdrawn"} <= actions


def test_a_draft_cannot_be_published(login_as, make_document, make_org):
    client = login_as("admin")
    draft = make_document(make_org().id, status="draft")
    client.post(f"/documents/{draft.id}/publish")
    assert _reload(draft).status == "draft"


@pytest.mark.parametrize("role", ["school", "department"])
def test_only_centre_and_admin_publish(login_as, make_document, role):
    client = login_as(role)
    document = make_document(client.user.organization_id)
    before = db_fingerprint()
    assert client.post(f"/documents/{document.id}/publish").status_code == 403
    assert client.post(f"/documents/{document.id}/withdraw",
                       data={"reason": "x"}).status_code == 403
    assert db_fingerprint() == before
    assert "Опубликовать" not in client.get(f"/documents/{document.id}").get_data(as_text=True)


def test_publish_needs_the_csrf_token(tmp_path, make_user, make_org):
    app = build_app(tmp_path, WTF_CSRF_ENABLED=True)
    user = make_user("centre")
    document = create_document(app, make_org().id)
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"login": user.login, "password": PASSWORD, "csrf_token": token})
    before = db_fingerprint()
    assert client.post(f"/documents/{document.id}/publish").status_code == 400
    assert client.post(f"/documents/{document.id}/publish",
                       data={"csrf_token": "forged"}).status_code == 400
    assert db_fingerprint() == before
    token = csrf_from(client.get(f"/documents/{document.id}").get_data(as_text=True))
    assert client.post(f"/documents/{document.id}/publish",
                       data={"csrf_token": token}).status_code == 303
    assert _reload(document).status == "published"
