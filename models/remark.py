"""Review remarks, shared by programmes and monitoring reports: the centre writes a remark on
one field (or on the whole form) of a submitted revision; the school answers and marks it done."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel, now
from .user import User


class Remark(BaseModel):
    """The fields of every remarks table; each subclass adds its owner's key."""

    field = CharField(max_length=100, default="")  # form field name; "" — the whole form
    field_label = CharField(max_length=300, default="")
    text = TextField()
    revision = IntegerField()  # the submission it was written on
    author = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=now)
    is_answered = BooleanField(default=False)
    answer = TextField(default="")
    answered_at = DateTimeField(null=True)
    answered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
