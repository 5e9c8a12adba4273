"""Command-line setup: demo data on a new database only, create-admin asks for a password."""
from models import GeneratedDocument, Organization, User, db

from .conftest import build_app, empty_database, login


def _fresh(tmp_path, **overrides):
    """An app on an empty database (no migrations run), as `make run` finds it the first time."""
    app = build_app(tmp_path, **overrides)
    with db.connection_context():
        empty_database()
    return app


def test_setup_loads_demo_once_and_keeps_user_changes(tmp_path):
    app = _fresh(tmp_path, OPORA_DEMO=True)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    for login_name in ("admin", "centre", "department", "school1", "school2"):
        assert login_name in first.output
    assert "http://127.0.0.1:8000/" in first.output
    with db.connection_context():
        schools = Organization.select().where(Organization.kind == "school")
        assert schools.count() == 20
        assert schools.where(Organization.is_leader == True).count() >= 3  # noqa: E712
        assert schools.where(Organization.is_low_result == True).count() >= 3  # noqa: E712
        published = GeneratedDocument.select().where(GeneratedDocument.status == "published")
        assert {d.doctype for d in published} >= {"order"}
        assert any("мониторинга качества образования" in d.title for d in published)
        school1 = User.get(User.login == "school1")
        school2 = User.get(User.login == "school2")
        assert school1.organization_id != school2.organization_id
        Organization.update(head_name="Изменённый Руководитель").where(
            Organization.id == school1.organization_id).execute()
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0
    with db.connection_context():
        assert Organization.select().where(Organization.kind == "school").count() == 20
        assert Organization.get_by_id(school1.organization_id).head_name == "Изменённый Руководитель"
    for login_name in ("admin", "centre", "department", "school1", "school2"):
        login(app.test_client(), User(login=login_name), "demo")


def test_setup_without_demo(tmp_path):
    app = _fresh(tmp_path, OPORA_DEMO=False)
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0
    with db.connection_context():
        assert User.select().count() == 0


def test_create_admin_asks_for_a_password(tmp_path):
    app = _fresh(tmp_path, OPORA_DEMO=False)
    runner = app.test_cli_runner()
    short = runner.invoke(args=["create-admin"], input="chief\nГлавный Админ\nshort\nshort\n")
    assert short.exit_code != 0 and "не короче 8" in short.output
    result = runner.invoke(args=["create-admin"],
                           input="chief\nГлавный Админ\nlong-password-1\nlong-password-1\n")
    assert result.exit_code == 0, result.output
    with db.connection_context():
        chief = User.get(User.login == "chief")
    assert chief.role == "admin"
    login(app.test_client(), chief, "long-password-1")
