"""What the admin has to look at (core/inbox.py): accounts locked after failed sign-ins,
bulk jobs that failed and mail that could not be delivered."""
from flask import url_for
from peewee import fn

from models import Job, LoginFailure, OutgoingMail, User, counts, now

from ..core.inbox import Item


def waiting(user, today):
    if user.role != "admin":
        return []
    items = []
    locked, failed, undelivered = counts(
        LoginFailure.select(fn.COUNT(LoginFailure.id))
        .join(User, on=(User.login == LoginFailure.login)).where(LoginFailure.locked_until > now()),
        Job.select(fn.COUNT(Job.id)).where(Job.status == "failed"),
        OutgoingMail.select(fn.COUNT(OutgoingMail.id)).where(OutgoingMail.status == "failed"))
    if locked:
        items.append(Item(f"Учётные записи заблокированы после неудачных входов: {locked}",
                          url_for("auth.users"), note="Проверьте, не подбирают ли пароль."))
    if failed:
        items.append(Item(f"Пакетные задания завершились с ошибкой: {failed}",
                          url_for("jobs.index"), note="Откройте задание, чтобы увидеть причину."))
    if undelivered:
        items.append(Item(f"Письма не доставлены: {undelivered}",
                          url_for("notifications.outbox", status="failed")))
    return items
