"""The organisation directory: list, card, create, edit, delete, import, export."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from models import Organization

from ..auth.access import ALL_USERS, STAFF, access, get_visible_or_404
from ..core import cache
from ..core.downloads import send_bytes
from ..core.audit import audit
from ..core.forms import ConfirmForm, choices
from ..core.htmx import render_page_or_fragment
from ..core.pagination import paginate
from ..core.pending import drop_pending, load_pending, save_pending
from ..core.uploads import read_upload
from . import importer, services
from .forms import FilterForm, ImportForm, OrganizationForm

bp = Blueprint("orgs", __name__, url_prefix="/orgs")

EDITORS = ("admin", "centre")


def _visible():
    return Organization.visible_to(current_user)


@bp.route("/")
@access(*ALL_USERS)
def index():
    filters = FilterForm(request.args)
    municipalities = Organization.municipalities()
    filters.municipality.choices = choices([("", "Все")] + [(m, m) for m in municipalities])
    filters.validate()
    # The filter form is a fifth of the page's time (WTForms draws each option) and the same
    # for the same query and list of municipalities: drawn once, then kept.
    filters_html = cache.store("directory filters", 256).get_or_compute(
        (request.query_string, tuple(municipalities)),
        lambda: Markup(render_template("orgs/_filters.html", filters=filters)))
    # An invalid filter (too long, control characters) is ignored rather than sent to the database.
    values = {name: (field.data or "") if not field.errors else ""
              for name, field in filters._fields.items()}
    query = Organization.search(_visible(), values["q"], values["municipality"], values["kind"],
                                values["leader"])
    page = paginate(query, request.args.get("page", 1, type=int), current_app.config["PER_PAGE"])
    return render_page_or_fragment("orgs/index.html", "orgs/_table.html",
                                   page=page, filters_html=filters_html,
                                   can_edit=current_user.role in EDITORS)


@bp.route("/<int:org_id>")
@access(*ALL_USERS)
def show(org_id):
    org = get_visible_or_404(_visible(), Organization, org_id)
    return render_template("orgs/show.html", org=org, can_edit=current_user.role in EDITORS)


def _form_page(form, org):
    status = 422 if form.errors else 200
    return render_page_or_fragment("orgs/form.html", "orgs/_form.html", status=status,
                                   form=form, org=org)


@bp.route("/new", methods=["GET", "POST"])
@access(*EDITORS)
def create():
    form = OrganizationForm()
    if form.validate_on_submit():
        org = services.save_organization(form.data)
        audit("organization_created", org)
        flash(f"Организация «{org.short_name}» добавлена.", "success")
        return redirect(url_for("orgs.show", org_id=org.id), code=303)
    return _form_page(form, None)


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def edit(org_id):
    org = get_visible_or_404(_visible(), Organization, org_id)
    form = OrganizationForm(obj=org, organization=org)
    if form.validate_on_submit():
        services.save_organization(form.data, org)
        audit("organization_updated", org)
        flash("Изменения сохранены.", "success")
        return redirect(url_for("orgs.show", org_id=org.id), code=303)
    return _form_page(form, org)


@bp.route("/<int:org_id>/delete", methods=["GET", "POST"])
@access(*EDITORS)
def delete(org_id):
    org = get_visible_or_404(_visible(), Organization, org_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.delete_organization(org)
        except services.OrganizationInUse:
            flash("Нельзя удалить: к организации привязаны учётные записи. "
                  "Сначала переназначьте их или отключите.", "danger")
            return redirect(url_for("orgs.show", org_id=org.id), code=303)
        audit("organization_deleted", details=f"{org.id} {org.short_name}")
        flash(f"Организация «{org.short_name}» удалена.", "success")
        return redirect(url_for("orgs.index"), code=303)
    return render_template(
        "core/confirm.html", form=form, heading=f"Удалить «{org.short_name}»?",
        details=org.full_name, button="Да, удалить",
        warning="Организация исчезнет из справочника. Это действие нельзя отменить. "
                "Организацию, к которой привязаны учётные записи, удалить нельзя.",
        action=url_for("orgs.delete", org_id=org.id), cancel=url_for("orgs.show", org_id=org.id))


@bp.route("/import", methods=["GET", "POST"])
@access(*EDITORS)
def import_file():
    form = ImportForm()
    if form.validate_on_submit():
        upload = read_upload(form.file)
        if upload is not None:
            filename, data = upload
            try:
                rows = importer.parse(filename, data)
            except importer.ImportProblem as problem:
                form.file.errors.append(str(problem))
            else:
                token = save_pending(current_app.config["STORAGE_DIR"], current_user.id,
                                              filename, rows)
                return _preview(rows, token, filename)
    status = 422 if form.errors else 200
    return render_template("orgs/import.html", form=form), status


def _preview(rows, token, filename):
    bad = [r for r in rows if r["errors"]]
    return render_template("orgs/import_preview.html", rows=rows, bad=bad, token=token,
                           filename=filename, form=ConfirmForm()), (422 if bad else 200)


@bp.route("/import/<token>", methods=["POST"])
@access(*EDITORS)
def import_confirm(token):
    storage = current_app.config["STORAGE_DIR"]
    pending = load_pending(storage, current_user.id, token)
    if pending is None or not ConfirmForm().validate_on_submit():
        flash("Предпросмотр устарел. Загрузите файл ещё раз.", "warning")
        return redirect(url_for("orgs.import_file"), code=303)
    rows = importer.revalidate(pending["data"])
    if any(r["errors"] for r in rows):
        return _preview(rows, token, pending["filename"])
    created = services.import_organizations([r["data"] for r in rows])
    drop_pending(storage, token)
    audit("organizations_imported", details=f"{len(created)} из {pending['filename']}")
    flash(f"Добавлено организаций: {len(created)}.", "success")
    return redirect(url_for("orgs.index"), code=303)


@bp.route("/export.xlsx")
@access(*STAFF)
def export():
    orgs = _visible().order_by(Organization.kind, Organization.short_name, Organization.id)
    data = importer.export_xlsx(orgs)
    return send_bytes(data, f"Справочник организаций {date.today():%d.%m.%Y}.xlsx")
