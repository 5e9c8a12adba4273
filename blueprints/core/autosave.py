"""One save-and-conflict mechanism for forms that save themselves as the user types
(programme sections, school monitoring reports).

A form carries the row's `version` it was opened at and a random `token` of the browser tab.
A save is one conditional UPDATE: it goes through when the stored version is still the form's,
or when the last save came from the same tab (autosaves in a row never conflict with
themselves); otherwise EditConflict, and nothing is overwritten. The indicator the page shows
is templates/core/_autosave.html."""
import secrets
from datetime import datetime

from flask import render_template


class EditConflict(Exception):
    """Someone else saved this record after the form was opened."""

    def __init__(self, stored):
        super().__init__("conflict")
        self.stored = stored  # the row as it is now (id and version at least)


def new_token():
    return secrets.token_hex(16)


def save_versioned(model, where, version, token, **values):
    """UPDATE `model` rows matching `where` with `values`, bumping `version` and keeping the
    tab's `token`, only if the form's version or tab still holds; the new version, or
    EditConflict with the stored row. Call inside the caller's transaction."""
    same_tab = (model.editor_token == token) if token else False
    updated = model.update(version=model.version + 1, editor_token=token or "", **values).where(
        where & ((model.version == int(version or 0)) | same_tab)).execute()
    stored = model.select(model.id, model.version).where(where).get()
    if not updated:
        raise EditConflict(stored)
    return stored.version


def form_version(form_data):
    """The posted version as an int (a tampered value counts as 0: a conflict, not a 500)."""
    try:
        return max(0, min(int(form_data or 0), 2**31 - 1))
    except (TypeError, ValueError):
        return 0


def status(state, texts=None, **context):
    """The indicator fragment: state saved / invalid / conflict / locked; `texts` overrides
    the wording of the feature ({"conflict": "…", "locked": "…", "invalid": "…"})."""
    return render_template("core/_autosave.html", state=state, texts=texts or {},
                           at=context.pop("at", None) or datetime.now(),
                           **context)
