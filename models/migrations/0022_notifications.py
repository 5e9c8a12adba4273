"""Notifications and the mail outbox; users get an e-mail address and a mail mode."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField
from playhouse.migrate import migrate

from ..base import now
from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    (User,) = existing(db, "user")

    class Notification(Base):
        user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
        kind = CharField(max_length=40)
        text = CharField(max_length=1000)
        url = CharField(max_length=500, default="")
        key = CharField(max_length=200, null=True)
        created_at = DateTimeField(default=now)
        read_at = DateTimeField(null=True)
        mailed_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("user", "key"), True), (("user", "read_at"), False))

    class OutgoingMail(Base):
        user = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        recipient = CharField(max_length=254)
        subject = CharField(max_length=300)
        body = TextField()
        status = CharField(max_length=10, default="pending", index=True)
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField(default=now)
        last_error = CharField(max_length=1000, default="")
        created_at = DateTimeField(default=now)
        sent_at = DateTimeField(null=True)

    db.create_tables([Notification, OutgoingMail])
    migrate(
        migrator.add_column("user", "email", CharField(max_length=254, default="")),
        migrator.add_column("user", "email_mode", CharField(max_length=10, default="instant")),
    )
