"""Evidence of execution, one mechanism for every owner: a road-map activity
(ActivityEvidence.activity) and a partnership plan row (PlanRowEvidence.row).

A feature describes its evidence once with `EvidenceKind` (the model, the owner's field,
who may read an uploaded file) and uses the same form, the same picker rule (a register
document the user may cite), the same reading of the posted form, the same listing
(what a viewer may see of each item) and the same template partial
(templates/core/_evidence.html). What happens around it (a road map's history, a pair's
audit) stays with the feature. No request access in the service functions."""
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from peewee import JOIN
from wtforms import FileField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from models import GeneratedDocument, db

from ..documents import listing
from ..documents.storage import storage
from .forms import INT_MAX, BaseForm, choices, strip, text_field

HIDDEN_DOCUMENT = "документ другой организации"  # a document the viewer may not see
KINDS = {"file": "Файл", "document": "Документ из реестра", "url": "Ссылка"}


class EvidenceForm(BaseForm):
    kind = SelectField("Вид", choices=choices(KINDS), default="file")

    def process(self, formdata=None, *args, **kwargs):
        """What was filled decides the kind when the select says otherwise: a chosen file is
        never dropped because the select still read «Документ» (a defect seen on the walk)."""
        super().process(formdata, *args, **kwargs)
        upload = getattr(self.file.data, "filename", "")
        if formdata is not None and upload and self.kind.data != "file" and not (
                self.kind.data == "document" and self.document.data) and not (
                self.kind.data == "url" and self.url.data):
            self.kind.data = "file"
    document = IntegerField("Документ", validators=[Optional(), NumberRange(1, INT_MAX)])
    url = StringField("Адрес ссылки", filters=[strip])
    title = text_field("Подпись", 500)
    file = FileField("Файл")

    def validate_url(self, field):
        if self.kind.data == "url":
            if not field.data:
                raise ValidationError("Укажите адрес ссылки.")
            if len(field.data) > 2000 or not field.data.lower().startswith(("http://", "https://")):
                raise ValidationError("Ссылка должна начинаться с http:// или https:// "
                                      "и быть не длиннее 2000 символов.")

    def validate_document(self, field):
        if self.kind.data == "document" and not field.data:
            raise ValidationError("Выберите документ из реестра.")


@dataclass(frozen=True)
class EvidenceKind:
    """One owner's evidence: `model` (an Evidence subclass), `owner` (the name of its foreign
    key to the owner) and `files_visible_to(user)` (a query of the model: the uploaded files
    `user` may download; the model's own rule when not given)."""

    model: type
    owner: str
    files_visible_to: Callable = None

    @property
    def owner_field(self):
        return getattr(self.model, self.owner)

    def readable_files(self, user):
        rule = self.files_visible_to or self.model.files_visible_to
        return rule(user)

    def owner_id(self, item):
        return getattr(item, f"{self.owner}_id")


# --- reading -----------------------------------------------------------------------------------

def by_owner(kind, owner_ids, viewer):
    """{owner id: [evidence with its register document]} in the order added, as `viewer` may
    see it: `document_shown` (the register's rule, or public), `file_readable` (the kind's
    file rule) and `label`, the text to show."""
    model = kind.model
    evidence = defaultdict(list)
    items = list(model.select(model, GeneratedDocument)
                 .join(GeneratedDocument, on=(model.document == GeneratedDocument.id),
                       join_type=JOIN.LEFT_OUTER)
                 .where(kind.owner_field.in_(owner_ids)).order_by(model.id))
    document_ids = {item.document_id for item in items if item.document_id}
    shown = {row.id for row in GeneratedDocument.citable_to(viewer).select(
        GeneratedDocument.id).where(GeneratedDocument.id.in_(document_ids))} if document_ids \
        else set()
    file_ids = [item.id for item in items if item.kind == "file"]
    readable = {row.id for row in kind.readable_files(viewer).select(model.id).where(
        model.id.in_(file_ids))} if file_ids else set()
    for item in items:
        item.document_shown = item.document_id in shown
        item.file_readable = item.id in readable
        item.label = label(item)
        evidence[kind.owner_id(item)].append(item)
    return evidence


