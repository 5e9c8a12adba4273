"""Fuzz: hostile values posted to every form of the app never give a 5xx nor half-saved data.

Every POST route is posted to, as a role the access policy allows, with its form's field
names (read from the page that shows the form) and values drawn from a hostile strategy:
huge and negative numbers, words where numbers go, empty and very long text, control
characters, template and formula payloads, impossible dates, repeated keys, row indices
out of range, random file bodies. Every answer must be below 500; every 4xx must leave the
database as it was.

The app and its objects are built once for the module (on a file of its own), so Hypothesis
runs many examples per form cheaply. OPORA_FUZZ_EXAMPLES (default 2000) is the minimum
number of examples per run, shared among the forms; more makes a longer, deeper run.
"""
import collections
import io
import math
import os
import re
import time
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app import app as _module_app
from models import Organization, User, db

from . import conftest
from .conftest import PASSWORD, build_app, db_fingerprint, login
from .test_access import POLICY, world as _world

TARGET = int(os.environ.get("OPORA_FUZZ_EXAMPLES", "2000"))
PREFERENCE = ("centre", "admin", "department", "school", "anonymous")
# Not fuzzed: signing out (ends the session the other examples use), starting a PDF
# conversion or a package of orders (background jobs writing to the database while fingerprints
# are taken; the package form's hostile ids are tested in tests/test_jobs.py).
SKIP = {"auth.logout", "documents.pdf_start", "orders.batch"}
# Refused sign-ins are counted in the database on purpose (the lockout): no fingerprint check.
COUNTS_FAILURES = {"auth.login"}
FALLBACK_FIELDS = ("name", "title", "text", "version", "organization", "comment", "file")
# Signing in is fuzzed signed out (a signed-in user is sent on); the rest as the policy allows.
ROLE = {"auth.login": "anonymous"}
# Forms the built objects do not show (a draft programme has no review buttons, no programme
# is agreed yet): their fields are read from the form class.
FORM_CLASSES = {"programmes.comment": "blueprints.programmes.forms:CommentForm",
                "programmes.answer": "blueprints.programmes.forms:AnswerForm",
                "programmes.approve": "blueprints.programmes.forms:ApprovalForm"}

STATS = {"examples": 0, "forms": 0, "server_errors": 0, "seconds": 0.0,
         "statuses": collections.Counter()}


def _post_rules():
    for rule in _module_app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint not in SKIP:
            yield rule.endpoint, rule.rule


POST_RULES = sorted(set(_post_rules()))


# --- the hostile values ------------------------------------------------------------------------

HOSTILE_TEXT = [
    "", " ", "0", "-1", "1", "2147483647", "2147483648", "-2147483649", str(10**30),
    "99999999999999999999999999999", "-" + str(10**30), "1e309", "nan", "inf", "-0", "1,5", "0x10",
    "abc", "\x00", "a\x00b", "\x07\x1b[31m", "\u202eevil", "\ufeff", "\r\n\r\n", "{{7*7}}",
    "{% for x in range(10**9) %}{% endfor %}", "<script>alert(1)</script>", '"><img src=x>',
    "=1+1", "+1", "@SUM(A1)", "'; DROP TABLE users; --", "%s%s%s", "{0}", "../../etc/passwd",
    "31.02.2026", "9999-99-99", "2026-02-31", "0000-00-00", "0001-01-01", "9999-12-31",
    "2026-13-01", "-2026-01-01", "29.02.2027", "я" * 301, "я" * 5001, "x" * 100_001,
    "ё\u0301", "𝕏" * 50,
]
# Text a browser could send: any Unicode but lone surrogates (not encodable in a request).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
NUMBERS = st.integers(min_value=-(10**40), max_value=10**40).map(str)
HOSTILE = st.one_of(st.sampled_from(HOSTILE_TEXT), NUMBERS, TEXT)
FILE_NAMES = st.sampled_from(["report.docx", "roadmap.docx", "orgs.xlsx", "a.pdf", "a.txt", "x",
                              "../../x.docx", "\u202excod.docx", ""])
