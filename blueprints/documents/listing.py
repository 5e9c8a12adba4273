"""Reading the register, shared by the register pages and the public section:
filters and search, doctype titles, and file downloads with readable Russian names."""
import re
from io import BytesIO

from flask import send_file
from peewee import JOIN

from models import GeneratedDocument, Organization
from models.search import matches

from ..core.downloads import send_bytes
from ..core.filters import date_num
from . import registry
from .storage import storage



def doctype_titles():
    return {key: doctype.title for key, doctype in registry.all_doctypes().items()}


def doctype_title(key):
    # A doctype removed from the code still has its documents in the register.
    return doctype_titles().get(key, key)


def search(query, text="", doctype="", status="", year=None, organization=None):
    """Filter a GeneratedDocument query; text matches the kind, the title and the number by
    word forms (models/search.py)."""
    D = GeneratedDocument
    condition = matches(D, text)
    if condition is not None:
        query = query.where(condition)
    if doctype:
        query = query.where(D.doctype == doctype)
    if status:
        query = query.where(D.status == status)
    if year:
        query = query.where(D.year == year)
    if organization:
        query = query.where(D.organization == organization)
    return query


def years(query):
    """Registration years present in a query, newest first."""
    D = GeneratedDocument
    rows = query.select(D.year).where(D.year.is_null(False)).distinct().order_by(D.year.desc())
    return [row.year for row in rows]


def organizations(query):
    """Organisations that issued the documents of a query, by name."""
    D = GeneratedDocument
    ids = query.select(D.organization).where(D.organization.is_null(False)).distinct()
    return list(Organization.select().where(Organization.id.in_(ids))
                .order_by(Organization.short_name))


def as_int(value):
    """A filter value as a positive int, or None (bad input is ignored, not a 500)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def download_name(document, extension):
    """«Приказ № 01-07-45 от 01.09.2026.docx»: what a user expects to find in Downloads."""
    title = doctype_title(document.doctype)
    if document.number:
        name = f"{title} № {document.number} от {date_num(document.registered_on)}"
    else:
        name = f"{title} (проект {document.id})"
    if document.version > 1:
        name += f" (редакция {document.version})"
    # «/» from numbers like 01-07/45 and other characters file systems refuse.
    return _UNSAFE_NAME.sub("-", name).strip(" .") + f".{extension}"


def send_docx(document):
    return send_bytes(storage().get(document.sha256), download_name(document, "docx"))


def send_pdf(document, data):
    return send_bytes(data, download_name(document, "pdf"))


def show_pdf(document, data):
    """The PDF shown in place (Content-Disposition: inline), for the public page's <iframe>.
    Its own CSP: no scripts or plugins of the page's, framed only by this site; the browser's
    PDF viewer is not held back by `object-src 'none'` (Chromium's viewer is a plugin)."""
    response = send_file(BytesIO(data), mimetype="application/pdf", as_attachment=False,
                         download_name=download_name(document, "pdf"))
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; object-src 'self'; frame-ancestors 'self'")
    return response


def filter_values(form):
    """Validated GET filter values; an invalid one (too long, control characters) is ignored
    rather than sent to the database."""
    form.validate()
    return {name: (field.data or "") if not field.errors else ""
            for name, field in form._fields.items()}


def versions(document, limit=50):
    """Every version of a document, oldest first: back along `previous`, then forward along
    the corrections. A correction keeps the organisation, so all are visible to the same users."""
    D = GeneratedDocument
    root, steps = document, 0
    while root.previous_id and steps < limit:
        older = D.get_or_none(D.id == root.previous_id)
        if older is None:
            break
        root, steps = older, steps + 1
    chain, frontier = [], [root]
    while frontier and len(chain) < limit:
        current = frontier.pop(0)
        chain.append(current)
        frontier.extend(current.corrections.order_by(D.version, D.id))
    return chain


def with_organization(query):
    """Join the issuing organisation, so a list page does not query it row by row."""
    return query.select_extend(Organization).join(
        Organization, JOIN.LEFT_OUTER, on=(GeneratedDocument.organization == Organization.id))
