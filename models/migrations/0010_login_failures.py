"""Failed sign-ins counted per typed login in their own table, so an unknown login is locked
exactly like a real account; the user's own counter and lock columns go away (moved here)."""
from peewee import CharField, DateTimeField, IntegerField
from playhouse.migrate import migrate

from ..base import now
from . import frozen_base


def up(db, migrator):
    Base = frozen_base(db)

    class LoginFailure(Base):
        login = CharField(max_length=50, unique=True)
        failures = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        updated_at = DateTimeField(default=now, index=True)

    db.create_tables([LoginFailure])
    db.execute_sql(
        'INSERT INTO "login_failure" ("login", "failures", "locked_until", "updated_at") '
        'SELECT "login", "failed_login_count", "locked_until", %s FROM "user" '
        'WHERE "failed_login_count" > 0 OR "locked_until" IS NOT NULL' % db.param, (now(),))
    migrate(migrator.drop_column("user", "failed_login_count"),
            migrator.drop_column("user", "locked_until"))
