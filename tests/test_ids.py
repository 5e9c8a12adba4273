"""Ids and numbers from the URL: 0, -1, 10**30 and `abc` are a 404 or a 422, never a 500.

Every URL rule with arguments gets each argument replaced by a hostile value (the others
stay valid, as in the access matrix), for GET and POST, as a role the policy allows.
List pages get hostile `page` and filter values in the query string.
"""
import re

import pytest

from .conftest import db_fingerprint
from .test_access import POLICY, _client, routes, world  # noqa: F401  (`world` is a fixture)

HOSTILE = ("0", "-1", str(10**30), "abc")
# The roles tried first: the widest rights, so a refusal is about the value, not the role.
PREFERENCE = ("centre", "admin", "department", "school", "anonymous")
# Arguments that name no record (the static file, fixed choices).
NOT_IDS = {"filename", "direction", "kind", "key"}
_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _role(endpoint):
    return next(role for role in PREFERENCE if role in POLICY[endpoint])


def _path(rule, values):
    return _ARGUMENT.sub(lambda m: values[m.group(1)], rule.rule)


def _valid(world, role, rule, bad_name):
    """Valid values for the other arguments (fresh objects only where one is needed)."""
    values = world["ids"][role]
    return {k: str(values[k]() if callable(values[k]) else values[k])
            for k in rule.arguments if k != bad_name}


def test_every_id_in_every_url_is_a_404_not_a_500(app, world):
    failures, checked, clients = [], 0, {}
    for rule, method in routes(app):
        names = sorted(set(_ARGUMENT.findall(rule.rule)) - NOT_IDS)  # not `defaults` ones
        if not names:
            continue
        role = _role(rule.endpoint)
        client = clients.get(role) or clients.setdefault(role, _client(app, world, role))
        for name in names:
            for bad in HOSTILE:
                values = dict(_valid(world, role, rule, name), **{name: bad})
                before = db_fingerprint() if method == "POST" else None
                response = client.open(_path(rule, values), method=method, data={})
                checked += 1
                status = response.status_code
                # An unknown import token is a preview nobody kept: back to the upload page.
                expected = (400, 404, 405, 422, 303) if name == "token" else (400, 404, 405, 422)
                if status not in expected:
                    failures.append((method, rule.rule, name, bad, status))
                elif before is not None and db_fingerprint() != before:
                    failures.append((method, rule.rule, name, bad, "changed the database"))
    assert checked > 300
    assert failures == [], "\n".join(map(repr, failures))


# List pages and the query-string parameters they read (besides `page`).
LISTS = {
    "/orgs/": ("q", "kind", "municipality", "leader"),
    "/users": ("q", "role"),
    "/audit": (),
    "/orders/": ("status",),
    "/documents/": ("q", "doctype", "year", "status"),
    "/docs/": ("q", "kind", "year", "organization"),
    "/meetings/": ("body",),
    "/programmes/": ("status",),
    "/roadmaps/": (),
    "/evidence-documents": ("q",),
}
QUERY_VALUES = ("0", "-1", str(10**30), "abc", "", "%00", "9999-99", "9999-12", "0000-01", "²²²²-01",
                "-" + str(10**30), "1e309", "nan")


def _role_for_path(app, path):
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(path, method="GET")
    return _role(endpoint)


@pytest.mark.parametrize("path", sorted(LISTS))
def test_hostile_query_strings_on_list_pages(app, world, path):
    client = _client(app, world, _role_for_path(app, path))
    failures = []
    for name in ("page", *LISTS[path]):
        for value in QUERY_VALUES:
            response = client.get(path, query_string={name: value})
            if response.status_code != 200:
                failures.append((name, value, response.status_code))
    assert failures == [], "\n".join(map(repr, failures))


def test_hostile_query_strings_on_detail_pages(app, world):
    """The road-map filters, the programme comparison and the road-map deadline check."""
    failures = []
    centre = _client(app, world, "centre")
    values = world["ids"]["centre"]
    roadmap, programme = values["roadmap_id"](), values["programme_id"]()
    pages = {f"/roadmaps/{roadmap}": ("org", "month", "status", "overdue", "mine", "restore"),
             f"/roadmaps/{roadmap}/report.docx": ("on",),
             f"/programmes/{programme}/compare": ("a", "b"),
             f"/roadmaps/{roadmap}/roadmap.docx": ("org", "month", "status")}
    for path, names in pages.items():
        for name in names:
            for value in QUERY_VALUES:
                response = centre.get(path, query_string={name: value})
                if response.status_code >= 500 or response.status_code not in (200, 404, 422):
                    failures.append((path, name, value, response.status_code))
    assert failures == [], "\n".join(map(repr, failures))


@pytest.mark.parametrize("value", ["99999999999999999999999999999", "-99999999999999999999999999999",
                                   "2147483648"])
def test_a_huge_organization_on_the_user_form_is_a_field_message(login_as, value):
    admin = login_as("admin")
    before = db_fingerprint()
    response = admin.post("/users/new", data={
        "login": "huge", "full_name": "Тестов Тест", "role": "school", "organization": value,
        "password": "correct-horse-1", "is_active": "y"})
    assert response.status_code == 422
    assert "Слишком большое число." in response.get_data(as_text=True)
    assert db_fingerprint() == before
