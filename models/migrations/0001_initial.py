"""Organisations, accounts and the audit log, as first released."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from . import frozen_base


def up(db, migrator):
    Base = frozen_base(db)

    class Organization(Base):
        kind = CharField(max_length=20, index=True)
        full_name = CharField(max_length=500)
        short_name = CharField(max_length=200)
        municipality = CharField(max_length=200, index=True)
        address = CharField(max_length=500, default="")
        inn = CharField(max_length=12, default="")
        kpp = CharField(max_length=9, default="")
        phone = CharField(max_length=50, default="")
        email = CharField(max_length=254, default="")
        head_position = CharField(max_length=200, default="")
        head_name = CharField(max_length=200, default="")
        is_leader = BooleanField(default=False)
        is_low_result = BooleanField(default=False)
        search_text = CharField(max_length=1500, default="")
        created_at = DateTimeField()
        updated_at = DateTimeField()

    class User(Base):
        login = CharField(max_length=50, unique=True)
        password_hash = CharField(max_length=255)
        full_name = CharField(max_length=200)
        position = CharField(max_length=200, default="")
        role = CharField(max_length=20, index=True)
        organization = ForeignKeyField(Organization, null=True, on_delete="RESTRICT")
        is_active = BooleanField(default=True)
        session_epoch = IntegerField(default=0)
        last_login_at = DateTimeField(null=True)
        created_at = DateTimeField()

    class AuditLog(Base):
        created_at = DateTimeField(index=True)
        user = ForeignKeyField(User, null=True, on_delete="SET NULL")
        login = CharField(max_length=50, default="")
        action = CharField(max_length=50, index=True)
        object_type = CharField(max_length=50, default="")
        object_id = IntegerField(null=True)
        details = TextField(default="")
        ip = CharField(max_length=45, default="")

    db.create_tables([Organization, User, AuditLog])
