"""The one way a feature tells people that something happened to their work.

`notify(users, kind, text, url, key=None)` writes an in-app notification per user (the bell in
the header) and, for users who chose instant mail and gave an address, a mail in the outbox
(core/mail.py delivers it on the job queue). `school_users(org_id)` and `staff_of(org_id)`
name the usual recipients. A `key` makes an event once-only per user (deadline reminders)."""
from flask import current_app, has_app_context
from peewee import IntegrityError

from models import Notification, OutgoingMail, User, db, now

KINDS = {
    "programme_returned": "Программа возвращена на доработку",
    "remark_added": "Новое замечание",
    "programme_agreed": "Программа согласована",
    "programme_approved": "Программа утверждена приказом",
    "published": "Документ опубликован",
    "confirmation_asked": "Ждёт вашего согласования",
    "confirmation_cleared": "Согласование снято",
    "report_accepted": "Отчёт принят",
    "report_returned": "Отчёт возвращён",
    "reminder": "Напоминание",
    "deadline_soon": "Срок через 7 дней",
    "overdue": "Срок прошёл",
}


def school_users(organization_id):
    """The active users of an organisation (a school's administrators)."""
    return list(User.select().where((User.organization == organization_id)
                                    & (User.is_active == True)))  # noqa: E712


def absolute(url):
    """A link for a mail: the configured SITE_URL and the in-app path."""
    base = current_app.config.get("SITE_URL", "") if has_app_context() else ""
    return f"{base.rstrip('/')}{url}" if url.startswith("/") else url


def notify(users, kind, text, url="", key=None):
    """Notify each user once (per `key` when given); returns the notifications written."""
    from .mail import deliver_soon, notification_mail
    written = []
    for user in users:
        try:
            with db.atomic():
                note = Notification.create(user=user.id, kind=kind, text=text[:1000],
                                           url=url[:500], key=key)
                if user.email and user.email_mode == "instant":
                    OutgoingMail.create(user=user.id, recipient=user.email,
                                        **notification_mail(note))
                    note.mailed_at = now()
                    note.save()
        except IntegrityError:  # this key was already raised for this user
            continue
        written.append(note)
    if any(u.email and u.email_mode == "instant" for u in users) and written:
        deliver_soon()
    return written
