"""Issue 9, written as the attacks that once worked: open redirects through `next`, account
enumeration through the lock, the Host header in absolute links, cacheable private downloads
and formulas in spreadsheet exports."""
import csv
import io
import re
from urllib.parse import quote, unquote

import pytest
from openpyxl import load_workbook

from models import GeneratedDocument, LoginFailure, Organization, Roadmap, RoadmapActivity, db
from models import RoadmapSection
import models.user

from .conftest import PASSWORD, login
from .test_register import create_document
from .test_access import routes, world, _url  # noqa: F401 (world is a fixture)


def urls(app, world, role, method="GET"):
    """Every URL of `method`, one per choice of an `any(...)` part (each export format)."""
    for rule, rule_method in routes(app):
        if rule_method != method:
            continue
        choices = {name: sorted(getattr(conv, "items", ())) for name, conv in
                   rule._converters.items() if getattr(conv, "items", None)}
        if not choices:
            yield rule, _url(rule, world, role)
            continue
        for name, items in choices.items():
            for item in items:
                world["ids"][role][name] = item
                yield rule, _url(rule, world, role)

HOSTILE_NEXT = ["/\t/evil.example/", "/\n/x", "/\r/evil.example", "//evil.example/",
                "/\\evil.example", "\\\\evil.example", "https://evil.example/", " /x",
                "/\u200b/evil.example", "/\u2028/x", "javascript:alert(1)"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_never_leaves_the_site(login_as, http, make_user, target):
    """With a session, GET /login?next=… redirects; without one, the POST does: both only to
    a local path, and never 500 on control characters."""
    signed_in = login_as("school")
    response = signed_in.get("/login?next=" + quote(target, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = make_user("school")
    response = http.post("/login", data={"login": user.login, "password": PASSWORD,
                                         "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_next_keeps_a_local_page(login_as):
    client = login_as("centre")
    response = client.get("/login?next=" + quote("/orgs/?q=СОШ&page=2", safe=""))
    assert unquote(response.headers["Location"]) == "/orgs/?q=СОШ&page=2"


TOKEN = re.compile(r'"X-CSRFToken": "[^"]+"|name="csrf_token" type="hidden" value="[^"]+"')


def test_unknown_login_is_locked_exactly_like_a_real_one(app, make_user, monkeypatch):
    """Five failures lock a real account; they lock a made-up login just the same, with the
    same pages and one password check per attempt either way (the timing)."""
    checks = []
    real_check = models.user.check_password_hash
    monkeypatch.setattr(models.user, "check_password_hash",
                        lambda *a: checks.append(1) or real_check(*a))
    user = make_user("school")

    def attempts(login_name):
        client = app.test_client()
        checks.clear()
        answers = []
        for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
            response = client.post("/login", data={"login": login_name, "password": "wrong-1"})
            page = response.get_data(as_text=True).replace(login_name, "LOGIN")
            answers.append((response.status_code, TOKEN.sub("TOKEN", page)))
        return answers, len(checks)

    real, real_checks = attempts(user.login)
    unknown, unknown_checks = attempts("no.such.user")
    assert [code for code, _ in real] == [422] * 4 + [429, 429]
    assert unknown == real
    # The attempts while locked are refused before any password check, for both.
    assert unknown_checks == real_checks == app.config["LOGIN_MAX_FAILURES"]
    with db.connection_context():
        assert LoginFailure.get(LoginFailure.login == "no.such.user").locked_until is not None


def test_password_reset_by_admin_unlocks_the_account(app, login_as, make_user):
    user = make_user("school")
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"login": user.login, "password": "wrong-1"})
    admin = login_as("admin")
    assert "вход заблокирован" in admin.get("/users").get_data(as_text=True)
    response = admin.post(f"/users/{user.id}/password", data={"new_password": "fresh-pass-9"})
    assert response.status_code == 303
    login(app.test_client(), user, "fresh-pass-9")


def test_host_header_does_not_change_public_links(app, http, make_org):
    document = create_document(app, make_org(kind="centre").id, status="published")
    site = app.config["SITE_URL"].rstrip("/")
    for url in ("/docs/feed.atom", "/docs/register.csv"):
        body = http.get(url, headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in body
        assert f"{site}/docs/{document.year}/{document.slug}" in body


def test_signed_in_downloads_are_never_stored(app, world, login_as):
    """Every download a signed-in user gets (register .docx, road-map files, exports) says
    private, no-store: no proxy or shared browser profile keeps a copy."""
    client = login_as(world["centre"])
    seen = 0
    for rule, url in urls(app, world, "centre"):
        if not any(part in rule.rule for part in ("docx", "xlsx", "csv", "/file", "/pdf")):
            continue
        response = client.get(url)
        if response.status_code == 200 and "attachment" in response.headers.get(
                "Content-Disposition", ""):
            seen += 1
            assert response.headers["Cache-Control"] == "private, no-store", rule.rule
    assert seen >= 6


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+7(900)1234567", "-1+2", "@SUM(A1)",
            "=cmd|' /C calc'!A0"]


def _poison():
    """Hostile text in every field the exports print."""
    with db.connection_context():
        for n, model_fields in enumerate([
                (Organization, ("short_name", "full_name", "head_name", "address")),
                (GeneratedDocument, ("title",)),
                (Roadmap, ("title", "approved_by")),
                (RoadmapSection, ("title",)),
                (RoadmapActivity, ("title", "responsible", "audience", "expected_result",
                                   "deadline_text", "execution"))]):
            model, fields = model_fields
            values = {getattr(model, f): FORMULAS[(n + i) % len(FORMULAS)]
                      for i, f in enumerate(fields) if f in model._meta.fields}
            model.update(values).execute()


def _formula_cells(response):
    kind = response.headers["Content-Type"]
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(response.data))
        return [cell.coordinate for sheet in book for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]
    if "csv" in kind:
        rows = csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                          delimiter=";")
        return [value for row in rows for value in row if value[:1] in "=+-@"]
    return None


def test_no_export_holds_a_formula(app, world, login_as):
    """Every .xlsx and .csv the app hands out, filled with text that Excel would run."""
    client = login_as(world["centre"])
    exports = {}
    for rule, url in urls(app, world, "centre"):
        _poison()
        response = client.get(url)
        if response.status_code != 200:
            continue
        found = _formula_cells(response)
        if found is not None:
            exports[url] = found
    assert {"/orgs/export.xlsx", "/docs/register.csv"} <= exports.keys()
    assert sum(url.startswith("/roadmaps") for url in exports) == 2  # road map and report
    assert {url: cells for url, cells in exports.items() if cells} == {}
