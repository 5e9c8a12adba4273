"""Monitoring: assessment results (ВПР, ОГЭ, ЕГЭ) — the schools' list, a school's page and the
.xlsx import with its column mapping, preview and all-or-nothing confirmation."""
from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import IntegrityError

from models import PROCEDURES, AssessmentResult, Organization

from ..auth.access import ALL_USERS, STAFF, access, get_visible_or_404
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.forms import ConfirmForm, choices
from ..core.htmx import render_page_or_fragment
from ..core.pagination import paginate
from ..core.pending import drop_pending, load_pending, save_pending
from ..core.uploads import read_upload
from . import importer, table
# Importing the view modules registers their views on bp (one module per concern).
from . import campaign_views, data_views, report_views  # noqa: F401
from .blueprint import bp
from .forms import FIELD_CHOICES, FilterForm, ImportForm, mapping_from, year_choices
from .services import save_results

IMPORTERS = ("admin", "centre")


@bp.route("/results")
@access(*STAFF)
def results():
    filters = FilterForm(request.args)
    filters.subject.choices = choices([("", "Все")] + [(s, s) for s in table.subjects()])
    filters.year.choices = choices([("", "Последний")] + [(str(y), str(y)) for y in table.years()])
    procedure, subject, year = filters.values()
    page = paginate(table.schools_query(procedure, subject, year),
                    request.args.get("page", 1, type=int), current_app.config["PER_PAGE"])
    shares = table.latest_shares([s.id for s in page.items], procedure, subject, year)
    shown = [procedure] if procedure else list(PROCEDURES)
    return render_page_or_fragment("monitoring/results.html", "monitoring/_results_table.html",
                                   page=page, shares=shares, filters=filters, shown=shown,
                                   procedures=PROCEDURES,
                                   can_import=current_user.role in IMPORTERS)


@bp.route("/schools/<int:org_id>/results")
@access(*ALL_USERS)
def school_results(org_id):
    school = get_visible_or_404(Organization.visible_to(current_user).where(
        Organization.kind == "school"), Organization, org_id)
    years, groups = table.school_table(AssessmentResult.visible_to(current_user).where(
        AssessmentResult.school == school.id))
    return render_template("monitoring/school.html", school=school, years=years, groups=groups,
                           can_import=current_user.role in IMPORTERS)


# --- import from .xlsx ------------------------------------------------------------------------

@bp.route("/results/import", methods=["GET", "POST"])
@access(*IMPORTERS)
def import_file():
    form = ImportForm() if request.method == "POST" else ImportForm(formdata=None)
    form.year.choices = year_choices(date.today().year)
    if request.method == "POST" and form.validate():
        upload = read_upload(form.file, "Выберите файл .xlsx.")
        if upload is not None:
            filename, data = upload
            try:
                sheet = importer.read_table(data)
            except importer.ImportProblem as problem:
                form.file.errors.append(str(problem))
            else:
                procedure, year = form.fixed()
                pending = {"table": sheet, "mapping": sheet["mapping"], "procedure": procedure,
                           "year": year}
                token = save_pending(current_app.config["STORAGE_DIR"], current_user.id,
                                     filename, pending)
                return _preview(pending, token, filename)
    return render_template("monitoring/import.html", form=form), 422 if form.errors else 200


def _preview(pending, token, filename, error=None):
    mapping = {field: int(index) for field, index in pending["mapping"].items()}
    missing = importer.missing_fields(mapping, pending["procedure"], pending["year"])
    rows = None
    if not missing and not error:
        rows = importer.check(pending["table"], mapping, pending["procedure"], pending["year"])
    bad = [r for r in rows or [] if r["errors"]]
    chosen = {index: field for field, index in mapping.items()}
    first = pending["table"]["rows"][0][1] if pending["table"]["rows"] else []
    columns = [{"index": i, "title": title, "sample": first[i] if i < len(first) else "",
                "field": chosen.get(i, "")} for i, title in enumerate(pending["table"]["header"])]
    return render_template(
        "monitoring/import_preview.html", rows=rows, bad=bad, missing=missing, error=error,
        columns=columns, field_choices=FIELD_CHOICES, token=token, filename=filename,
        fixed_procedure=PROCEDURES.get(pending["procedure"], ""), fixed_year=pending["year"],
        form=ConfirmForm(), updates=sum(1 for r in rows or [] if r.get("replaces"))), (
        422 if missing or error or bad else 200)


def _pending_or_restart(token):
    pending = load_pending(current_app.config["STORAGE_DIR"], current_user.id, token)
    if pending is None or not ConfirmForm().validate_on_submit():
        flash("Предпросмотр устарел. Загрузите файл ещё раз.", "warning")
        return None
    return pending


@bp.route("/results/import/<token>/columns", methods=["POST"])
@access(*IMPORTERS)
def import_columns(token):
    """The user's mapping of the file's columns: the preview again, under a new token."""
    pending = _pending_or_restart(token)
    if pending is None:
        return redirect(url_for("monitoring.import_file"), code=303)
    data = pending["data"]
    mapping, error = mapping_from(request.form, len(data["table"]["header"]))
    if error:
        return _preview(data, token, pending["filename"], error)
    data["mapping"] = mapping
    folder = current_app.config["STORAGE_DIR"]
    fresh = save_pending(folder, current_user.id, pending["filename"], data)
    drop_pending(folder, token)
    return _preview(data, fresh, pending["filename"])


@bp.route("/results/import/<token>", methods=["POST"])
@access(*IMPORTERS)
def import_confirm(token):
    pending = _pending_or_restart(token)
    if pending is None:
        return redirect(url_for("monitoring.import_file"), code=303)
    data = pending["data"]
    mapping = {field: int(index) for field, index in data["mapping"].items()}
    if importer.missing_fields(mapping, data["procedure"], data["year"]):
        return _preview(data, token, pending["filename"])
    rows = importer.check(data["table"], mapping, data["procedure"], data["year"])
    if any(r["errors"] for r in rows):  # the directory may have changed since the preview
        return _preview(data, token, pending["filename"])
    try:
        created, updated = save_results(rows, pending["filename"], current_user.id)
    except IntegrityError:  # the same file confirmed twice at once (PostgreSQL: a unique key)
        fail(409, "Эти результаты только что загружены другим запросом: откройте список "
                  "результатов и проверьте их.")
    drop_pending(current_app.config["STORAGE_DIR"], token)
    audit("assessment_results_imported",
          details=f"{pending['filename']}: добавлено {created}, обновлено {updated}")
    flash(f"Загружено результатов: {created + updated} (новых — {created}, обновлено — "
          f"{updated}).", "success")
    return redirect(url_for("monitoring.results"), code=303)


@bp.route("/results/import/template.xlsx")
@access(*IMPORTERS)
def import_template():
    return send_bytes(importer.template_xlsx(), "Шаблон загрузки результатов ВПР ОГЭ ЕГЭ.xlsx")
