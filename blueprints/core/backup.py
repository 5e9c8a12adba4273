"""`flask --app app backup DIR` and `restore DIR`: a consistent copy of a running instance.

A copy is a folder:
    database.sqlite3 | database.dump   the database (SQLite online backup / pg_dump custom format)
    files/xx/<sha256>                  the stored files (documents, PDFs, templates, evidence)
    manifest.json                      engine, migrations, row count of every table, totals
    SHA256SUMS                         the sum of every file above, in `sha256sum -c` format

Only STORAGE_DIR/files is copied: stash/, imports/ and locks/ hold minutes-long temporary state.
"""
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from peewee import PostgresqlDatabase, SqliteDatabase

from models import ActivityEvidence, GeneratedDocument, TemplateVersion, db

from .filters import plural_ru

SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
FORMAT = 1
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
ENGINE_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
SHA_NAME = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


def _references():
    """(table, column) pairs whose values name a stored file; empty strings mean «no file»."""
    pairs = [(GeneratedDocument, "sha256"), (GeneratedDocument, "pdf_sha256"),
             (TemplateVersion, "sha256"), (ActivityEvidence, "file_sha256")]
    return [(model._meta.table_name, model._meta.fields[name].column_name) for model, name in pairs]


REGISTER_TABLE = GeneratedDocument._meta.table_name


# --- helpers shared by both commands ---------------------------------------------------------

def _engine():
    if isinstance(db.obj, SqliteDatabase):
        return "sqlite"
    if isinstance(db.obj, PostgresqlDatabase):
        return "postgresql"
    raise click.ClickException(
        f"Резервное копирование не умеет работать с базой {type(db.obj).__name__}.")


def _pg_env():
    """libpq settings of the configured database as environment variables, so the password never
    appears on a command line (`ps` shows command lines to every local user)."""
    params = dict(db.obj.connect_params)
    env = dict(os.environ, PGDATABASE=db.obj.database)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"),
                     ("password", "PGPASSWORD"), ("sslmode", "PGSSLMODE")):
        if params.get(key) not in (None, ""):
            env[var] = str(params[key])
    return env


def _run(args, env):
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise click.ClickException(
            f"Не найдена программа {args[0]}: установите клиент PostgreSQL (пакет "
            "postgresql-client) той же или более новой версии, что и сервер.") from None
    if result.returncode != 0:
        raise click.ClickException(f"{args[0]} завершился с ошибкой:\n{result.stderr.strip()}")


def _sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source, target):
    """Copy a file and return the sha256 of the bytes actually written."""
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _stored_files(storage_dir):
    """Paths of stored files, relative to STORAGE_DIR. Names that are not a sha256 in the right
    subfolder are half-written temporaries of FileStorage.put: they are skipped."""
    root = Path(storage_dir, "files")
    if not root.is_dir():
        return []
    return sorted(f"files/{p.parent.name}/{p.name}" for p in root.glob("*/*")
                  if p.is_file() and SHA_NAME.match(p.name) and p.parent.name == p.name[:2])


def _read_only_uri(path):
    return Path(path).absolute().as_uri() + "?mode=ro"


def _files(n):
    return f"{n} {plural_ru(n, 'файл', 'файла', 'файлов')}"


def _entries(n):
    return f"{n} {plural_ru(n, 'запись', 'записи', 'записей')} реестра"


def _size_mb(nbytes):
    return f"{nbytes / 1024 / 1024:.1f}".replace(".", ",")


def _seconds(started):
    return f"{time.monotonic() - started:.1f}".replace(".", ",")


def _listed(problems, limit=20):
    more = f"\n  … и ещё {len(problems) - limit}" if len(problems) > limit else ""
    return "".join(f"\n  {problem}" for problem in problems[:limit]) + more


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def _facts(cursor, tables):
    """Row counts of every table and the set of referenced files, read through one cursor (one
    snapshot), so the manifest describes exactly the copied database."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    referenced = set()
    for table, column in _references():
        if table in counts:
            cursor.execute(f"SELECT DISTINCT {_quote(column)} FROM {_quote(table)} "
                           f"WHERE {_quote(column)} <> ''")
            referenced.update(row[0] for row in cursor.fetchall())
    migrations = []
    if "schema_migration" in counts:
        cursor.execute("SELECT name FROM schema_migration ORDER BY name")
        migrations = [row[0] for row in cursor.fetchall()]
    return counts, referenced, migrations


# --- backup -----------------------------------------------------------------------------------

def _snapshot_sqlite(target):
    """SQLite's online backup API, all pages in one step: one read transaction, so the copy is
    one consistent moment; in WAL mode the app's writers are not blocked meanwhile."""
    # A plain connection, not read-only: a WAL reader needs to write the shared-memory index.
    source = sqlite3.connect(db.obj.database, timeout=10)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # The copied header says WAL; a copy is one self-contained file.
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise click.ClickException("База данных повреждена (PRAGMA integrity_check): "
                                       + "; ".join(row[0] for row in check[:5]))
        cursor = copy.cursor()
        tables = [row[0] for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return _facts(cursor, tables)
    finally:
        copy.close()
        source.close()


def _snapshot_postgresql(target):
    """pg_dump of a snapshot exported from our own REPEATABLE READ transaction: the counts and
    references in the manifest are read from exactly the moment pg_dump copies."""
    import psycopg2

    connection = psycopg2.connect(database=db.obj.database, **db.obj.connect_params)
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        cursor = connection.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}",
              f"--file={target}"], _pg_env())
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return _facts(cursor, [row[0] for row in cursor.fetchall()])
    finally:
        connection.rollback()
        connection.close()


