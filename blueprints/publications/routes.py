"""The public document section (no login): list, search, permalink, downloads, Atom, CSV.

Only published and withdrawn documents exist here, for everyone, signed in or not: a draft
or a registered but unpublished document answers 404 on every public URL. A withdrawn
document keeps its permalink and its downloads, under the notice «Документ отозван» with
the date and reason: the register of what was in force stays complete and links that
others made still lead somewhere.
"""

from flask import Blueprint, Response, current_app, render_template, request, url_for
from peewee import fn
from werkzeug.exceptions import NotFound

from models import GeneratedDocument

from ..auth.access import ANONYMOUS, access
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.forms import choices
from ..core.htmx import render_page_or_fragment
from ..core.pagination import paginate
from ..core.urls import external_url
from ..documents import listing, pdf
from ..documents.storage import storage
from . import feeds
from .forms import PublicFilterForm

bp = Blueprint("publications", __name__, url_prefix="/docs")

FEED_SIZE = 50  # entries in the Atom feed


def _ordered(query):
    D = GeneratedDocument
    return query.order_by(D.registered_on.desc(), D.serial.desc(), D.id.desc())


def _filtered():
    """The filter form, the public documents it selects (newest first), the filters in use."""
    public = GeneratedDocument.public()
    filters = PublicFilterForm(request.args)
    filters.year.choices = choices([("", "Все годы")] + [(str(y), str(y))
                                                          for y in listing.years(public)])
    kinds = listing.doctype_titles()
    filters.kind.choices = choices([("", "Все виды")] + list(kinds.items()))
    filters.organization.choices = choices([("", "Все организации")] + [
        (str(org.id), org.short_name) for org in listing.organizations(public)])
    values = listing.filter_values(filters)
    query = listing.search(public, values["q"], values["kind"], year=listing.as_int(values["year"]),
                           organization=listing.as_int(values["organization"]))
    used = {name: value for name, value in values.items() if value}
    return filters, _ordered(listing.with_organization(query)), used


def _get(year, slug):
    document = GeneratedDocument.public().where(
        (GeneratedDocument.year == year) & (GeneratedDocument.slug == slug)).first()
    if document is None:
        raise NotFound()
    return document


def _permalink(document):
    return external_url("publications.show", year=document.year, slug=document.slug)


def _kind(document):
    return listing.doctype_title(document.doctype)


@bp.route("/", strict_slashes=False)
@access(ANONYMOUS)
def index():
    filters, query, used = _filtered()
    page = paginate(query, request.args.get("page", 1, type=int), current_app.config["PER_PAGE"])
    return render_page_or_fragment("publications/index.html", "publications/_list.html",
                                   page=page, filters=filters, titles=listing.doctype_titles(),
                                   csv_url=url_for("publications.register_csv", **used),
                                   filtered=bool(used))


@bp.route("/<int:year>/<string(maxlength=200):slug>")
@access(ANONYMOUS)
def show(year, slug):
    document = _get(year, slug)
    return render_template("publications/show.html", document=document, kind=_kind(document),
                           pdf_state=pdf.state(document))


@bp.route("/<int:year>/<string(maxlength=200):slug>/docx")
@access(ANONYMOUS)
def download(year, slug):
    return listing.send_docx(_get(year, slug))


@bp.route("/<int:year>/<string(maxlength=200):slug>/pdf")
@access(ANONYMOUS)
def pdf_download(year, slug):
    """Converted on the first request and cached. A version whose conversion failed is not
    retried from here (staff retry it from the register), so visitors cannot make the server
    convert a broken file again and again."""
    document = _get(year, slug)
    if pdf.state(document) == "failed":
        fail(503, "PDF этого документа временно недоступен. Скачайте файл .docx.")
    try:
        data = pdf.ensure_pdf(document)
    except pdf.PdfError as error:
        fail(503, str(error))
    if request.args.get("inline") == "1":  # the viewer embedded in the public page
        return listing.show_pdf(document, data)
    return listing.send_pdf(document, data)


@bp.route("/<int:year>/<string(maxlength=200):slug>/signed")
@access(ANONYMOUS)
def signed_download(year, slug):
    """The signed copy, only once the centre has published it."""
    document = _get(year, slug)
    if not (document.signed_public and document.signed_sha256):
        raise NotFound()
    return send_bytes(storage().get(document.signed_sha256),
                      listing.download_name(document, "pdf").replace(".pdf", " (подписанный).pdf"),
                      mimetype="application/pdf")


@bp.route("/feed.atom")
@access(ANONYMOUS)
def feed():
    D = GeneratedDocument
    # Newest change first: a withdrawal is news too.
    documents = list(listing.with_organization(GeneratedDocument.public()).order_by(
        fn.COALESCE(D.withdrawn_at, D.published_at).desc(), D.id.desc()).limit(FEED_SIZE))
    data = feeds.atom(
        documents, title=f"{current_app.config['SITE_NAME']}: документы",
        author=current_app.config["SITE_NAME"],
        feed_url=external_url("publications.feed"),
        site_url=external_url("publications.index"), permalink=_permalink,
        download_url=lambda d: external_url("publications.download", year=d.year, slug=d.slug),
        kind_of=_kind)
    return Response(data, mimetype="application/atom+xml")


@bp.route("/register.csv")
@access(ANONYMOUS)
def register_csv():
    """Open data: the same filters as the list, every matching document (not one page)."""
    _, query, _ = _filtered()
    data = feeds.register_csv(query, permalink=_permalink, kind_of=_kind)
    return send_bytes(data, "Реестр опубликованных документов.csv")
