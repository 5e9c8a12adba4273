"""Background jobs (bulk generation «сформировать пакет»): a job and its items, one item per
record, unique by position, so a restarted worker finishes a job exactly once."""
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from ..base import now
from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument = existing(db, "organization", "user",
                                                     "generated_document")

    class Job(Base):
        kind = CharField(max_length=50)
        title = CharField(max_length=500)
        status = CharField(max_length=20, default="queued", index=True)
        total = IntegerField(default=0)
        done = IntegerField(default=0)
        failed = IntegerField(default=0)
        cancel_requested = BooleanField(default=False)
        with_pdf = BooleanField(default=True)
        zip_sha256 = CharField(max_length=64, default="")
        note = TextField(default="")
        worker = CharField(max_length=200, default="")
        lease_until = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        organization = ForeignKeyField(Organization, null=True, on_delete="SET NULL")
        created_at = DateTimeField(default=now)
        started_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)

    class JobItem(Base):
        job = ForeignKeyField(Job, backref="items", on_delete="CASCADE")
        position = IntegerField()
        record_id = IntegerField()
        label = CharField(max_length=500, default="")
        status = CharField(max_length=20, default="pending")
        document = ForeignKeyField(GeneratedDocument, null=True, on_delete="SET NULL")
        error = TextField(default="")
        pdf_error = TextField(default="")
        finished_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("job", "position"), True),)

    db.create_tables([Job, JobItem])
