"""Failed-login counter and lock kept in the database, so every gunicorn worker sees them."""
from peewee import DateTimeField, IntegerField
from playhouse.migrate import migrate


def up(db, migrator):
    migrate(
        migrator.add_column("user", "failed_login_count", IntegerField(default=0)),
        migrator.add_column("user", "locked_until", DateTimeField(null=True)),
    )
