"""Orders with their clauses and annexes."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument = existing(db, "organization", "user",
                                                     "generated_document")

    class Order(Base):
        organization = ForeignKeyField(Organization, on_delete="RESTRICT")
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
        version = IntegerField(default=1)
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        updated_at = DateTimeField()

    class OrderClause(Base):
        order = ForeignKeyField(Order, on_delete="CASCADE")
        position = IntegerField()
        level = IntegerField(default=0)
        text = TextField()
        executor = CharField(max_length=300, default="")
        deadline = CharField(max_length=100, default="")

    class OrderAnnex(Base):
        order = ForeignKeyField(Order, on_delete="CASCADE")
        position = IntegerField()
        title = CharField(max_length=500)
        text = TextField(default="")
        table = TextField(default="")

    db.create_tables([Order, OrderClause, OrderAnnex])
