"""Who may use which view, enforced in one place before every request.

Each view declares its roles with ``@access(...)``. A view without a declaration
is refused (fail closed), and the access-matrix test lists it as unclassified.
Object-level rules (a school sees only its own records) live in the models'
``visible_to`` queries; a record outside them answers 404, never 403.
"""
from flask import current_app, redirect, request, url_for
from flask_htmx import make_response
from flask_login import LoginManager, current_user
from werkzeug.exceptions import NotFound

from models import User

from ..core.audit import audit
from ..core.errors import render_error
from ..core.htmx import wants_fragment
from ..core.stash import stash_form

ANONYMOUS = "anonymous"  # anyone, signed in or not
STAFF = ("admin", "centre", "department")
ALL_USERS = ("admin", "centre", "department", "school")

login_manager = LoginManager()


def access(*roles):
    """Declare the roles that may use a view: ``@access("admin", "centre")``, ``@access(ANONYMOUS)``."""
    allowed = frozenset(roles)
    unknown = allowed - {ANONYMOUS, *ALL_USERS}
    if not allowed or unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorate(view):
        view.access_roles = allowed
        return view

    return decorate


def roles_of(view):
    return getattr(view, "access_roles", None)


@login_manager.user_loader
def _load_user(session_id):
    return User.for_session(session_id)


def _to_login():
    kept = stash_form()  # the form comes back with everything typed after signing in
    if kept:
        target = url_for("auth.login", next=kept)
    else:
        target = url_for("auth.login",
                         next=request.full_path if request.method == "GET" else None)
    if wants_fragment():
        return make_response(redirect=target)
    return redirect(target)


def _enforce():
    view = current_app.view_functions.get(request.endpoint)
    if view is None:  # routing will answer 404 / 405
        return None
    roles = roles_of(view)
    if roles is None:
        audit("access_denied", details=f"no policy for {request.endpoint}")
        return render_error(403)
    if ANONYMOUS in roles:
        return None
    if not current_user.is_authenticated:
        return _to_login()
    if current_user.role not in roles:
        audit("access_denied", details=f"{request.method} {request.path}")
        return render_error(403)
    return None


def get_visible_or_404(query, model, pk):
    """The record with this id if the user may see it; 404 otherwise (and an audit record
    when it exists but belongs to someone else)."""
    obj = query.where(model.id == pk).first()
    if obj is None:
        if model.get_or_none(model.id == pk) is not None:
            audit("access_denied", details=f"{model.__name__} {pk} outside the user's scope")
        raise NotFound()
    return obj


def init_access(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Войдите, чтобы продолжить."
    login_manager.login_message_category = "info"
    app.before_request(_enforce)
    app.view_functions["static"].access_roles = frozenset({ANONYMOUS})
