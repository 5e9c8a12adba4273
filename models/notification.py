"""Notifications: what happened to a user's work, shown in the app and mailed (at once, in a
daily digest, or not at all, as the user chooses); mail waits in an outbox until delivered."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel, now
from .user import User

EMAIL_MODES = {"instant": "сразу", "digest": "раз в день (сводка)", "none": "не присылать"}
MAIL_STATUSES = {
    "pending": "ждёт отправки",
    "kept": "сохранено (почта не настроена)",
    "sending": "отправляется",
    "sent": "отправлено",
    "failed": "не доставлено",
}
MAIL_ATTEMPTS = 5  # then «не доставлено», for the admin to see and retry


class Notification(BaseModel):
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=40)
    text = CharField(max_length=1000)
    url = CharField(max_length=500, default="")
    # Once per key and user: a daily job run twice the same day raises nothing twice.
    key = CharField(max_length=200, null=True)
    created_at = DateTimeField(default=now)
    read_at = DateTimeField(null=True)
    mailed_at = DateTimeField(null=True)  # in an instant mail or a digest

    class Meta:
        indexes = ((("user", "key"), True), (("user", "read_at"), False))


class OutgoingMail(BaseModel):
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

    @property
    def status_label(self):
        return MAIL_STATUSES.get(self.status, self.status)
