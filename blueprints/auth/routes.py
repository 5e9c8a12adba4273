"""Sign-in, sign-out, passwords, user management and the audit log."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from models import ROLES, AuditLog, LoginFailure, User

from ..core.audit import audit
from ..core.errors import fail
from ..core.forms import ConfirmForm
from ..core.htmx import render_page_or_fragment
from ..core.pagination import paginate
from ..core.urls import local_path
from . import services
from .access import ALL_USERS, ANONYMOUS, access, get_visible_or_404
from .forms import LoginForm, PasswordChangeForm, PasswordResetForm, UserForm

bp = Blueprint("auth", __name__)


def _safe_next(target):
    """Only a local path: never an open redirect to another site."""
    return local_path(target, url_for("core.index"))


@bp.route("/login", methods=["GET", "POST"])
@access(ANONYMOUS)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.login.data, form.password.data,
                current_app.config["LOGIN_MAX_FAILURES"], current_app.config["LOGIN_LOCK_MINUTES"])
        except services.LoginLocked as locked:
            audit("login_locked", login=form.login.data)
            fail(429, "Слишком много неудачных попыток входа. Учётная запись временно "
                      f"заблокирована: повторите через {locked.minutes} мин.")
        if user is not None:
            session.clear()  # a fresh session: nothing from before sign-in survives
            login_user(user)
            session.permanent = True
            audit("login", user=user)
            return redirect(_safe_next(form.next.data), code=303)
        audit("login_failed", login=form.login.data)
        form.password.errors.append("Неверный логин или пароль.")
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@access(*ALL_USERS)
def logout():
    if ConfirmForm().validate_on_submit():
        services.end_sessions(current_user)
        audit("logout")
        logout_user()
        session.clear()
        flash("Вы вышли из системы.", "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/password", methods=["GET", "POST"])
@access(*ALL_USERS)
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append("Текущий пароль указан неверно.")
        else:
            user = services.change_password(current_user, form.new_password.data)
            audit("password_changed", user, user=user)
            # Other sessions ended; this one continues with the new epoch.
            login_user(user)
            flash("Пароль изменён. На других устройствах нужно войти заново.", "success")
            return redirect(url_for("core.index"), code=303)
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/users")
@access("admin")
def users():
    text = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    query = User.select().order_by(User.role, User.login)
    if text:
        query = query.where(User.login.contains(text) | User.full_name.contains(text))
    if role in ROLES:
        query = query.where(User.role == role)
    page = paginate(query, request.args.get("page", 1, type=int),
                    current_app.config["PER_PAGE"])
    locks = LoginFailure.locks(user.login for user in page.items)
    return render_page_or_fragment("auth/users.html", "auth/_users_table.html",
                                   page=page, q=text, role=role, roles=ROLES, locks=locks)


@bp.route("/users/new", methods=["GET", "POST"])
@access("admin")
def create_user():
    form = UserForm()
    if form.validate_on_submit():
        user = services.create_user(form.data)
        if user is None:
            form.login.errors.append("Такой логин уже занят.")
        else:
            audit("user_created", user, details=f"role={user.role}")
            flash(f"Пользователь {user.login} создан.", "success")
            return redirect(url_for("auth.users"), code=303)
    status = 422 if form.errors else 200
    return render_template("auth/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@access("admin")
def edit_user(user_id):
    user = get_visible_or_404(User.select(), User, user_id)
    form = UserForm(obj=user, user=user)
    if request.method == "GET":
        form.organization.data = user.organization_id or 0
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or not form.is_active.data):
            form.role.errors.append("Нельзя снять роль администратора или отключить самого себя.")
        else:
            changes = services.update_user(user, form.data)
            if "role" in changes:
                audit("role_changed", user, details="{} → {}".format(*changes["role"]))
            if changes:
                audit("user_updated", user, details=", ".join(sorted(changes)))
            flash("Изменения сохранены.", "success")
            return redirect(url_for("auth.users"), code=303)
    status = 422 if form.errors else 200
    reset = PasswordResetForm()
    return render_template("auth/user_form.html", form=form, user=user, reset=reset), status


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@access("admin")
def reset_password(user_id):
    user = get_visible_or_404(User.select(), User, user_id)
    reset = PasswordResetForm()
    if reset.validate_on_submit():
        services.change_password(user, reset.new_password.data)
        audit("password_reset", user)
        flash(f"Пароль пользователя {user.login} изменён; его сеансы завершены.", "success")
        return redirect(url_for("auth.edit_user", user_id=user.id), code=303)
    form = UserForm(obj=user, user=user)
    form.organization.data = user.organization_id or 0
    return render_template("auth/user_form.html", form=form, user=user, reset=reset), 422


@bp.route("/audit")
@access("admin")
def audit_log():
    page = paginate(AuditLog.recent(), request.args.get("page", 1, type=int),
                    current_app.config["PER_PAGE"])
    return render_template("auth/audit.html", page=page)
