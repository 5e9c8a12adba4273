"""Background jobs: one row per job (status, progress, cancel flag, the resulting archive) and one
per item, so a worker killed mid-job and started again skips what is done and never repeats it."""
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from .base import BaseModel, now
from .document import GeneratedDocument
from .organization import Organization
from .user import User

JOB_STATUSES = {
    "queued": "В очереди",
    "running": "Выполняется",
    "done": "Готово",
    "cancelled": "Отменено",
    "failed": "Ошибка",
}
ACTIVE_JOB_STATUSES = ("queued", "running")


class Job(BaseModel):
    kind = CharField(max_length=50)  # a batch kind from blueprints/jobs/batches.py
    title = CharField(max_length=500)
    status = CharField(max_length=20, default="queued", index=True)
    total = IntegerField(default=0)
    done = IntegerField(default=0)  # items finished, well or not
    failed = IntegerField(default=0)
    cancel_requested = BooleanField(default=False)
    with_pdf = BooleanField(default=True)
    zip_sha256 = CharField(max_length=64, default="")  # the archive of the lot, in storage
    note = TextField(default="")  # a job-wide remark («PDF не сформированы: …»)
    # Who runs it: "host/pid/thread" and until when, so a dead worker's job is taken over.
    worker = CharField(max_length=200, default="")
    lease_until = DateTimeField(null=True)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    organization = ForeignKeyField(Organization, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)

    @property
    def status_label(self):
        return JOB_STATUSES.get(self.status, self.status)

    @property
    def is_active(self):
        return self.status in ACTIVE_JOB_STATUSES

    @classmethod
    def visible_to(cls, user):
        """A job is seen by its creator's organisation (an admin sees every one)."""
        query = cls.select()
        if user.role == "admin":
            return query
        if user.organization_id is None:
            return query.where(cls.created_by == user.id)
        return query.where(cls.organization == user.organization_id)


class JobItem(BaseModel):
    """One record of a job. Its registration and its change to «registered» commit together."""

    job = ForeignKeyField(Job, backref="items", on_delete="CASCADE")
    position = IntegerField()
    record_id = IntegerField()
    label = CharField(max_length=500, default="")
    # pending → registered → done; or failed / cancelled
    status = CharField(max_length=20, default="pending")
    document = ForeignKeyField(GeneratedDocument, null=True, on_delete="SET NULL")
    error = TextField(default="")
    pdf_error = TextField(default="")
    finished_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("job", "position"), True),)
