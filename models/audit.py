"""The audit trail: logins, denials, role changes and every other security event."""
from peewee import JOIN, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel, now
from .user import User


class AuditLog(BaseModel):
    created_at = DateTimeField(default=now, index=True)
    user = ForeignKeyField(User, null=True, backref="audit_entries", on_delete="SET NULL")
    login = CharField(max_length=50, default="")  # as typed, for failed logins
    action = CharField(max_length=50, index=True)
    object_type = CharField(max_length=50, default="")
    object_id = IntegerField(null=True)
    details = TextField(default="")
    ip = CharField(max_length=45, default="")

    @classmethod
    def recent(cls):
        return cls.select(cls, User).join(User, JOIN.LEFT_OUTER).order_by(cls.id.desc())
