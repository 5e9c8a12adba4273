"""Template version writes: keep an accepted upload, activate a version, go back to built-in."""
import hashlib

from peewee import IntegrityError, fn

from models import TemplateVersion, db

from ..documents.storage import storage


class AlreadyUploaded(Exception):
    """The same file is already a version of this doctype (`.version`)."""

    def __init__(self, version):
        super().__init__(version.version)
        self.version = version


def add_version(doctype_key, data, filename="", note="", user=None):
    """Keep a gate-checked upload as the doctype's next version, not active yet."""
    same = TemplateVersion.get_or_none((TemplateVersion.doctype == doctype_key)
                                       & (TemplateVersion.sha256 == hashlib.sha256(data).hexdigest()))
    if same is not None:
        raise AlreadyUploaded(same)
    sha256 = storage().put(data)  # the file first: a row never points to a missing file
    for attempt in range(3):
        try:
            with db.atomic():
                last = (TemplateVersion.select(fn.MAX(TemplateVersion.version))
                        .where(TemplateVersion.doctype == doctype_key).scalar() or 0)
                return TemplateVersion.create(
                    doctype=doctype_key, version=last + 1, sha256=sha256, size=len(data),
                    filename=filename[:255], note=note[:500], uploaded_by=user)
        except IntegrityError:  # PostgreSQL: another upload took the number; count again
            if attempt == 2:
                raise
    return None


def activate_version(version):
    """Make `version` the only active one of its doctype; the next render uses it."""
    with db.atomic():
        # Every row, active or not: two activations at once then serialise on the same rows.
        TemplateVersion.update(is_active=False).where(
            TemplateVersion.doctype == version.doctype).execute()
        TemplateVersion.update(is_active=True).where(TemplateVersion.id == version.id).execute()


def restore_builtin(doctype_key):
    """No active upload: the doctype renders with its file from doc_templates/ again."""
    with db.atomic():
        TemplateVersion.update(is_active=False).where(
            TemplateVersion.doctype == doctype_key).execute()
