"""Backup and restore: a copy taken while four writers keep registering documents, restored
into an empty instance with every register entry's file intact; damaged copies and non-empty
targets are refused before anything is written."""
import hashlib
import json
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from app import create_app
from blueprints.core import backup
from models import GeneratedDocument, db

from .conftest import TEST_DATABASE_URL, db_fingerprint
from .test_register import create_document

WRITERS = 4
RESTORE_DATABASE = "test_restore"


@pytest.fixture
def empty_instance(tmp_path):
    """make() → an app on a database without tables and an empty STORAGE_DIR, as a new server
    has before `restore`. On PostgreSQL that is a second database: the source stays, to compare."""
    created = []

    def admin(sql):
        import psycopg2
        connection = psycopg2.connect(TEST_DATABASE_URL)
        connection.autocommit = True
        try:
            connection.cursor().execute(sql)
        finally:
            connection.close()

    def make():
        if TEST_DATABASE_URL:
            admin(f"DROP DATABASE IF EXISTS {RESTORE_DATABASE} WITH (FORCE)")
            admin(f"CREATE DATABASE {RESTORE_DATABASE}")
            created.append(RESTORE_DATABASE)
            url = urlunsplit(urlsplit(TEST_DATABASE_URL)._replace(path="/" + RESTORE_DATABASE))
        else:
            url = f"sqlite:///{tmp_path / 'restored.db'}"
        return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url,
                           "STORAGE_DIR": str(tmp_path / "restored-storage"),
                           "WTF_CSRF_ENABLED": False, "OPORA_DEMO": False})

    yield make
    if not db.is_closed():
        db.close()
    if created:
        admin(f"DROP DATABASE IF EXISTS {RESTORE_DATABASE} WITH (FORCE)")


def _sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _register_entries():
    with db.connection_context():
        return {row.id: (row.serial, row.number, row.sha256)
                for row in GeneratedDocument.select().order_by(GeneratedDocument.id)}


def _is_empty(app):
    with app.app_context(), db.connection_context():
        tables = db.get_tables()
    return not tables and not any(Path(app.config["STORAGE_DIR"], "files").rglob("*"))


class Writers:
    """Threads registering documents through the services until stopped; `wait_each_wrote_more`
    blocks on a condition (no sleeps) until every writer has committed one more document."""

    def __init__(self, app, organization):
        self.app, self.organization = app, organization
        self.done = [0] * WRITERS
        self.errors = []
        self.stop = threading.Event()
        self.changed = threading.Condition()
        self.threads = [threading.Thread(target=self._work, args=(i,)) for i in range(WRITERS)]

    def _work(self, i):
        try:
            while not self.stop.is_set():
                n = self.done[i]
                # Every third one is also published: a second kind of write, an UPDATE.
                create_document(self.app, self.organization, title=f"Приказ {i}-{n}",
                                status="published" if n % 3 == 2 else "registered")
                with self.changed:
                    self.done[i] += 1
                    self.changed.notify_all()
        except Exception as exc:  # reported by the test, never swallowed
            with self.changed:
                self.errors.append(exc)
                self.changed.notify_all()

    def wait_each_wrote_more(self, than):
        with self.changed:
            assert self.changed.wait_for(
                lambda: self.errors or all(d > t for d, t in zip(self.done, than)), timeout=60)
        assert not self.errors, self.errors

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()
        assert not self.errors, self.errors


def test_backup_while_four_writers_save_restores_every_entry(app, make_org, empty_instance,
                                                              tmp_path, monkeypatch):
    organization = make_org(kind="department").id
    copy = tmp_path / "copy"
    copy_files = backup._copy_files

    def copy_files_while_writers_write(storage_dir, target):
        # The database snapshot is taken; before the files are copied every writer commits one
        # more document (file stored, row written), so the copy meets files and rows newer than
        # its snapshot, as it does on a busy server. Only the timing is stretched, nothing faked.
        writers.wait_each_wrote_more(list(writers.done))
        return copy_files(storage_dir, target)

    monkeypatch.setattr(backup, "_copy_files", copy_files_while_writers_write)
    with Writers(app, organization) as writers:
        writers.wait_each_wrote_more([0] * WRITERS)
        before = sum(writers.done)
        result = app.test_cli_runner().invoke(args=["backup", str(copy)])
        assert result.exit_code == 0, result.output
    source = _register_entries()  # everything the writers committed, before and after the copy

    figures = re.search(r"Копия: (\d+) файл\w*, ([\d,]+) МБ, (\d+) запис\w* реестра, за ([\d,]+) с",
                        result.output)
    assert figures, result.output
    in_copy = int(figures.group(3))
    assert before <= in_copy < len(source)  # the copy is a moment in the middle of the writing
    manifest = json.loads((copy / "manifest.json").read_text("utf-8"))
    assert manifest["register_entries"] == in_copy
    assert not list(tmp_path.glob(".copy.partial-*"))

    target = empty_instance()
    restored_result = target.test_cli_runner().invoke(args=["restore", str(copy)])
    assert restored_result.exit_code == 0, restored_result.output
    assert f"проверено {in_copy} запис" in restored_result.output

    restored = _register_entries()
    assert len(restored) == in_copy
    # The snapshot is one transaction boundary: the entries it holds are exactly as the source
    # has them, and their serial numbers run 1..N without a gap.
    assert all(source[entry_id] == entry for entry_id, entry in restored.items())
    assert sorted(serial for serial, _, _ in restored.values()) == list(range(1, in_copy + 1))
    storage_dir = Path(target.config["STORAGE_DIR"])
    for _, number, sha256 in restored.values():
        path = storage_dir / "files" / sha256[:2] / sha256
        assert path.is_file() and _sha256(path) == sha256, number
    with db.connection_context():
        if not TEST_DATABASE_URL:
            assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    # The restored instance works on: the next number follows the last one in the copy.
    following = create_document(target, organization, title="После восстановления")
    assert following.serial == in_copy + 1


def test_a_damaged_copy_is_refused_before_anything_is_written(app, make_org, empty_instance,
                                                               tmp_path):
    organization = make_org(kind="department").id
    for n in range(2):
        create_document(app, organization, title=f"Приказ {n}")
    copy = tmp_path / "copy"
    result = app.test_cli_runner().invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    changed, missing = sorted((copy / "files").glob("*/*"))[:2]
    data = bytearray(changed.read_bytes())
    data[len(data) // 2] ^= 1  # one bit flipped on the backup disk
    changed.write_bytes(bytes(data))
    missing.unlink()

    target = empty_instance()
    refused = target.test_cli_runner().invoke(args=["restore", str(copy)])
    assert refused.exit_code != 0
    assert "Копия повреждена, ничего не восстановлено" in refused.output
    assert f"сумма не совпадает: files/{changed.parent.name}/{changed.name}" in refused.output
    assert f"нет файла files/{missing.parent.name}/{missing.name}" in refused.output
    assert _is_empty(target)


def test_restore_into_a_non_empty_instance_is_refused(app, make_org, tmp_path):
    organization = make_org(kind="department").id
    create_document(app, organization)
    copy = tmp_path / "copy"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(copy)]).exit_code == 0
    before = db_fingerprint()
    refused = runner.invoke(args=["restore", str(copy)])
    assert refused.exit_code != 0 and "База данных не пуста" in refused.output
    assert db_fingerprint() == before
    # A backup never lands in a folder that already holds something.
    again = runner.invoke(args=["backup", str(copy)])
    assert again.exit_code != 0 and "не пуста" in again.output
    assert not list(tmp_path.glob(".copy.partial-*"))
