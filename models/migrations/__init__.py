"""Numbered, forward-only schema migrations.

Each module ``NNNN_name.py`` in this folder defines ``up(db, migrator)``. A new or
old database reaches the current schema the same way: by applying, in order, the
migrations it has not had yet. Migrations describe tables as they were at that
step (frozen), never by importing today's models, so history does not change.
"""
import importlib
import pkgutil
from pathlib import Path

from peewee import CharField, DateTimeField, Model, SqliteDatabase
from playhouse.migrate import SchemaMigrator

from ..base import now

TABLE = "schema_migration"


def frozen_base(database):
    """The base class a migration declares its frozen tables on."""
    class Base(Model):
        class Meta:
            legacy_table_names = False

    Base.bind(database)
    return Base


def existing(database, *tables):
    """Stand-ins for tables created by earlier migrations, for foreign keys to point at."""
    base = frozen_base(database)
    return [type(name.title().replace("_", ""), (base,), {"Meta": type("Meta", (), {
        "table_name": name})}) for name in tables]


def available():
    """Migration names in order: ['0001_initial', '0002_login_throttle', ...]."""
    names = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])]
    return sorted(n for n in names if n[:4].isdigit())


def _record_model(database):
    class SchemaMigration(Model):
        name = CharField(max_length=100, primary_key=True)
        applied_at = DateTimeField(default=now)

        class Meta:
            table_name = TABLE

    SchemaMigration.bind(database)
    return SchemaMigration


def applied(database):
    record = _record_model(database)
    if not database.table_exists(TABLE):
        return []
    return sorted(r.name for r in record.select())


def upgrade(database, target=None):
    """Apply pending migrations up to ``target`` (inclusive); return the names applied."""
    record = _record_model(database)
    database.create_tables([record], safe=True)
    done = set(applied(database))
    ran = []
    # SQLite adds a NOT NULL column by rebuilding the table (copy, drop, rename); with foreign
    # keys on, the drop deletes or nulls every row that refers to it (measured: a road-map
    # activity's evidence was gone after 0021). So they are off while migrating — SQLite's own
    # recipe for a rebuild — and the references are checked before they are on again.
    sqlite = isinstance(getattr(database, "obj", None) or database, SqliteDatabase)
    if sqlite:
        database.execute_sql("PRAGMA foreign_keys = OFF")  # outside a transaction, or no-op
    try:
        for name in available():
            if target is not None and name > target:
                break
            if name in done:
                continue
            module = importlib.import_module(f"{__name__}.{name}")
            with database.atomic():
                module.up(database, SchemaMigrator.from_database(database))
                if sqlite:
                    broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"{name}: broken references {broken[:5]}")
                record.create(name=name)
            ran.append(name)
    finally:
        if sqlite:
            database.execute_sql("PRAGMA foreign_keys = ON")
    return ran
