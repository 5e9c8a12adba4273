"""Typing survives an expired session or form token.

A form view marked ``@keeps_typing(may_edit)`` that is posted without a valid session or
CSRF token does not lose what was typed: the posted fields are kept on the server under a
random token, the user signs in again (or simply comes back), and the same page opens with
``?restore=<token>`` and everything entered, to be saved again. Nothing is saved on the
user's behalf, and a stash is read once, only on the page it was posted to, only by the
user it was kept for.

The stash exists for one case: a person who was signed in and whose session or token grew
old. So typing is kept only when the request carries a session cookie this server signed
for a user who is still active and whose session was not ended (logout, password change),
only for a record that user may edit, and within a per-user allowance of count and bytes.
Anything else (no cookie, a forged one, an unknown record) writes nothing to disk.

The posted hidden ``version`` travels in the stash untouched, so saving restored typing
over a record somebody changed meanwhile is a conflict, exactly like a normal save.

The same store keeps a page's *unsaved* typing: an autosave refused for a field with an
error calls ``keep_unsaved()``, the page opens with ``unsaved_form()`` (the errors shown
again) for that user until a save succeeds (``forget_unsaved()``), so closing the tab with
one wrong field loses nothing.
"""
import hashlib
import json
import re
import secrets
import time
from pathlib import Path

from flask import current_app, request
from flask_login import current_user
from itsdangerous import BadData
from werkzeug.datastructures import MultiDict

from models import User

MAX_AGE = 24 * 3600
UNSAVED_MAX_AGE = 30 * 24 * 3600  # typing an autosave could not save: kept for a month
UNSAVED = "unsaved-"  # the file name of a page's unsaved typing: one per user and page
SKIP = {"csrf_token"}
TOKEN = re.compile(r"[0-9a-f]{32}")


def keeps_typing(may_edit):
    """Mark a form view whose typing survives; ``may_edit(user, **view_args)`` says whether
    that user may save the record the URL names (False for one that does not exist)."""
    def mark(view):
        view.keeps_typing = may_edit
        return view
    return mark


def _signed_user():
    """The user this request's session cookie was signed for, even when the session is too
    old now (the case the stash exists for); None without a cookie, for a forged one, or for
    a session that was ended or whose account was deactivated."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    cookie = request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
    serializer = current_app.session_interface.get_signing_serializer(current_app)
    if not cookie or serializer is None:
        return None
    try:
        data = serializer.loads(cookie)  # no max_age: the signature counts, the age does not
    except BadData:
        return None
    session_id = data.get("_user_id") if isinstance(data, dict) else None
    return User.for_session(session_id) if isinstance(session_id, str) else None


def _owner():
    """The user whose typing this POST may keep, or None."""
    view = current_app.view_functions.get(request.endpoint)
    may_edit = getattr(view, "keeps_typing", None)
    if request.method != "POST" or may_edit is None:
        return None
    user = _signed_user()
    if user is None or user.role not in getattr(view, "access_roles", ()):
        return None
    return user if may_edit(user, **(request.view_args or {})) else None


def _root():
    return Path(current_app.config["STORAGE_DIR"], "stash")


def _folder(user_id):
    folder = _root() / str(int(user_id))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _budget():
    return int(current_app.config["OPORA_STASH_MAX_MB"] * 1024 * 1024)


def _forget_expired():
    for old in _root().rglob("*.json"):  # stashes nobody came back for
        limit = UNSAVED_MAX_AGE if old.name.startswith(UNSAVED) else MAX_AGE
        try:
            if time.time() - old.stat().st_mtime > limit:
                old.unlink(missing_ok=True)
        except OSError:  # another worker removed it first
            pass


def _prune(folder, newest):
    """Keep the user's newest stashes within the count and byte allowance; older ones go."""
    limit, budget = current_app.config["OPORA_STASH_MAX_PER_USER"], _budget()
    others = []
    for path in folder.glob("*.json"):
        if path != newest:
            try:
                others.append((path.stat().st_mtime, path.stat().st_size, path))
            except OSError:
                pass
    try:
        count, total = 1, newest.stat().st_size
    except OSError:  # a second stash of this user at the same moment pruned it already
        return
    for _, size, path in sorted(others, key=lambda item: item[0], reverse=True):
        count, total = count + 1, total + size
        if count > limit or total > budget:
            path.unlink(missing_ok=True)


def _write(user, page, name):
    """The posted fields as `name`.json in the user's folder; the file, or None when the
    typing is over the user's whole allowance (nobody types that much)."""
    pairs = [(k, v) for k, v in request.form.items(multi=True) if k not in SKIP]
    body = json.dumps({"path": page, "user": user.id, "at": time.time(), "pairs": pairs},
                      ensure_ascii=False).encode()
    if len(body) > _budget():
        return None
    _forget_expired()
    path = _folder(user.id) / f"{name}.json"
    path.write_bytes(body)
    _prune(path.parent, path)
    return path


def _read(path, page, max_age):
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (saved.get("path") != page or saved.get("user") != current_user.id
            or time.time() - saved.get("at", 0) > max_age):
        return None
    return MultiDict([tuple(pair) for pair in saved["pairs"]])


def _unsaved_path(page):
    digest = hashlib.sha256(page.encode()).hexdigest()[:32]
    return _root() / str(int(current_user.id)) / f"{UNSAVED}{digest}.json"


def keep_unsaved():
    """An autosave that could not save (a field with an error): keep what was typed for this
    user and page, so that closing the tab loses nothing; the page's form opens with it
    (unsaved_form) until a save succeeds (forget_unsaved)."""
    if not current_user.is_authenticated:
        return
    page = request.path.removesuffix("/autosave")
    _write(current_user, page, _unsaved_path(page).stem)


def unsaved_form():
    """This user's unsaved typing on this page, or None. It stays until forget_unsaved."""
    if not current_user.is_authenticated:
        return None
    return _read(_unsaved_path(request.path), request.path, UNSAVED_MAX_AGE)


def forget_unsaved():
    """A save of this page succeeded: its unsaved typing is no longer needed."""
    if current_user.is_authenticated:
        _unsaved_path(request.path.removesuffix("/autosave")).unlink(missing_ok=True)


def stash_form():
    """Keep the posted fields for their owner; return the URL of the page that restores them,
    or None when this request's typing is not to be kept (the caller answers as usual)."""
    user = _owner()
    if user is None:
        return None
    page = request.path.removesuffix("/autosave")
    token = secrets.token_hex(16)
    if _write(user, page, token) is None:
        return None
    return f"{page}?restore={token}"


def restore_form():
    """The stashed fields for this page and this user (once), or None."""
    token = request.args.get("restore", "")
    if not TOKEN.fullmatch(token) or not current_user.is_authenticated:
        return None
    path = _root() / str(int(current_user.id)) / f"{token}.json"
    restored = _read(path, request.path, MAX_AGE)
    path.unlink(missing_ok=True)
    return restored
