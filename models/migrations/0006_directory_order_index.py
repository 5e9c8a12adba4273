"""An index matching the directory's order (kind, short name, id): no sort of every row per page."""
from playhouse.migrate import migrate


def up(db, migrator):
    migrate(migrator.add_index("organization", ("kind", "short_name", "id"), False))
