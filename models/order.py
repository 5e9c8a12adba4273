"""Orders (приказ, распоряжение): the editable draft behind a registered document."""
from peewee import (CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField)

from .base import BaseModel, now
from .document import GeneratedDocument
from .organization import Organization
from .user import User

ORDER_KINDS = {"order": "Приказ", "directive": "Распоряжение"}


class Order(BaseModel):
    organization = ForeignKeyField(Organization, backref="orders", on_delete="RESTRICT")
    kind = CharField(max_length=20, default="order")
    order_date = DateField()
    founder = CharField(max_length=500, default="")
    place = CharField(max_length=200, default="")
    heading = CharField(max_length=500)
    preamble = TextField(default="")
    control_clause = TextField(default="")
    signer_position = CharField(max_length=200, default="")
    signer_name = CharField(max_length=200, default="")
    executor_note = CharField(max_length=300, default="")
    document = ForeignKeyField(GeneratedDocument, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)  # optimistic lock: a save against an older version is refused
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    @property
    def kind_label(self):
        return ORDER_KINDS.get(self.kind, self.kind)

    @property
    def is_draft(self):
        return self.document_id is None

    @classmethod
    def visible_to(cls, user):
        """Staff read every order; schools issue none and see none."""
        query = cls.select(cls, Organization).join(Organization)
        if user.role == "school":
            query = query.where(cls.id.is_null())
        return query

    def editable_by(self, user):
        return self.is_draft and (user.role == "admin" or user.organization_id == self.organization_id)


class OrderClause(BaseModel):
    order = ForeignKeyField(Order, backref="clauses", on_delete="CASCADE")
    position = IntegerField()
    level = IntegerField(default=0)  # 0 — пункт, 1 — подпункт
    text = TextField()
    executor = CharField(max_length=300, default="")
    deadline = CharField(max_length=100, default="")


class OrderAnnex(BaseModel):
    order = ForeignKeyField(Order, backref="annexes", on_delete="CASCADE")
    position = IntegerField()
    title = CharField(max_length=500)
    text = TextField(default="")
    table = TextField(default="")  # rows on lines, cells split by tab or «;»; the first is the header
