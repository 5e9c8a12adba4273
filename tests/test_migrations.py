"""Migrations: an old database is upgraded with its data intact; the result matches the models."""
from models import ALL_MODELS, LoginFailure, Organization, User, db
from models.migrations import applied, available, upgrade

from .conftest import PASSWORD, TEST_DATABASE_URL, build_app, empty_database, login


def test_every_migration_is_applied_to_a_new_database(app):
    with db.connection_context():
        assert applied(db) == available()
        assert upgrade(db) == []  # a second run changes nothing


def test_migrated_schema_matches_the_models(app):
    with db.connection_context():
        for model in ALL_MODELS:
            table = model._meta.table_name
            columns = {c.name for c in db.get_columns(table)}
            assert columns == {f.column_name for f in model._meta.sorted_fields}, table


def test_upgrade_from_the_login_throttle_release_keeps_the_data(tmp_path):
    """0002 added columns to `user`; a database from before it keeps its rows and gains them."""
    previous = "0001_initial"
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'old.db'}"
    app = build_app(tmp_path / "new", DATABASE_URL=url)  # leaves a database at the latest schema
    with db.connection_context():
        empty_database()
        assert upgrade(db, target=previous)[-1] == previous
        # Data written by the previous release, with the previous columns only.
        db.execute_sql(
            'INSERT INTO "organization" (kind, full_name, short_name, municipality, address, inn,'
            " kpp, phone, email, head_position, head_name, is_leader, is_low_result, search_text,"
            " created_at, updated_at) VALUES ('school', 'Старая школа', 'МБОУ «Старая»', 'Район',"
            " '', '', '', '', '', 'Директор', 'Старов С.С.', %s, %s, 'старая', %s, %s)"
            .replace("%s", db.param), (True, False, "2024-01-01 10:00:00", "2024-01-01 10:00:00"))
        with app.app_context():
            template = User(password_hash="")
            template.set_password(PASSWORD)
        org_id = Organization.select(Organization.id).scalar()
        db.execute_sql(
            'INSERT INTO "user" (login, password_hash, full_name, position, role, organization_id,'
            " is_active, session_epoch, created_at) VALUES ('veteran', %s, 'Ветеранова В.В.', '',"
            " 'school', %s, %s, 0, '2024-01-01 10:00:00')".replace("%s", db.param),
            (template.password_hash, org_id, True))
        assert upgrade(db) == available()[1:]
        user = User.get(User.login == "veteran")
        assert not LoginFailure.select().where(LoginFailure.login == "veteran").exists()
        assert user.organization.short_name == "МБОУ «Старая»" and user.organization.is_leader
    login(app.test_client(), user)


def test_a_lock_survives_the_move_to_login_failures(tmp_path):
    """0010 moved the failure counter and lock from `user` to `login_failure`."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'old.db'}"
    build_app(tmp_path / "new", DATABASE_URL=url)
    with db.connection_context():
        empty_database()
        before = [name for name in available() if name < "0010"][-1]
        upgrade(db, target=before)
        db.execute_sql(
            'INSERT INTO "user" (login, password_hash, full_name, position, role, is_active,'
            " session_epoch, created_at, failed_login_count, locked_until) VALUES ('locked', 'x',"
            " 'Л', '', 'admin', %s, 0, '2024-01-01 10:00:00', 2, '2999-01-01 10:00:00')"
            .replace("%s", db.param), (True,))
        upgrade(db)
        moved = LoginFailure.get(LoginFailure.login == "locked")
        assert moved.failures == 2 and moved.locked_until.year == 2999


def test_cli_upgrade_is_idempotent(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["upgrade-db"])
    assert result.exit_code == 0 and "Применено миграций: 0" in result.output


def test_upgrading_keeps_rows_that_refer_to_rebuilt_tables(tmp_path):
    """SQLite adds a NOT NULL column by rebuilding the table: the rows that refer to it (a
    register document's author, evidence citing a document) survive every later migration."""
    from models import (ActivityEvidence, GeneratedDocument, Organization, Roadmap,
                        RoadmapActivity, RoadmapSection, User, db)
    from models.migrations import upgrade

    from .conftest import TEST_DATABASE_URL, build_app, empty_database
    from .test_visibility import _insert_old
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'old.db'}"
    build_app(tmp_path / "new", DATABASE_URL=url)
    with db.connection_context():
        empty_database()
        upgrade(db, target="0012_jobs")
        org = _insert_old(Organization, kind="school", full_name="Школа", short_name="Школа",
                          municipality="Район")
        user = _insert_old(User, login="old", password_hash="", full_name="Старов",
                           role="school", organization=org.id)
        document = _insert_old(GeneratedDocument, doctype="order", title="Приказ", sha256="x",
                               author=user.id, organization=org.id)
        roadmap = _insert_old(Roadmap, title="Карта", organization=org.id, period_start=2026,
                              period_end=2026)
        section = _insert_old(RoadmapSection, roadmap=roadmap.id, position=0)
        activity = _insert_old(RoadmapActivity, roadmap=roadmap.id, section=section.id,
                               position=0, title="Дело")
        _insert_old(ActivityEvidence, activity=activity.id, kind="document",
                    document=document.id, added_by=user.id)
        upgrade(db)
        assert GeneratedDocument.get_by_id(document.id).author_id == user.id
        assert ActivityEvidence.select().where(
            ActivityEvidence.document == document.id).count() == 1
        assert RoadmapActivity.get_by_id(activity.id).search_text == "дело дел"  # 0021 filled it