FILES = st.tuples(st.just("file"), st.binary(max_size=3000), FILE_NAMES)


def _values(field):
    """Values for one field: its own (so the rest of the form can pass) or hostile ones,
    sometimes absent, sometimes repeated."""
    kind, default = field
    one = st.one_of(FILES, HOSTILE) if kind == "file" else st.one_of(st.just(default), HOSTILE)
    return st.one_of(st.lists(one, min_size=1, max_size=1), st.lists(one, max_size=3))


def _row_names(names):
    """FieldList row names with indices no form has: huge, negative, not a number."""
    rows = sorted({m.group(1) for name in names if (m := re.match(r"(.+?)-\d+-", name))})
    return [f"{prefix}-{index}-{suffix}" for prefix in rows
            for index in (str(10**30), "-1", "abc", "999")
            for suffix in ("text", "title", "name")]


def _payloads(fields):
    per_field = st.fixed_dictionaries({name: _values(field) for name, field in fields.items()})
    extra_names = _row_names(fields) + ["id", "organization", "version", "action", "goto"]
    extra = st.dictionaries(st.sampled_from(extra_names), st.lists(HOSTILE, min_size=1,
                                                                    max_size=2), max_size=3)
    return st.tuples(per_field, extra)


def _form_data(payload):
    per_field, extra = payload
    data = MultiDict()
    for name, values in [*per_field.items(), *extra.items()]:
        for value in values:
            if isinstance(value, tuple):  # ("file", bytes, name)
                value = (io.BytesIO(value[1]), value[2])
            data.add(name, value)
    return data


# --- the forms ---------------------------------------------------------------------------------

