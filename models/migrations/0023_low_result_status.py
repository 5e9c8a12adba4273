"""A school's low-result status by school year, with history; today's directory flags become
the first rows of the current school year."""
from datetime import date

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from ..base import now
from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument = existing(db, "organization", "user",
                                                     "generated_document")

    class LowResultStatus(Base):
        school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
        year = IntegerField()
        is_low_result = BooleanField()
        source = CharField(max_length=20)
        reason = CharField(max_length=1000, default="")
        document = ForeignKeyField(GeneratedDocument, null=True, backref="+",
                                   on_delete="SET NULL")
        changed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        created_at = DateTimeField(default=now)

        class Meta:
            table_name = "low_result_status"
            indexes = ((("school", "year", "id"), False), (("year", "id"), False))

    db.create_tables([LowResultStatus])
    today = date.today()
    year = today.year if today.month >= 9 else today.year - 1
    rows = db.execute_sql("SELECT id FROM organization WHERE kind = 'school' AND is_low_result")
    flagged = [{"school": school_id, "year": year, "is_low_result": True, "source": "directory",
                "created_at": now()} for (school_id,) in rows.fetchall()]
    if flagged:
        LowResultStatus.insert_many(flagged).execute()
