"""Notifications: the bell's list, marking read, the user's mail settings and the admin's
outbox (kept and undelivered mail, sent again on request)."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import MAIL_STATUSES, Notification, OutgoingMail, User, now

from ..auth.access import ALL_USERS, access, get_visible_or_404
from ..core import mail
from ..core.audit import audit
from ..core.errors import fail
from ..core.forms import ConfirmForm
from ..core.notify import KINDS
from ..core.pagination import int_arg, paginate
from . import reminders  # noqa: F401  (declares the daily job on the queue)
from .forms import SettingsForm

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _mine():
    return Notification.select().where(Notification.user == current_user.id)


@bp.app_context_processor
def _bell():
    """The unread count for the header's bell: one query per page, for signed-in users."""
    if not current_user.is_authenticated:
        return {}
    return {"unread_notifications": _mine().where(Notification.read_at.is_null()).count()}


@bp.route("/")
@access(*ALL_USERS)
def index():
    unread_only = request.args.get("unread") == "1"
    query = _mine().order_by(Notification.created_at.desc(), Notification.id.desc())
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    page = paginate(query, int_arg("page", 1), current_app.config["PER_PAGE"])
    return render_template("notifications/index.html", page=page, kinds=KINDS,
                           unread_only=unread_only, form=ConfirmForm())


@bp.route("/<int:notification_id>/open", methods=["POST"])
@access(*ALL_USERS)
def open_(notification_id):
    """Mark read and go to the place it is about."""
    if not ConfirmForm().validate():
        fail(400, "Форма устарела: обновите страницу.")
    note = get_visible_or_404(_mine(), Notification, notification_id)
    Notification.update(read_at=now()).where((Notification.id == note.id)
                                             & Notification.read_at.is_null()).execute()
    target = note.url if note.url.startswith("/") and not note.url.startswith("//") else None
    return redirect(target or url_for("notifications.index"), code=303)


@bp.route("/read", methods=["POST"])
@access(*ALL_USERS)
def read_all():
    if not ConfirmForm().validate():
        fail(400, "Форма устарела: обновите страницу.")
    count = Notification.update(read_at=now()).where(
        (Notification.user == current_user.id) & Notification.read_at.is_null()).execute()
    flash(f"Отмечено прочитанными: {count}." if count else "Непрочитанных нет.", "success")
    return redirect(url_for("notifications.index"), code=303)


@bp.route("/settings", methods=["GET", "POST"])
@access(*ALL_USERS)
def settings():
    user = User.get_by_id(current_user.id)
    form = SettingsForm(obj=user)
    if request.method == "POST":
        if not form.validate():
            return render_template("notifications/settings.html", form=form), 422
        User.update(email=form.email.data or "", email_mode=form.email_mode.data).where(
            User.id == user.id).execute()
        audit("notifications.settings", user, details=f"письма: {form.email_mode.data}")
        flash("Настройки уведомлений сохранены.", "success")
        return redirect(url_for("notifications.settings"), code=303)
    return render_template("notifications/settings.html", form=form)


@bp.route("/outbox")
@access("admin")
def outbox():
    status = request.args.get("status", "")
    query = OutgoingMail.select().order_by(OutgoingMail.id.desc())
    if status in MAIL_STATUSES:
        query = query.where(OutgoingMail.status == status)
    page = paginate(query, int_arg("page", 1), current_app.config["PER_PAGE"])
    return render_template("notifications/outbox.html", page=page, statuses=MAIL_STATUSES,
                           status=status, configured=mail.configured(), form=ConfirmForm())


@bp.route("/outbox/<int:mail_id>/retry", methods=["POST"])
@access("admin")
def retry(mail_id):
    if not ConfirmForm().validate():
        fail(400, "Форма устарела: обновите страницу.")
    message = get_visible_or_404(OutgoingMail.select(), OutgoingMail, mail_id)
    if mail.retry(message.id):
        audit("notifications.retry", message, details=message.recipient)
        mail.deliver_soon()
        flash("Письмо поставлено в очередь на отправку.", "success")
    else:
        flash("Это письмо уже отправлено или ждёт отправки.", "info")
    return redirect(url_for("notifications.outbox"), code=303)
