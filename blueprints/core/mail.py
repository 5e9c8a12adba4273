"""The outbox: mail is written to the database first, then delivered on the job queue through
the configured SMTP server, with retries; without SMTP settings it stays «сохранено» in the
outbox the admin reads, so nothing is lost. Failed mail is «не доставлено» after
MAIL_ATTEMPTS tries, shown to the admin with the server's answer."""
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from huey import crontab

from models import MAIL_ATTEMPTS, Notification, OutgoingMail, db, now

from ..jobs.queue import app_context, huey

SIGNATURE = "\n\n—\nОпора: {site}\nНастроить уведомления: {settings}"


def configured():
    return bool(current_app.config.get("SMTP_HOST"))


def _footer():
    from .notify import absolute
    return SIGNATURE.format(site=current_app.config.get("SITE_NAME", ""),
                            settings=absolute("/notifications/settings"))


def notification_mail(note):
    """{"subject", "body"} of an instant mail about one notification."""
    from .notify import KINDS, absolute
    title = KINDS.get(note.kind, "Уведомление")
    link = f"\n\nОткрыть: {absolute(note.url)}" if note.url else ""
    return {"subject": f"Опора: {title.lower()}"[:300],
            "body": f"{note.text}{link}{_footer()}"}


def digest_mail(notes):
    """{"subject", "body"} of the daily digest of a user's unmailed notifications."""
    from .notify import absolute
    from .filters import plural_ru
    lines = [f"• {n.text}" + (f"\n  {absolute(n.url)}" if n.url else "") for n in notes]
    count = len(notes)
    word = plural_ru(count, "событие", "события", "событий")
    return {"subject": f"Опора: {count} {word} за день",
            "body": "Что произошло с вашими делами в Опоре:\n\n" + "\n".join(lines) + _footer()}


def queue_digests(today=None):
    """A digest for every user in digest mode with unmailed notifications; returns how many."""
    from models import User
    made = 0
    users = (User.select().where((User.email_mode == "digest") & (User.email != "")
                                 & (User.is_active == True)))  # noqa: E712
    for user in users:
        notes = list(Notification.select().where((Notification.user == user.id)
                                                 & Notification.mailed_at.is_null())
                     .order_by(Notification.created_at))
        if not notes:
            continue
        with db.atomic():
            OutgoingMail.create(user=user.id, recipient=user.email, **digest_mail(notes))
            Notification.update(mailed_at=now()).where(
                Notification.id.in_([n.id for n in notes])).execute()
        made += 1
    if made:
        deliver_soon()
    return made


def _message(mail):
    message = EmailMessage()
    message["From"] = formataddr(("Опора", current_app.config["SMTP_SENDER"]))
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain="opora")
    message.set_content(mail.body)
    return message


def _smtp():
    config = current_app.config
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
    if config["SMTP_TLS"] == "ssl":
        server = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
        if config["SMTP_TLS"] == "starttls":
            server.starttls(context=ssl.create_default_context())
    if config["SMTP_USER"]:
        server.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
    return server


def deliver_pending(limit=200):
    """Send the mail that is due; returns (sent, failed now). Without SMTP settings mail is
    marked «сохранено» and waits until they are set."""
    # A worker that died while sending left «sending»: after a while the mail is due again.
    OutgoingMail.update(status="pending").where(
        (OutgoingMail.status == "sending")
        & (OutgoingMail.next_attempt_at < now() - timedelta(minutes=10))).execute()
    due = list(OutgoingMail.select().where(
        OutgoingMail.status.in_(("pending", "kept")) & (OutgoingMail.next_attempt_at <= now()))
        .order_by(OutgoingMail.id).limit(limit))
    if not due:
        return 0, 0
    if not configured():
        OutgoingMail.update(status="kept").where(
            OutgoingMail.id.in_([m.id for m in due]) & (OutgoingMail.status == "pending")).execute()
        return 0, 0
    sent = failed = 0
    try:
        server = _smtp()
    except (OSError, smtplib.SMTPException) as error:
        for mail in due:
            failed += _failed(mail, error)
        return 0, failed
    with server:
        for mail in due:
            # Claimed first: two workers (or a retry and the minute's run) never send one twice.
            if not OutgoingMail.update(status="sending").where(
                    (OutgoingMail.id == mail.id)
                    & OutgoingMail.status.in_(("pending", "kept"))).execute():
                continue
            try:
                server.send_message(_message(mail))
            except (OSError, smtplib.SMTPException) as error:
                failed += _failed(mail, error)
                continue
            OutgoingMail.update(status="sent", sent_at=now(), attempts=mail.attempts + 1,
                                last_error="").where(OutgoingMail.id == mail.id).execute()
            sent += 1
    return sent, failed


def _failed(mail, error):
    """Count a try; back off 2, 4, 8… minutes; «не доставлено» after the last. 1 if final."""
    attempts = mail.attempts + 1
    final = attempts >= MAIL_ATTEMPTS
    OutgoingMail.update(
        attempts=attempts, last_error=f"{type(error).__name__}: {error}"[:1000],
        status="failed" if final else "pending",
        next_attempt_at=now() + timedelta(minutes=2 ** attempts)).where(
        OutgoingMail.id == mail.id).execute()
    return int(final)


def retry(mail_id):
    """The admin's «отправить снова»: a failed or kept mail is due again now."""
    return OutgoingMail.update(status="pending", next_attempt_at=now(), attempts=0).where(
        (OutgoingMail.id == mail_id) & OutgoingMail.status.in_(("failed", "kept"))).execute()


@huey.task()
def deliver_task():
    with app_context():
        deliver_pending()


@huey.periodic_task(crontab(minute="*"))
def deliver_periodic():
    """Retries that came due, and mail written while the queue was away."""
    with app_context():
        deliver_pending()


def deliver_soon():
    """Deliver on the queue, after this request (a failure never reaches the user's page)."""
    deliver_task()
