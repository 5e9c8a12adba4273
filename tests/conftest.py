"""Fixtures: the app on a fresh database per test, the `http` client, `make_<entity>` factories.

SQLite gets a new file per test (never :memory:, which vanishes between requests).
With TEST_DATABASE_URL=postgresql://… the same tests run on PostgreSQL, on a schema
emptied before each test.
"""
import hashlib
import itertools
import os
import re

import pytest

from app import create_app
from models import ALL_MODELS, AuditLog, Organization, User, db
from models.migrations import upgrade

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = "correct-horse-1"
_serial = itertools.count(1)


def empty_database():
    """Drop every table: the database as a first `make run` finds it."""
    if TEST_DATABASE_URL:
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")
        return
    db.execute_sql("PRAGMA foreign_keys = OFF")
    for table in db.get_tables():
        if table in db.get_tables():  # a search index's own tables go with it (FTS5)
            db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql("PRAGMA foreign_keys = ON")


def build_app(tmp_path, **overrides):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.db'}",
        "STORAGE_DIR": str(tmp_path / "storage"),
        "WTF_CSRF_ENABLED": False,
        "OPORA_DEMO": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # No warm PDF converter unless a test starts one (a `make run` on this machine
        # must not serve the suite's conversions): tests/test_pdf.py::warm_converter.
        "PDF_CONVERTER_PORT": 0,
    }
    settings.update(overrides)
    application = create_app(settings)
    with db.connection_context():
        if TEST_DATABASE_URL:
            empty_database()
        upgrade(db)
    return application


def another_worker(app):
    """A second app on the same database, as a second gunicorn worker would be."""
    keys = ("TESTING", "SECRET_KEY", "DATABASE_URL", "STORAGE_DIR", "WTF_CSRF_ENABLED",
            "PASSWORD_HASH_METHOD", "PDF_CONVERTER_PORT")
    return create_app({k: app.config[k] for k in keys})


@pytest.fixture
def app(tmp_path):
    # No app context is held open here: requests must not share `g` (flask-login caches the user there).
    application = build_app(tmp_path)
    yield application
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):  # pooled SQLite: release this test's file handles
        db.obj.close_all()


@pytest.fixture
def http(app):
    return app.test_client()


@pytest.fixture
def make_org():
    def make(**fields):
        n = next(_serial)
        values = {"kind": "school", "full_name": f"Муниципальное бюджетное общеобразовательное "
                  f"учреждение «Школа № {n}»", "short_name": f"МБОУ «Школа № {n}»",
                  "municipality": "Новоречинский муниципальный район"}
        values.update(fields)
        with db.connection_context():
            return Organization.create(**values)
    return make


@pytest.fixture
def make_user(app, make_org):
    def make(role="school", organization=None, password=PASSWORD, **fields):
        kind = {"school": "school", "centre": "centre", "department": "department"}.get(role)
        if organization is None and kind:
            organization = make_org(kind=kind)
        n = next(_serial)
        values = {"login": f"{role}{n}", "full_name": f"Тестов Тест Тестович {n}", "role": role,
                  "organization": organization}
        values.update(fields)
        with app.app_context(), db.connection_context():
            user = User(**values)
            user.set_password(password)
            user.save()
            return user
    return make


@pytest.fixture
def make_order(make_org):
    """A draft order with two clauses, issued by `organization` (a new department by default)."""
    def make(organization=None, **fields):
        from datetime import date

        from models import Order, OrderClause
        organization = organization or make_org(kind="department").id
        values = {"organization": organization, "order_date": date(2026, 9, 1),
                  "heading": "Об организации мониторинга", "signer_position": "Начальник",
                  "signer_name": "Волков Михаил Евгеньевич", "place": "г. Новоречинск"}
        values.update(fields)
        with db.connection_context():
            order = Order.create(**values)
            OrderClause.create(order=order, position=0, text="Утвердить план.")
            OrderClause.create(order=order, position=1, text="Назначить ответственных.",
                               executor="руководители ОО", deadline="до 15.09.2026")
        return order
    return make


def create_campaign(schools=(), codes=("participants", "failed", "share_2", "measures"),
                    status="open", sections=None, **fields):
    """A monitoring campaign over catalogue indicators (codes seeded by migration 0014) with a
    report per school (organisation ids or rows), `sections` = {code: section title}."""
    from datetime import date

    from models import CampaignIndicator, Indicator, MonitoringCampaign, MonitoringReport
    values = {"title": "Мониторинг позитивных изменений в ШНОР, I полугодие 2026/2027",
              "period_label": "I полугодие 2026/2027", "period_start": date(2026, 9, 1),
              "period_end": date(2026, 12, 31), "deadline": date(2027, 1, 15), "status": status}
    values.update(fields)
    with db.connection_context():
        campaign = MonitoringCampaign.create(**values)
        for position, code in enumerate(codes):
            CampaignIndicator.create(
                campaign=campaign, indicator=Indicator.get(Indicator.code == code),
                section=(sections or {}).get(code, "Результаты обучения"), position=position)
        for school in schools:
            MonitoringReport.create(campaign=campaign, school=school)
    return campaign


@pytest.fixture
def make_campaign(app):
    return create_campaign


def login(client, user, password=PASSWORD):
    response = client.post("/login", data={"login": user.login, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def login_as(app, make_user):
    """login_as('centre') → a fresh client signed in as a new user of that role."""
    def sign_in(role_or_user, **fields):
        user = make_user(role_or_user, **fields) if isinstance(role_or_user, str) else role_or_user
        client = app.test_client()
        login(client, user)
        client.user = user
        return client
    return sign_in


def db_fingerprint():
    """A hash of every row of every table but the audit log (denials are recorded on purpose):
    equal before and after means nothing changed."""
    digest = hashlib.sha256()
    with db.connection_context():
        for model in ALL_MODELS:
            if model is AuditLog:
                continue
            for row in model.select().order_by(model._meta.primary_key).tuples():
                digest.update(repr(row).encode())
    return digest.hexdigest()


def csrf_from(html):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html)
    return match.group(1)


HX = {"HX-Request": "true"}


def pytest_terminal_summary(terminalreporter):
    """The fuzz figures, when tests/test_fuzz.py ran: examples, forms, server errors."""
    import sys
    fuzz = sys.modules.get("tests.test_fuzz")
    if fuzz and fuzz.STATS["forms"]:
        stats = fuzz.STATS
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(stats["statuses"].items()))
        terminalreporter.write_line(
            f"fuzz: {stats['examples']} examples over {stats['forms']} forms, "
            f"{stats['server_errors']} × 5xx ({statuses}) in {stats['seconds']:.0f} s")