class _Forms(HTMLParser):
    """The POST forms of a page: action → {field name: (kind, first value)}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.current, self.select, self.textarea = [], None, None, None
        self.by_id = {}  # <input form="id"> belongs to the form of that id, wherever it stands

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"action": attrs.get("action") or "",
                            "post": (attrs.get("method") or "").lower() == "post", "fields": {}}
            self.forms.append(self.current)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.current
            return
        # htmx buttons post without a <form>: hx-post="…" on any element.
        if attrs.get("hx-post"):
            self.forms.append({"action": attrs["hx-post"], "post": True, "fields": {}})
        owner = self.by_id.get(attrs.get("form")) if attrs.get("form") else self.current
        fields = owner["fields"] if owner else None
        name = attrs.get("name")
        if fields is None or not name or name == "csrf_token":
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                fields.setdefault(name, ("file", ""))
            elif kind not in ("checkbox", "radio") or "checked" in attrs or name not in fields:
                fields[name] = (kind, attrs.get("value") or "")
        elif tag == "button":
            fields.setdefault(name, ("button", attrs.get("value") or ""))
        elif tag == "select":
            fields[name] = ("select", "")
            self.select = name
        elif tag == "option" and self.select:
            if not fields[self.select][1] or "selected" in attrs:
                fields[self.select] = ("select", attrs.get("value") or "")
        elif tag == "textarea":
            fields[name] = ("textarea", "")
            self.textarea = name

    def handle_data(self, data):
        if self.textarea and self.current:
            self.current["fields"][self.textarea] = ("textarea", data.strip())

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def _pages_showing(url):
    """The URL itself, then its parents and their edit pages: where a POST-only form lives."""
    parts = url.rstrip("/").split("/")
    yield url
    for end in range(len(parts) - 1, 1, -1):
        parent = "/".join(parts[:end])
        yield parent
        yield parent + "/edit"
        yield parent + "/"


def _discover(app, client, url):
    """The fields of the form that posts to `url`, read from the pages that show it."""
    adapter = app.url_map.bind("localhost")
    found = []
    for page in _pages_showing(url):
        try:
            adapter.match(page, method="GET")
        except Exception:  # no such page, or not a GET one
            continue
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        found.append((page, parser.forms))
        for form in parser.forms:
            action = form["action"].split("?")[0]
            if action == url or (not action and page == url):
                if form["fields"] or action == url:
                    return form["fields"]
    for page, forms in found[:1]:
        fields = {}
        for form in forms:
            if form["post"]:
                fields.update(form["fields"])
        if fields:
            return fields
    return {name: ("text", "") for name in FALLBACK_FIELDS}


def _class_fields(path):
    from importlib import import_module

    from wtforms.fields.core import UnboundField
    module, name = path.split(":")
    form_class = getattr(import_module(module), name)
    return {field: ("text", "") for field in dir(form_class)
            if isinstance(getattr(form_class, field), UnboundField)}


# --- the app, built once -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz(tmp_path_factory):
    app = build_app(tmp_path_factory.mktemp("fuzz"))
    make_org = conftest.make_org.__wrapped__()
    make_user = conftest.make_user.__wrapped__(app, make_org)
    make_order = conftest.make_order.__wrapped__(make_org)
    people = _world.__wrapped__(app, make_user, make_org, make_order)
    with db.connection_context():
        users = [dict(u.__data__) for u in User.select()]
        orgs = [dict(o.__data__) for o in Organization.select()]
    yield {"app": app, "world": people, "users": users, "orgs": orgs}
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def _restore(fuzz):
    """Users and organisations as built: an earlier form may have renamed, moved or locked them."""
    with db.connection_context():
        for model, rows in ((Organization, fuzz["orgs"]), (User, fuzz["users"])):
            for row in rows:
                values = {k: v for k, v in row.items() if k != "id"}
                if model.update(**values).where(model.id == row["id"]).execute() == 0:
                    model.insert(**row).execute()
        user = User.get_by_id(fuzz["world"]["school"].id)
        user.set_password(PASSWORD)
        for person in ("school", "other", "department", "centre", "admin"):
            User.update(password_hash=user.password_hash).where(
                User.id == fuzz["world"][person].id).execute()


def _url(rule, people, role):
    values = people["ids"][role]
    params = {k: values[k]() if callable(values[k]) else values[k] for k in rule.arguments}
    return rule.build(params, append_unknown=False)[1]


@pytest.mark.parametrize("endpoint,path", POST_RULES, ids=[endpoint for endpoint, _ in POST_RULES])
def test_hostile_posts_never_break_the_server(fuzz, endpoint, path):
    app, people = fuzz["app"], fuzz["world"]
    _restore(fuzz)
    rule = next(r for r in app.url_map.iter_rules() if r.rule == path and r.endpoint == endpoint)
    role = ROLE.get(endpoint) or next(role for role in PREFERENCE if role in POLICY[endpoint])
    client = app.test_client()
    if role != "anonymous":
        login(client, people[role])
    url = _url(rule, people, role)
    fields = _class_fields(FORM_CLASSES[endpoint]) if endpoint in FORM_CLASSES else \
        _discover(app, client, url)
    examples = math.ceil(TARGET / len(POST_RULES))
    started, unchanged = time.monotonic(), [None]

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(_payloads(fields))
    def post(payload):
        # A refused post leaves the database as it was: its fingerprint is the next "before".
        before, unchanged[0] = unchanged[0] or db_fingerprint(), None
        response = client.post(url, data=_form_data(payload))
        status = response.status_code
        STATS["examples"] += 1
        STATS["statuses"][f"{status // 100}xx"] += 1
        if status >= 500:
            STATS["server_errors"] += 1
        assert status < 500, (url, status, "server error: see the captured log")
        if 400 <= status < 500 and endpoint not in COUNTS_FAILURES:
            after = db_fingerprint()
            assert after == before, (url, status, "half-saved")
            unchanged[0] = after

    try:
        post()
    finally:
        STATS["forms"] += 1
        STATS["seconds"] += time.monotonic() - started
