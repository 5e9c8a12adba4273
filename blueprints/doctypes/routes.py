"""Template versions of every doctype: list, variables, downloads, upload, preview, activate,
roll back. Admin and centre only."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from peewee import JOIN

from models import TemplateVersion, User

from ..auth.access import access
from ..core.downloads import send_bytes
from ..core.audit import audit
from ..core.errors import fail
from ..core.forms import ConfirmForm
from ..core.htmx import render_page_or_fragment
from ..documents import api as documents
from ..documents.storage import storage
from . import cli, services
from .forms import TemplateUploadForm

# cli_group=None: `flask --app app list-doctypes`, not `flask doctypes list-doctypes`.
bp = Blueprint("doctypes", __name__, url_prefix="/doctypes", cli_group=None)
cli.register(bp)

EDITORS = ("admin", "centre")


def _doctype_or_404(key):
    try:
        return documents.doctype(key)
    except KeyError:
        abort(404)


def _version_or_404(doctype, number):
    version = TemplateVersion.get_or_none((TemplateVersion.doctype == doctype.key)
                                          & (TemplateVersion.version == number))
    if version is None:
        abort(404)
    return version


def _versions(doctype):
    return (TemplateVersion.select(TemplateVersion, User)
            .join(User, JOIN.LEFT_OUTER, on=(TemplateVersion.uploaded_by == User.id))
            .where(TemplateVersion.doctype == doctype.key)
            .order_by(TemplateVersion.version.desc()))


def _docx(data, name):
    return send_bytes(data, f"{name}.docx")


def _sample(doctype, version):
    """A sample render with `version` (None: the built-in file); a broken one is a 422 that
    says why (the RenderError handler)."""
    return documents.preview(doctype.key, version=version)


@bp.route("/")
@access(*EDITORS)
def index():
    active = {v.doctype: v for v in TemplateVersion.select().where(TemplateVersion.is_active)}
    rows = [(doctype, active.get(key), _versions(doctype).count())
            for key, doctype in documents.doctypes().items()]
    return render_template("doctypes/index.html", rows=rows)


def _show(doctype, form, status=200):
    return render_page_or_fragment(
        "doctypes/show.html", "doctypes/_upload_form.html", status=status, doctype=doctype,
        form=form, versions=list(_versions(doctype)),
        active=TemplateVersion.active(doctype.key))


@bp.route("/<doctype>")
@access(*EDITORS)
def show(doctype):
    return _show(_doctype_or_404(doctype), TemplateUploadForm())


@bp.route("/<doctype>/upload", methods=["POST"])
@access(*EDITORS)
def upload(doctype):
    doctype = _doctype_or_404(doctype)
    form = TemplateUploadForm(doctype=doctype)
    if form.validate_on_submit():
        try:
            version = services.add_version(doctype.key, form.content, form.filename,
                                           form.note.data or "", current_user.id)
        except services.AlreadyUploaded as same:
            flash(f"Этот файл уже загружен: версия {same.version.version}.", "info")
            return redirect(url_for("doctypes.show", doctype=doctype.key), code=303)
        audit("template_uploaded", version,
              details=f"{doctype.key} v{version.version} {form.filename} {version.sha256}")
        flash(f"Загружена версия {version.version}. Скачайте образец, проверьте его и включите "
              "версию, когда всё верно.", "success")
        return redirect(url_for("doctypes.show", doctype=doctype.key), code=303)
    if form.rejection:  # a hostile or broken template is a security event worth a record
        audit("template_rejected", details=f"{doctype.key} {form.filename}: {form.rejection}")
    return _show(doctype, form, status=422)


@bp.route("/<doctype>/template.docx")
@access(*EDITORS)
def download_active(doctype):
    doctype = _doctype_or_404(doctype)
    version = TemplateVersion.active(doctype.key)
    if version is None:
        return download_builtin(doctype.key)
    return _docx(storage().get(version.sha256), f"{doctype.title} — шаблон, версия "
                                                 f"{version.version}")


@bp.route("/<doctype>/builtin.docx")
@access(*EDITORS)
def download_builtin(doctype):
    doctype = _doctype_or_404(doctype)
    return _docx(doctype.template_path.read_bytes(), f"{doctype.title} — стандартный бланк")


@bp.route("/<doctype>/sample.docx")
@access(*EDITORS)
def sample(doctype):
    doctype = _doctype_or_404(doctype)
    version = TemplateVersion.active(doctype.key)
    data = _sample(doctype, version)
    label = f"версия {version.version}" if version else "стандартный бланк Опоры"
    return _docx(data, f"{doctype.title} — образец ({label})")


@bp.route("/<doctype>/versions/<int:version>.docx")
@access(*EDITORS)
def download_version(doctype, version):
    doctype = _doctype_or_404(doctype)
    version = _version_or_404(doctype, version)
    return _docx(storage().get(version.sha256), f"{doctype.title} — шаблон, версия "
                                                 f"{version.version}")


@bp.route("/<doctype>/versions/<int:version>/sample.docx")
@access(*EDITORS)
def preview(doctype, version):
    doctype = _doctype_or_404(doctype)
    version = _version_or_404(doctype, version)
    return _docx(_sample(doctype, version), f"{doctype.title} — образец (версия "
                                            f"{version.version})")


def _confirmed():
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу и повторите.")


@bp.route("/<doctype>/versions/<int:version>/activate", methods=["POST"])
@access(*EDITORS)
def activate(doctype, version):
    doctype = _doctype_or_404(doctype)
    version = _version_or_404(doctype, version)
    _confirmed()
    previous = TemplateVersion.active(doctype.key)
    services.activate_version(version)
    # Going back to an older version is a roll-back: the audit log says so.
    rollback = previous is not None and previous.version > version.version
    audit("template_rolled_back" if rollback else "template_activated", version,
          details=f"{doctype.key} v{version.version} (было: "
                  f"{'v%d' % previous.version if previous else 'встроенный'})")
    flash(f"Включена версия {version.version}: новые документы «{doctype.title}» создаются "
          "по ней.", "success")
    return redirect(url_for("doctypes.show", doctype=doctype.key), code=303)


@bp.route("/<doctype>/builtin/activate", methods=["POST"])
@access(*EDITORS)
def restore_builtin(doctype):
    doctype = _doctype_or_404(doctype)
    _confirmed()
    previous = TemplateVersion.active(doctype.key)
    services.restore_builtin(doctype.key)
    audit("template_builtin_restored", details=f"{doctype.key} (было: "
          f"{'v%d' % previous.version if previous else 'встроенный'})")
    flash(f"Включён стандартный бланк Опоры: новые документы «{doctype.title}» создаются по нему.",
          "success")
    return redirect(url_for("doctypes.show", doctype=doctype.key), code=303)
