"""Search that understands Russian: a `search_text` (normalised words, abbreviations, stems —
models/search.py) on documents and road-map activities as organisations already had, filled
for existing rows, and its index: FTS5 tables kept by triggers on SQLite, GIN indexes over the
`russian` text-search configuration on PostgreSQL."""
from peewee import TextField
from playhouse.migrate import migrate

from ..search import index_text, is_sqlite

# The doctype titles when this migration was written: a document is found by its kind
# («приказ 2»). Later rows get theirs from the installed doctypes (documents/registry.py).
KIND_TITLES = {
    "order": "Приказ", "protocol": "Протокол заседания", "protocol_extract": "Выписка из протокола",
    "programme": "Программа повышения качества образования",
    "order_programmes_approval": "Приказ об утверждении программ", "roadmap": "Дорожная карта",
    "roadmap_report": "Информация об исполнении дорожной карты",
    "order_partnerships": "Приказ об организации партнёрского взаимодействия",
    "partnership_agreement": "Соглашение о сотрудничестве (сетевом взаимодействии)",
    "partnership_plan": "План взаимодействия",
    "partnership_report": "Справка о реализации плана взаимодействия",
}
TABLES = {  # table → the columns its search text is made of (see each model's save())
    "organization": ("short_name", "full_name", "inn", "head_name"),
    "generated_document": ("doctype", "title", "number"),
    "roadmap_activity": ("number", "title", "responsible", "expected_result", "execution"),
}
LIMITS = {"organization": 1500}


def _fill(db, table, columns):
    quoted = ", ".join(f'"{c}"' for c in columns)
    rows = db.execute_sql(f'SELECT "id", {quoted} FROM "{table}"').fetchall()
    for row_id, *values in rows:
        if table == "generated_document":
            values[0] = KIND_TITLES.get(values[0], "")
        text = index_text(*values, limit=LIMITS.get(table, 4000))
        db.execute_sql(f'UPDATE "{table}" SET "search_text" = {db.param} WHERE "id" = {db.param}',
                       (text, row_id))


def up(db, migrator):
    migrate(
        migrator.add_column("generated_document", "search_text", TextField(default="")),
        migrator.add_column("roadmap_activity", "search_text", TextField(default="")),
    )
    for table, columns in TABLES.items():
        _fill(db, table, columns)
        if is_sqlite(db):
            fts = f"{table}_fts"
            db.execute_sql(f'CREATE VIRTUAL TABLE "{fts}" USING fts5(search_text, '
                           f"content='{table}', content_rowid='id')")
            delete = (f"INSERT INTO \"{fts}\"(\"{fts}\", rowid, search_text) "
                      f"VALUES ('delete', old.id, old.search_text);")
            insert = f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text);'
            db.execute_sql(f'CREATE TRIGGER "{fts}_ai" AFTER INSERT ON "{table}" BEGIN {insert} END')
            db.execute_sql(f'CREATE TRIGGER "{fts}_ad" AFTER DELETE ON "{table}" BEGIN {delete} END')
            db.execute_sql(f'CREATE TRIGGER "{fts}_au" AFTER UPDATE OF search_text ON "{table}" '
                           f"BEGIN {delete} {insert} END")
            db.execute_sql(f"INSERT INTO \"{fts}\"(\"{fts}\") VALUES ('rebuild')")
        else:
            db.execute_sql(f'CREATE INDEX "{table}_search" ON "{table}" '
                           f"USING gin (to_tsvector('russian', \"search_text\"))")
