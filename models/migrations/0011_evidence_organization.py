"""Road-map evidence remembers whose it is (the adding user's organisation): an uploaded file
is read by that organisation and by staff only. Existing rows take their adder's organisation."""
from peewee import ForeignKeyField
from playhouse.migrate import migrate

from . import existing


def up(db, migrator):
    (Organization,) = existing(db, "organization")
    migrate(migrator.add_column("activity_evidence", "organization_id", ForeignKeyField(
        Organization, null=True, on_delete="SET NULL", field=Organization.id)))
    db.execute_sql(
        'UPDATE "activity_evidence" SET "organization_id" = (SELECT "user"."organization_id" '
        'FROM "user" WHERE "user"."id" = "activity_evidence"."added_by_id") '
        'WHERE "added_by_id" IS NOT NULL')