def label(item):
    if item.kind != "document":
        return item.title
    if not item.document_shown:
        return HIDDEN_DOCUMENT
    document = item.document
    return item.title or f"{document.title} № {document.number or '—'}"


def readable_file(kind, user, evidence_id):
    """The evidence row of an uploaded file `user` may download, or None (missing or not
    theirs to read: the same answer)."""
    return kind.readable_files(user).where(kind.model.id == evidence_id).first()


# --- the register documents one may cite ---------------------------------------------------

def pickable_documents(user):
    """Register documents `user` may cite as evidence: registered or published ones that the
    register shows the user (a school: its organisation's) or that are public anyway."""
    return GeneratedDocument.citable_to(user).where(GeneratedDocument.status.in_(
        ("registered", "published")))


def pickable_document(user, document_id):
    """The document with this id if `user` may cite it; None otherwise (whether it does not
    exist or belongs to someone else: the answer is the same)."""
    return pickable_documents(user).where(GeneratedDocument.id == document_id).first()


def registered_documents(user, query_text, limit=20):
    """Documents to pick as evidence: by number or title (the register's own search, which
    also matches Cyrillic in any case on SQLite), newest first."""
    query = pickable_documents(user).order_by(GeneratedDocument.id.desc())
    return listing.search(query, query_text).limit(limit)


# --- the posted form ---------------------------------------------------------------------------

def read_form(form, user):
    """Validate a posted EvidenceForm for `user`: {document, url, title, upload} to pass to
    `values`, or None with the reasons in the form's errors. A document must be one the user
    may cite (another's answers as a missing one); a file is read within the upload limit."""
    from .uploads import read_upload  # needs the request

    if not form.validate():
        return None
    document = upload = None
    if form.kind.data == "document":
        document = pickable_document(user, form.document.data)
        if document is None:
            form.document.errors.append("Такого зарегистрированного документа нет.")
    elif form.kind.data == "file":
        upload = read_upload(form.file, check_office=True)
    if form.errors:
        return None
    return {"document": document, "url": form.url.data or "", "title": form.title.data or "",
            "upload": upload}


# --- writing -----------------------------------------------------------------------------------

def add(kind, owner, user, document=None, url="", title="", upload=None, organization=None):
    """Create the evidence row of `owner`: a register document, an external URL, or an
    uploaded file (name, bytes) kept in storage. `organization` is whose evidence it is (the
    adding user's). A document's title and number are not copied: pages show them only to
    those who may see the document (by_owner). Call inside the caller's transaction when it
    records more (history)."""
    values = {kind.owner: owner.id, "added_by": user, "organization": organization}
    if document is not None:
        values.update(kind="document", document=document.id, title=title)
    elif upload is not None:
        filename, data = upload
        values.update(kind="file", title=title or filename, file_sha256=storage().put(data),
                      file_size=len(data))
    else:
        values.update(kind="url", url=url, title=title or url)
    values["title"] = values["title"][:500]
    with db.atomic():
        return kind.model.create(**values)


def confirm_removal(item, action, cancel):
    """The page that asks before an item is removed (a removal cannot be taken back)."""
    from flask import render_template

    from .forms import ConfirmForm
    what = {"file": "файл", "url": "ссылку", "document": "ссылку на документ"}.get(item.kind,
                                                                                 "подтверждение")
    return render_template(
        "core/confirm.html", form=ConfirmForm(), heading=f"Убрать {what} «{label(item)}»?",
        details="", button="Да, убрать", action=action, cancel=cancel,
        warning="Вернуть его можно, только добавив заново.")


def remove(evidence):
    with db.atomic():
        evidence.delete_instance()


def send_file(item):
    """An uploaded file of evidence, always as a download, never shown inline: an uploaded
    file is not trusted content."""
    from .downloads import send_bytes

    return send_bytes(storage().get(item.file_sha256), item.title or "файл",
                      mimetype="application/octet-stream")
