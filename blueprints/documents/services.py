"""Register writes: generate and keep documents, number them, publish, withdraw, correct.

A registered document never changes; a correction is a new version pointing to the old one.
"""
import json
import re

from models import GeneratedDocument, db, now

from . import registry
from .numbering import next_number
from .storage import storage

_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                      "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
                      "", "e", "yu", "ya"]))


class InvalidTransition(Exception):
    """The document is not in a state that allows this action; message in Russian."""


def slugify(text):
    latin = "".join(_TRANSLIT.get(c, c) for c in text.lower())
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-")[:80] or "document"


def _store(doctype_key, context, version=None):
    data, template_key, used = registry.render_with_source(doctype_key, context, version)
    return storage().put(data), len(data), template_key, used


def create_draft(doctype_key, plain, title, author=None, organization=None, source=None):
    """Keep an unnumbered draft (marked «Проект» by its context) of plain data in the register."""
    context = registry.get_doctype(doctype_key).build(plain)
    sha256, size, template_key, used = _store(doctype_key, context)
    return GeneratedDocument.create(
        doctype=doctype_key, title=title[:500], status="draft", author=author,
        organization=organization, source_type=source[0] if source else "",
        source_id=source[1] if source else None, template_version=used,
        template_sha256=template_key, context_json=json.dumps(context, ensure_ascii=False),
        sha256=sha256, size=size)


def register_document(doctype_key, plain, title, on_date, author=None, organization=None,
                      source=None):
    """Number and keep a document made of the doctype's plain data.

    Number, context, file and row are taken in one transaction: a failed render leaves no
    gap. The stored context is `doctype.build(plain, number, on_date)`, so it can be made
    again from the same plain data and the row's number and date.
    """
    doctype = registry.get_doctype(doctype_key)
    with db.atomic():
        serial, number = next_number(doctype.series, on_date.year, doctype.pattern)
        context = doctype.build(plain, number, on_date)
        sha256, size, template_key, used = _store(doctype_key, context)
        return GeneratedDocument.create(
            doctype=doctype_key, title=title[:500], status="registered", number=number,
            serial=serial, year=on_date.year, registered_on=on_date, author=author,
            organization=organization, source_type=source[0] if source else "",
            source_id=source[1] if source else None, template_version=used,
            template_sha256=template_key, context_json=json.dumps(context, ensure_ascii=False),
            sha256=sha256, size=size)


def correct_document(document, plain, author=None):
    """A new version of a registered document with the same number and date, made of
    corrected plain data; the old one stays as it was."""
    if document.status not in ("registered", "published"):
        raise InvalidTransition("Исправить можно только зарегистрированный документ.")
    context = registry.get_doctype(document.doctype).build(
        plain, document.number, document.registered_on)
    with db.atomic():
        sha256, size, template_key, used = _store(document.doctype, context)
        return GeneratedDocument.create(
            doctype=document.doctype, title=document.title, status="registered",
            number=document.number, serial=document.serial, year=document.year,
            registered_on=document.registered_on, author=author,
            organization=document.organization_id, source_type=document.source_type,
            source_id=document.source_id, template_version=used, template_sha256=template_key,
            context_json=json.dumps(context, ensure_ascii=False), sha256=sha256, size=size,
            version=document.version + 1, previous=document)


def publish_document(document):
    """Put a registered document on the public section under a permalink /docs/<year>/<slug>."""
    if document.status != "registered":
        raise InvalidTransition("Опубликовать можно только зарегистрированный документ.")
    doctype = registry.get_doctype(document.doctype)
    base = slugify(f"{doctype.title} {document.number}")
    with db.atomic():
        # A corrected version takes over its predecessor's permalink.
        older = document.previous
        slug = older.slug if older is not None and older.slug else None
        if slug:
            GeneratedDocument.update(slug=None, status="superseded").where(
                GeneratedDocument.id == older.id).execute()
        else:
            slug, n = base, 1
            while GeneratedDocument.select().where(GeneratedDocument.slug == slug).exists():
                n += 1
                slug = f"{base}-{n}"
        # Conditional on the status: of two simultaneous clicks only one publishes.
        changed = GeneratedDocument.update(status="published", slug=slug, published_at=now()).where(
            (GeneratedDocument.id == document.id)
            & (GeneratedDocument.status == "registered")).execute()
        if not changed:
            raise InvalidTransition("Документ уже опубликован.")
    return GeneratedDocument.get_by_id(document.id)


def withdraw_document(document, reason):
    """Withdraw a published document; the permalink stays and shows the reason."""
    if document.status != "published":
        raise InvalidTransition("Отозвать можно только опубликованный документ.")
    changed = GeneratedDocument.update(status="withdrawn", withdrawn_at=now(),
                                       withdrawal_reason=reason).where(
        (GeneratedDocument.id == document.id)
        & (GeneratedDocument.status == "published")).execute()
    if not changed:
        raise InvalidTransition("Документ уже отозван.")
    return GeneratedDocument.get_by_id(document.id)


def set_signed_public(document, public):
    """Show (or stop showing) the signed copy on the document's public page; it shows only
    while the document itself is published."""
    GeneratedDocument.update(signed_public=bool(public)).where(
        GeneratedDocument.id == document.id).execute()
    return GeneratedDocument.get_by_id(document.id)