def _copy_files(storage_dir, target):
    """Copy every stored file; return {relative path: sha256} and the names whose content no
    longer matches their sha256 (damaged on the server's disk, copied as they are)."""
    sums, damaged = {}, []
    for relative in _stored_files(storage_dir):
        destination = Path(target, relative)
        destination.parent.mkdir(parents=True, exist_ok=True)
        sums[relative] = _copy_hashing(Path(storage_dir, relative), destination)
        if sums[relative] != Path(relative).name:
            damaged.append(relative)
    return sums, damaged


def _write_sums(folder, sums):
    lines = "".join(f"{sha}  {path}\n" for path, sha in sums.items())
    Path(folder, SUMS).write_text(lines, "utf-8")


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory):
    """Copy the database and stored files into DIRECTORY (new or empty), with sha256 sums."""
    started = time.monotonic()
    engine = _engine()
    directory = directory.absolute()
    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(f"Папка {directory} не пуста: укажите новую папку для копии.")
    directory.parent.mkdir(parents=True, exist_ok=True)
    # Everything is written into a hidden sibling and renamed at the end: a folder named DIR is
    # always a finished copy, a crash leaves only «.DIR.partial-…».
    partial = directory.parent / f".{directory.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        database_file = DATABASE_FILE[engine]
        snapshot = _snapshot_sqlite if engine == "sqlite" else _snapshot_postgresql
        # The database first, then the files. Files are content-addressed and never deleted, and a
        # row is committed only after its file is stored, so every file the snapshot names is
        # already on disk when the copying starts; files stored later are copied too (harmless).
        counts, referenced, migrations = snapshot(partial / database_file)
        storage_dir = current_app.config["STORAGE_DIR"]
        file_sums, damaged = _copy_files(storage_dir, partial)
        missing = sorted(sha for sha in referenced if f"files/{sha[:2]}/{sha}" not in file_sums)
        manifest = {
            "format": FORMAT, "engine": engine, "database": database_file,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "migrations": migrations, "tables": counts,
            "register_entries": counts.get(REGISTER_TABLE, 0), "files": len(file_sums),
        }
        Path(partial, MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                           "utf-8")
        sums = {database_file: _sha256_of(partial / database_file),
                MANIFEST: _sha256_of(partial / MANIFEST), **file_sums}
        _write_sums(partial, sums)
        os.sync()  # the data on disk before the name that says «finished»
        os.rename(partial, directory)  # replaces an empty DIR atomically
        os.sync()
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    total = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
    click.echo(f"Копия: {_files(len(file_sums))}, {_size_mb(total)} МБ, "
               f"{_entries(manifest['register_entries'])}, "
               f"за {_seconds(started)} с → {directory}")
    problems = [f"файл не совпадает со своей суммой: {p}" for p in damaged]
    problems += [f"нет файла, на который ссылается база: {sha}" for sha in missing]
    if problems:
        raise click.ClickException("Копия снята, но хранилище сервера повреждено:"
                                   + _listed(problems))


# --- restore ----------------------------------------------------------------------------------

def _read_sums(directory):
    path = Path(directory, SUMS)
    if not path.is_file():
        raise click.ClickException(f"В папке {directory} нет файла {SUMS}: это не копия Опоры "
                                   "или она не была закончена.")
    sums = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        sha, _, relative = line.partition("  ")
        parts = Path(relative).parts
        if not SHA_NAME.match(sha) or not relative or Path(relative).is_absolute() or ".." in parts:
            raise click.ClickException(f"{SUMS}, строка {number}: не разобрать «{line[:100]}».")
        sums[relative] = sha
    return sums


