"""The document register: list, document page, .docx and PDF downloads, publish, withdraw."""
import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import GeneratedDocument

from ..auth.access import ALL_USERS, access, get_visible_or_404
from ..core.audit import audit
from ..core.errors import fail, render_error
from ..core.downloads import send_bytes
from ..core.forms import ConfirmForm, choices
from ..core.htmx import render_page_or_fragment, wants_fragment
from ..core.pagination import paginate
from . import listing, pdf, services
from .engine import RenderError
from .forms import FilterForm, WithdrawForm
from .storage import storage

bp = Blueprint("documents", __name__, url_prefix="/documents")

PUBLISHERS = ("admin", "centre")


@bp.app_errorhandler(RenderError)
def render_failed(error):
    """A document that cannot be made, in any view: 422 with the reason in Russian (a fragment
    when htmx asked); a registration in progress has rolled back with it."""
    return render_error(422, str(error))


def _visible():
    return GeneratedDocument.visible_to(current_user)


def _get(doc_id):
    return get_visible_or_404(_visible(), GeneratedDocument, doc_id)


def _to_show(document):
    return redirect(url_for("documents.show", doc_id=document.id), code=303)


@bp.route("/")
@access(*ALL_USERS)
def index():
    visible = _visible()
    filters = FilterForm(request.args)
    filters.doctype.choices = choices([("", "Все виды"), *listing.doctype_titles().items()])
    filters.year.choices = choices([("", "Все годы")] + [(str(y), str(y))
                                                          for y in listing.years(visible)])
    values = listing.filter_values(filters)
    query = listing.with_organization(listing.search(
        visible, values["q"], values["doctype"], values["status"], listing.as_int(values["year"])))
    query = query.order_by(GeneratedDocument.created_at.desc(), GeneratedDocument.id.desc())
    page = paginate(query, request.args.get("page", 1, type=int), current_app.config["PER_PAGE"])
    return render_page_or_fragment("documents/index.html", "documents/_table.html", page=page,
                                   filters=filters, titles=listing.doctype_titles(),
                                   filtered=any(values.values()))


@bp.route("/<int:doc_id>")
@access(*ALL_USERS)
def show(doc_id):
    document = _get(doc_id)
    can_manage = current_user.role in PUBLISHERS
    return render_template(
        "documents/show.html", document=document, form=ConfirmForm(),
        doctype_title=listing.doctype_title(document.doctype),
        versions=listing.versions(document), **_pdf_context(document),
        can_publish=can_manage and document.status == "registered",
        can_withdraw=can_manage and document.status == "published")


@bp.route("/<int:doc_id>/docx")
@access(*ALL_USERS)
def download(doc_id):
    return listing.send_docx(_get(doc_id))


@bp.route("/<int:doc_id>/pdf")
@access(*ALL_USERS)
def pdf_download(doc_id):
    """Without JavaScript: convert now (if needed) and send the file."""
    document = _get(doc_id)
    try:
        data = pdf.ensure_pdf(document)
    except pdf.PdfError as error:
        fail(503, str(error))
    return listing.send_pdf(document, data)


def _pdf_context(document):
    started = pdf.started_at(document)
    return {"pdf_state": pdf.state(document),
            "pdf_elapsed": int(time.time() - started) if started else 0}


def _pdf_fragment(document):
    """The PDF control after a click or a poll: once the PDF is ready it also starts the
    download itself (a hidden frame), so the user never clicks twice."""
    if not wants_fragment():  # the status URLs are for htmx; a plain visit goes to the page
        return _to_show(document)
    return render_template("documents/_pdf.html", document=document, auto_download=True,
                           **_pdf_context(document))


@bp.route("/<int:doc_id>/pdf/start", methods=["POST"])
@access(*ALL_USERS)
def pdf_start(doc_id):
    """With htmx: start converting in the background; the fragment then polls pdf_status."""
    document = _get(doc_id)
    pdf.start_background(document)
    return _pdf_fragment(GeneratedDocument.get_by_id(document.id))


@bp.route("/<int:doc_id>/pdf/status")
@access(*ALL_USERS)
def pdf_status(doc_id):
    return _pdf_fragment(_get(doc_id))


@bp.route("/<int:doc_id>/publish", methods=["GET", "POST"])
@access(*PUBLISHERS)
def publish(doc_id):
    """Asks first: a published document is on the public site at once, for everyone."""
    document = _get(doc_id)
    form = ConfirmForm()
    if request.method == "GET":
        return render_template(
            "core/confirm.html", form=form, button_class="btn-success",
            heading=f"Опубликовать «{document.title}» на сайте?",
            details=f"{listing.doctype_title(document.doctype)} № {document.number or '—'}.",
            button="Да, опубликовать",
            warning="Документ сразу появится в разделе «Документы» на сайте и в подписке на "
                    "новые документы. Снять его можно только отзывом с указанием причины.",
            action=url_for("documents.publish", doc_id=document.id),
            cancel=url_for("documents.show", doc_id=document.id))
    if not form.validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    try:
        document = services.publish_document(document)
    except services.InvalidTransition as error:
        flash(str(error), "warning")
        return _to_show(document)
    audit("document_published", document, details=f"№ {document.number} /docs/{document.year}/"
                                                   f"{document.slug}")
    flash("Документ опубликован в разделе «Документы» на сайте.", "success")
    return _to_show(document)


@bp.route("/<int:doc_id>/withdraw", methods=["GET", "POST"])
@access(*PUBLISHERS)
def withdraw(doc_id):
    document = _get(doc_id)
    if document.status != "published":
        flash("Отозвать можно только опубликованный документ.", "warning")
        return _to_show(document)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            document = services.withdraw_document(document, form.reason.data)
        except services.InvalidTransition as error:
            flash(str(error), "warning")
            return _to_show(document)
        audit("document_withdrawn", document, details=form.reason.data)
        flash("Документ отозван. На сайте показана причина отзыва.", "success")
        return _to_show(document)
    return render_page_or_fragment(
        "documents/withdraw.html", "documents/_withdraw_form.html",
        status=422 if form.errors else 200, form=form, document=document,
        doctype_title=listing.doctype_title(document.doctype))


# --- the signed copy (a scan both sides signed, e.g. a partnership agreement) ------------------

def _signed_name(document):
    return listing.download_name(document, "pdf").replace(".pdf", " (подписанный).pdf")


@bp.route("/<int:doc_id>/signed")
@access(*ALL_USERS)
def signed_download(doc_id):
    """The signed copy, seen by whoever sees the document; always a download."""
    document = _get(doc_id)
    if not document.signed_sha256:
        fail(409, "У документа нет подписанной копии.")
    return send_bytes(storage().get(document.signed_sha256), _signed_name(document),
                      mimetype="application/pdf")


@bp.route("/<int:doc_id>/signed/publish", methods=["POST"])
@access(*PUBLISHERS)
def publish_signed(doc_id):
    """The centre offers the signed copy on the public page of the document (or stops)."""
    document = _get(doc_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    public = request.form.get("public", "1") == "1"
    if public and not document.signed_sha256:
        fail(409, "У документа нет подписанной копии.")
    services.set_signed_public(document, public)
    audit("document_signed_published" if public else "document_signed_hidden", document)
    if not public:
        flash("Подписанная копия больше не показывается на сайте.", "success")
    elif document.status == "published":
        flash("Подписанная копия показана на странице документа на сайте.", "success")
    else:  # the public page exists only once the document is published
        flash("Подписанная копия появится на сайте, когда документ будет опубликован: нажмите "
              "«Опубликовать на сайте…».", "warning")
    return _to_show(document)
