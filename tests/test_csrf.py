"""CSRF stays on here: every state-changing request without a valid token is refused, unchanged DB."""
import pytest

from models import Organization, db

from .conftest import PASSWORD, build_app, csrf_from, db_fingerprint
from .test_access import _url, routes, world  # noqa: F401 (world is a fixture)


@pytest.fixture
def csrf_app(tmp_path):
    return build_app(tmp_path, WTF_CSRF_ENABLED=True)


def _login(client, user):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"login": user.login, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 303
    return csrf_from(client.get("/").get_data(as_text=True))


def test_login_without_token_is_refused(csrf_app, make_user):
    user = make_user("centre")
    response = csrf_app.test_client().post("/login", data={"login": user.login,
                                                            "password": PASSWORD})
    assert response.status_code == 400
    assert "Форма устарела" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["admin", "centre", "school"])
def test_every_unsafe_route_needs_the_token(csrf_app, world, role):
    client = csrf_app.test_client()
    _login(client, world[role])
    # URLs first: filling them creates fresh drafts, which must not count as a change.
    targets = [(_url(rule, world, role), method) for rule, method in routes(csrf_app)
               if method != "GET"]
    before = db_fingerprint()
    refused = []
    for url, method in targets:
        response = client.open(url, method=method, data={"full_name": "Подделка"})
        # A programme form keeps the typing instead: back to the page to save again.
        kept = response.status_code == 303 and "?restore=" in response.location
        refused.append(response.status_code in (400, 403) or kept)
    assert refused and all(refused)
    assert db_fingerprint() == before
    assert client.get("/").status_code == 200  # still signed in: logout was refused too


def test_htmx_header_token_is_accepted_and_foreign_token_is_not(csrf_app, make_user):
    user = make_user("centre")
    client = csrf_app.test_client()
    token = _login(client, user)
    stranger = csrf_app.test_client()
    foreign = _login(stranger, make_user("centre"))
    data = {"kind": "school", "full_name": "Муниципальное бюджетное общеобразовательное "
            "учреждение «Школа № 77»", "short_name": "МБОУ «Школа № 77»",
            "municipality": "Новоречинский муниципальный район"}
    refused = client.post("/orgs/new", data=data, headers={"X-CSRFToken": foreign,
                                                           "HX-Request": "true"})
    assert refused.status_code == 400
    accepted = client.post("/orgs/new", data=data, headers={"X-CSRFToken": token,
                                                            "HX-Request": "true"})
    assert accepted.status_code == 303
    with db.connection_context():
        assert Organization.select().where(Organization.short_name == "МБОУ «Школа № 77»").count() == 1


def test_token_does_not_expire_while_the_session_lives(csrf_app):
    assert csrf_app.config["WTF_CSRF_TIME_LIMIT"] is None