def _verify_copy(directory, sums):
    """Every listed file present with its sum; nothing is written before this passes."""
    problems = []
    for relative, sha in sums.items():
        path = Path(directory, relative)
        if not path.is_file():
            problems.append(f"нет файла {relative}")
        elif _sha256_of(path) != sha:
            problems.append(f"сумма не совпадает: {relative}")
    if MANIFEST not in sums:
        problems.append(f"{MANIFEST} не указан в {SUMS}")
    if problems:
        raise click.ClickException("Копия повреждена, ничего не восстановлено:" + _listed(problems))
    manifest = json.loads(Path(directory, MANIFEST).read_text("utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("database") not in sums:
        raise click.ClickException("Копия сделана несовместимой версией Опоры.")
    return manifest


def _close_connections():
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def _check_empty(storage_dir, sums):
    with db.connection_context():
        tables = db.get_tables()
    if tables:
        raise click.ClickException(
            f"База данных не пуста ({len(tables)} таблиц): восстанавливать можно только в пустой "
            "экземпляр. Укажите новую базу (DATABASE_URL) и папку файлов (STORAGE_DIR).")
    # Files from an interrupted restore of this same copy may stay; anything else is someone's data.
    foreign = [p for p in _stored_files(storage_dir) if p not in sums]
    if foreign:
        raise click.ClickException(
            f"В хранилище {storage_dir} уже есть файлы ({len(foreign)}), которых нет в копии: "
            "восстанавливать можно только в пустой экземпляр.")


def _restore_files(directory, storage_dir, sums):
    for relative, sha in sums.items():
        if not relative.startswith("files/"):
            continue
        target = Path(storage_dir, relative)
        if target.is_file() and _sha256_of(target) == sha:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".restoring")
        _copy_hashing(Path(directory, relative), temporary)
        os.replace(temporary, target)


def _restore_database(engine, path):
    _close_connections()
    if engine == "sqlite":
        source = sqlite3.connect(_read_only_uri(path), uri=True)
        target = sqlite3.connect(db.obj.database)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")  # what the app runs with
        finally:
            target.close()
            source.close()
    else:
        # One transaction: a failed restore leaves the database empty, ready for another try.
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", "--no-password", f"--dbname={db.obj.database}", str(path)],
             _pg_env())


def _verify_restored(engine, storage_dir, manifest):
    """integrity_check (SQLite), the row count of every table as in the manifest, and every
    register entry's file present with its sha256. Returns the number of entries checked."""
    problems = []
    hashes = {}

    def file_ok(sha):
        if sha not in hashes:
            path = Path(storage_dir, "files", sha[:2], sha)
            hashes[sha] = path.is_file() and _sha256_of(path) == sha
        return hashes[sha]

    with db.connection_context():
        if engine == "sqlite":
            check = [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall()]
            if check != ["ok"]:
                problems.append("PRAGMA integrity_check: " + "; ".join(check[:5]))
        for table, expected in manifest["tables"].items():
            actual = db.execute_sql(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0]
            if actual != expected:
                problems.append(f"таблица {table}: {actual} строк вместо {expected}")
        entries = 0
        if REGISTER_TABLE in manifest["tables"]:
            rows = db.execute_sql("SELECT id, number, sha256, pdf_sha256 FROM "
                                  + _quote(REGISTER_TABLE)).fetchall()
            for entry_id, number, sha, pdf_sha in rows:
                entries += 1
                for kind, value in (("файл", sha), ("PDF", pdf_sha)):
                    if value and not file_ok(value):
                        problems.append(f"запись реестра {number or entry_id} (id {entry_id}): "
                                        f"{kind} отсутствует или изменён")
        for table, column in _references():
            if table == REGISTER_TABLE or table not in manifest["tables"]:
                continue
            for (sha,) in db.execute_sql(f"SELECT DISTINCT {_quote(column)} FROM {_quote(table)} "
                                         f"WHERE {_quote(column)} <> ''").fetchall():
                if not file_ok(sha):
                    problems.append(f"{table}: файл {sha} отсутствует или изменён")
    if problems:
        raise click.ClickException("Проверка после восстановления не прошла:" + _listed(problems))
    return entries


@click.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(directory):
    """Restore a copy made by `backup` into this (empty) instance, then verify it."""
    started = time.monotonic()
    engine = _engine()
    storage_dir = current_app.config["STORAGE_DIR"]
    sums = _read_sums(directory)
    manifest = _verify_copy(directory, sums)
    if manifest.get("engine") != engine:
        raise click.ClickException(
            f"Копия снята с {ENGINE_LABEL.get(manifest.get('engine'), manifest.get('engine'))}, "
            f"а приложение настроено на {ENGINE_LABEL[engine]}: восстановление невозможно.")
    _check_empty(storage_dir, sums)
    # Files first, the database last: until the database is there the instance still counts as
    # empty, so an interrupted restore can simply be run again.
    _restore_files(directory, storage_dir, sums)
    _restore_database(engine, Path(directory, manifest["database"]))
    entries = _verify_restored(engine, storage_dir, manifest)
    files = sum(1 for relative in sums if relative.startswith("files/"))
    total = sum(Path(directory, relative).stat().st_size for relative in [*sums, SUMS])
    click.echo(f"Восстановлено: {_files(files)}, {_size_mb(total)} МБ; "
               f"проверено {_entries(entries)}, за {_seconds(started)} с "
               f"(копия от {manifest['created_at']}).")
    click.echo("Если код приложения новее копии, выполните flask --app app upgrade-db.")
