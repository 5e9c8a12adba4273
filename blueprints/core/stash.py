"""Typing survives an expired session or form token.

A form view marked ``@keeps_typing`` that is posted without a valid session or CSRF
token does not lose what was typed: the posted fields are kept on the server under a
random token, the user signs in (or simply comes back), and the same page opens with
``?restore=<token>`` and everything entered, to be saved again. Nothing is saved on
the user's behalf, and a stash is read once and only on the page it was posted to.
"""
import json
import secrets
import time
from pathlib import Path

from flask import current_app, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

MAX_AGE = 24 * 3600
SKIP = {"csrf_token"}


def keeps_typing(view):
    view.keeps_typing = True
    return view


def wants_stash():
    """A POST to a form page that keeps typing, by someone who may use it (or whose session
    ended, which is why they are anonymous now)."""
    view = current_app.view_functions.get(request.endpoint)
    if request.method != "POST" or not getattr(view, "keeps_typing", False):
        return False
    return not current_user.is_authenticated or current_user.role in view.access_roles


def _folder():
    folder = Path(current_app.config["STORAGE_DIR"], "stash")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stash_form():
    """Keep the posted fields; return the URL of the page that restores them."""
    folder = _folder()
    for old in folder.glob("*.json"):  # stashes nobody came back for
        if time.time() - old.stat().st_mtime > MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    pairs = [(k, v) for k, v in request.form.items(multi=True) if k not in SKIP]
    page = request.path.removesuffix("/autosave")
    (folder / f"{token}.json").write_text(json.dumps(
        {"path": page, "at": time.time(), "pairs": pairs}, ensure_ascii=False))
    return f"{page}?restore={token}"


def restore_form():
    """The stashed fields for this page (once), or None."""
    token = request.args.get("restore", "")
    if not token.isalnum() or len(token) != 32:
        return None
    path = _folder() / f"{token}.json"
    try:
        saved = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    path.unlink(missing_ok=True)
    if saved.get("path") != request.path or time.time() - saved.get("at", 0) > MAX_AGE:
        return None
    return MultiDict([tuple(pair) for pair in saved["pairs"]])
