"""Identification of low-result schools: methodologies, the school context of a year, running a
methodology (the list with its explanations), changes by hand, the approving order and the
public page of a published list with its methodology."""
from datetime import date
from decimal import Decimal

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from models import (CONTEXT_SHARES, CRITERION_KINDS, GeneratedDocument, IdentificationRow,
                    IdentificationRun, Methodology, current_school_year, school_year)

from ..auth.access import ANONYMOUS, STAFF, access
from ..core import cache
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.forms import ConfirmForm, choices
from ..core.pagination import empty_page
from ..core.pending import drop_pending, load_pending, save_pending
from ..core.uploads import read_upload
from ..documents import api as documents
from ..documents.requisites import order_issuer
from . import context_import as context_import_module
from . import services
from .documents import list_order, methodology_plain
from .forms import (DEFAULTS, ContextImportForm, ContextSaveForm, ListOrderForm, ManualForm, MethodologyForm,
                    RunForm, YearForm, form_data, read_context)
from .services import IdentificationError

bp = Blueprint("identification", __name__, url_prefix="/identification")

EDITORS = ("admin", "centre")  # methodologies, context, runs, changes by hand, publication
REGISTRARS = ("admin", "department")  # register the approving order
PER_PAGE = 50


def _methodology_or_404(methodology_id):
    methodology = Methodology.get_or_none(Methodology.id == methodology_id)
    if methodology is None:
        raise NotFound()
    return methodology


def _run_or_404(run_id):
    run = IdentificationRun.get_or_none(IdentificationRun.id == run_id)
    if run is None:
        raise NotFound()
    return run


def _run_form():
    form = RunForm()
    form.methodology.choices = choices([(m.id, f"{m.name} (версия {m.version})")
                                        for m in services.current_methodologies()])
    return form


@bp.route("/")
@access(*STAFF)
def index():
    form = _run_form()
    if request.method == "GET":
        form.year.data = str(current_school_year())
    return render_template("identification/index.html", methodologies=services.methodologies(),
                           runs=services.runs(), form=form,
                           can_edit=current_user.role in EDITORS)


# --- methodologies ----------------------------------------------------------------------------

@bp.route("/methodologies/new", methods=["GET", "POST"])
@access(*EDITORS)
def methodology_new():
    form = MethodologyForm() if request.method == "POST" else MethodologyForm(
        formdata=None, data=dict(DEFAULTS, name="", description=""))
    if request.method == "POST" and form.validate():
        methodology = services.save_methodology(form.values(), current_user.id)
        audit("methodology_saved", methodology, details=f"{methodology.name}, версия 1")
        flash("Методика сохранена.", "success")
        return redirect(url_for("identification.methodology", methodology_id=methodology.id),
                        code=303)
    return render_template("identification/methodology_form.html", form=form,
                           methodology=None), (422 if request.method == "POST" else 200)


@bp.route("/methodologies/<int:methodology_id>")
@access(*STAFF)
def methodology(methodology_id):
    methodology = _methodology_or_404(methodology_id)
    versions = list(Methodology.select().where(Methodology.family == methodology.family)
                    .order_by(Methodology.version.desc()))
    used = list(IdentificationRun.select().where(IdentificationRun.methodology == methodology.id)
                .order_by(IdentificationRun.year.desc()))
    return render_template("identification/methodology.html", methodology=methodology,
                           plain=methodology_plain(methodology), versions=versions, used=used,
                           kinds=CRITERION_KINDS, can_edit=current_user.role in EDITORS)


@bp.route("/methodologies/<int:methodology_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def methodology_edit(methodology_id):
    methodology = _methodology_or_404(methodology_id)
    if not methodology.is_current:
        fail(409, "Это не последняя версия методики: изменяйте последнюю.")
    form = MethodologyForm() if request.method == "POST" else MethodologyForm(
        formdata=None, data=form_data(methodology))
    if request.method == "POST" and form.validate():
        saved = services.save_methodology(form.values(), current_user.id, methodology)
        audit("methodology_saved", saved, details=f"{saved.name}, версия {saved.version}")
        flash(f"Методика уже применялась, поэтому изменения сохранены как версия "
              f"{saved.version}." if saved.id != methodology.id else "Методика сохранена.",
              "success")
        return redirect(url_for("identification.methodology", methodology_id=saved.id),
                        code=303)
    return render_template("identification/methodology_form.html", form=form,
                           methodology=methodology), (422 if request.method == "POST" else 200)


# --- school context ---------------------------------------------------------------------------

@bp.route("/context", methods=["GET", "POST"])
@access(*EDITORS)
def context():
    year_form = YearForm(request.args)
    year = year_form.value or current_school_year()
    year_form.year.data = str(year)
    schools = services.schools()
    saved = services.contexts_of(year)
    errors, values, status = {}, None, 200
    form = ContextSaveForm()
    if request.method == "POST":
        if not form.validate():
            fail(400, "Форма устарела: обновите страницу.")
        rows, errors = read_context(request.form, [s.id for s in schools])
        if errors:
            values, status = request.form, 422
        else:
            count = services.save_contexts(year, rows, current_user.id)
            audit("school_context_saved", None, details=f"{school_year(year)}: {count} школ")
            flash(f"Данные о социальном контексте сохранены: {count} школ.", "success")
            return redirect(url_for("identification.context", year=year), code=303)
    return render_template("identification/context.html", schools=schools, saved=saved,
                           errors=errors, values=values, year=year, years=year_form, form=form,
                           upload=ContextImportForm(formdata=None), problems=[],
                           shares=CONTEXT_SHARES), status


@bp.route("/context/import", methods=["POST"])
@access(*EDITORS)
def context_import():
    """The context of a year from an .xlsx: errors by row and nothing saved, or all saved."""
    year_form = YearForm(request.args)
    year = year_form.value or current_school_year()
    form = ContextImportForm()
    problems = []
    if form.validate():
        upload = read_upload(form.file)
        if upload is not None:
            try:
                rows, problems = context_import_module.read(upload[1])
            except context_import_module.ImportProblem as problem:
                problems = [str(problem)]
            if not problems:  # shown first; saved only when the user confirms
                plain = {str(school): {k: str(v) if isinstance(v, Decimal) else v
                                       for k, v in values.items()}
                         for school, values in rows.items()}
                token = save_pending(current_app.config["STORAGE_DIR"], current_user.id,
                                     upload[0], {"year": year, "rows": plain})
                return _context_preview(year, plain, token, upload[0])
    problems = problems or form.file.errors or ["Выберите файл .xlsx."]
    year_form.year.data = str(year)
    return render_template("identification/context.html", schools=services.schools(),
                           saved=services.contexts_of(year), errors={}, values=None, year=year,
                           years=year_form, form=ContextSaveForm(), upload=form,
                           problems=problems, shares=CONTEXT_SHARES), 422


def _context_preview(year, rows, token, filename):
    schools = [s for s in services.schools() if str(s.id) in rows]
    return render_template("identification/context_preview.html", year=year, rows=rows,
                           schools=schools, saved=services.contexts_of(year), token=token,
                           filename=filename, shares=CONTEXT_SHARES, form=ConfirmForm())


@bp.route("/context/import/<token>", methods=["POST"])
@access(*EDITORS)
def context_import_confirm(token):
    """Save the previewed file: every school of it, or none."""
    folder = current_app.config["STORAGE_DIR"]
    pending = load_pending(folder, current_user.id, token)
    if pending is None or not ConfirmForm().validate_on_submit():
        flash("Предпросмотр устарел. Загрузите файл ещё раз.", "warning")
        return redirect(url_for("identification.context"), code=303)
    year = pending["data"]["year"]
    known = {s.id for s in services.schools()}  # a school deleted since the upload is skipped
    rows = {int(school): {k: Decimal(v) if k in CONTEXT_SHARES else v
                          for k, v in values.items()}
            for school, values in pending["data"]["rows"].items() if int(school) in known}
    count = services.save_contexts(year, rows, current_user.id)
    drop_pending(folder, token)
    audit("school_context_saved", None,
          details=f"{school_year(year)}: {count} школ из файла {pending['filename']}")
    flash(f"Загружено из файла: {count} школ.", "success")
    return redirect(url_for("identification.context", year=year), code=303)


@bp.route("/context/template.xlsx")
@access(*EDITORS)
def context_template():
    return send_bytes(context_import_module.template_xlsx(),
                      "Шаблон загрузки социального контекста.xlsx")


# --- runs -------------------------------------------------------------------------------------

@bp.route("/run", methods=["POST"])
@access(*EDITORS)
def run():
    form = _run_form()
    if not form.validate():
        return render_template("identification/index.html",
                               methodologies=services.methodologies(), runs=services.runs(),
                               form=form, can_edit=True), 422
    methodology = _methodology_or_404(form.methodology.data)
    year = int(form.year.data)
    try:
        saved = services.run_methodology(methodology, year, current_user.id)
    except IdentificationError as error:
        form.year.errors = [str(error)]
        return render_template("identification/index.html",
                               methodologies=services.methodologies(), runs=services.runs(),
                               form=form, can_edit=True), 422
    audit("identification_run", saved, details=f"{school_year(year)}: {methodology.name}, "
                                               f"версия {methodology.version}; в перечне "
                                               f"{saved.listed_count}")
    flash(f"Перечень рассчитан: {saved.listed_count} школ.", "success")
    return redirect(url_for("identification.list_page", run_id=saved.id), code=303)


# Rendered tables of list pages by (run, its version, filter, page, may edit): a list changes
# only through services (which bump the run's version), so a page is rendered once per worker.
TABLES_KEPT = 256


def _key(run, show, number, can_edit):
    """The cache key: the database and the run's creation time too, so another database's run
    with the same id never shows here."""
    return (current_app.config["DATABASE_URL"], run.id, str(run.created_at), run.version, show,
            number, can_edit)


def _table(run, page, show, can_edit, query):
    """The rendered rows of `page`; the rows are read from the database only on a miss."""
    def render():
        page.items = list(query.paginate(page.number, PER_PAGE))
        return Markup(render_template("identification/_list_rows.html", run=run, page=page,
                                      can_edit=can_edit))
    return cache.store("identification lists", TABLES_KEPT, max_age=3600).get_or_compute(
        _key(run, show, page.number, can_edit), render)


@bp.route("/lists/<int:run_id>")
@access(*STAFF)
def list_page(run_id):
    run = _run_or_404(run_id)
    show = request.args.get("show", "listed")
    if show not in services.FILTERS:
        show = "listed"
    query = services.rows_query(run, show)
    number = request.args.get("page", 1, type=int)
    can_edit = current_user.role in EDITORS and run.status == "draft"
    page = empty_page(query.count(), number, PER_PAGE)
    methodology = Methodology.get_by_id(run.methodology_id)
    return render_template("identification/list.html", run=run, page=page, show=show,
                           table=_table(run, page, show, can_edit, query),
                           filters=services.FILTERS, methodology=methodology,
                           criteria=methodology_plain(methodology)["criteria"],
                           document=(GeneratedDocument.get_or_none(
                               GeneratedDocument.id == run.document_id)
                               if run.document_id else None),
                           can_edit=can_edit,
                           can_publish=current_user.role in EDITORS, form=ConfirmForm())


def _row_or_404(run, row_id):
    row = IdentificationRow.get_or_none((IdentificationRow.id == row_id)
                                        & (IdentificationRow.run == run.id))
    if row is None:
        raise NotFound()
    return row


@bp.route("/lists/<int:run_id>/rows/<int:list_row_id>")
@access(*STAFF)
def row(run_id, list_row_id):
    """One school of a list: every criterion with its numbers and, for the centre, the form
    adding or removing it by hand."""
    run = _run_or_404(run_id)
    return _row_page(run, _row_or_404(run, list_row_id), ManualForm(formdata=None))


def _row_page(run, item, form, status=200):
    return render_template("identification/row.html", run=run, row=item, form=form,
                           can_edit=current_user.role in EDITORS and run.status == "draft"), status


@bp.route("/lists/<int:run_id>/rows/<int:list_row_id>", methods=["POST"])
@access(*EDITORS)
def row_change(run_id, list_row_id):
    """Add or remove a school by hand; the reason is required and shown in the list."""
    run = _run_or_404(run_id)
    item = _row_or_404(run, list_row_id)
    form = ManualForm()
    include = request.form.get("include") == "1"
    if not form.validate():
        return _row_page(run, item, form, 422)
    try:
        item = services.change_by_hand(run, item, include, form.reason.data, current_user.id)
    except IdentificationError as error:
        fail(409, str(error))
    audit("identification_manual", item, details=(
        f"{item.school_name}: {'включена' if include else 'исключена'} — {form.reason.data}"))
    flash("Перечень изменён.", "success")
    return redirect(url_for("identification.list_page", run_id=run.id, show="manual"), code=303)


# --- the approving order ----------------------------------------------------------------------

@bp.route("/lists/<int:run_id>/order", methods=["GET", "POST"])
@access(*STAFF)
def order(run_id):
    """The order approving a list: the centre downloads the draft, the department registers."""
    run = _run_or_404(run_id)
    if run.status != "draft":
        fail(409, "Перечень уже утверждён приказом или заменён новым расчётом.")
    issuer = order_issuer(current_user.organization)
    if request.method == "POST":
        form = ListOrderForm()
    else:
        defaults = list_order(issuer.full_name if issuer else "", date.today(), run.year,
                              issuer.head_position if issuer else "",
                              issuer.head_name if issuer else "")
        form = ListOrderForm(formdata=None, data={name: defaults[name] for name in (
            "order_date", "heading", "preamble", "signer_position", "signer_name",
            "executor_note")})
    may_register = current_user.role in REGISTRARS
    if request.method == "POST" and form.validate():
        record = {"order": form.order(list_order, issuer, run.year), "run": run}
        if request.form.get("preview"):
            return send_bytes(documents.render(services.DOCTYPE, record),
                              f"Проект приказа об утверждении перечня {run.year}-"
                              f"{run.year + 1}.docx")
        if not may_register:
            fail(403, "Зарегистрировать приказ может управление образования; методический "
                      "центр готовит проект.")
        if issuer is None:
            fail(403, "Приказ издаёт организация: привяжите учётную запись к организации.")
        try:
            document = services.approve(run, record["order"], current_user.id, issuer.id)
        except IdentificationError as error:
            fail(409, str(error))
        audit("identification_approved", document,
              details=f"№ {document.number}: {school_year(run.year)}, {run.listed_count} школ")
        flash(f"Приказ зарегистрирован: № {document.number} от "
              f"{document.registered_on:%d.%m.%Y}. Статусы школ на {school_year(run.year)} "
              "учебный год установлены.", "success")
        return redirect(url_for("identification.list_page", run_id=run.id), code=303)
    return render_template("identification/order.html", run=run, form=form, issuer=issuer,
                           may_register=may_register), (422 if form.errors else 200)


@bp.route("/lists/<int:run_id>/publish", methods=["POST"])
@access(*EDITORS)
def publish(run_id):
    run = _run_or_404(run_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    if run.status != "approved" or not run.document_id:
        fail(409, "Опубликовать можно перечень, утверждённый приказом.")
    document = services.publish(run)
    audit("identification_published", document, details=f"{school_year(run.year)}")
    flash("Приказ об утверждении перечня и методика опубликованы на сайте.", "success")
    return redirect(url_for("identification.list_page", run_id=run.id), code=303)


# --- the public site --------------------------------------------------------------------------

@bp.route("/public/<int:run_id>")
@access(ANONYMOUS)
def public(run_id):
    """A published list with the methodology that produced it (the public site)."""
    run = (IdentificationRun.select(IdentificationRun).join(
        GeneratedDocument, on=(IdentificationRun.document == GeneratedDocument.id))
        # An approved list later amended by a new order stays on the site with its order.
        .where((IdentificationRun.id == run_id) & (GeneratedDocument.status == "published"))
        .first())
    if run is None:
        raise NotFound()
    methodology = Methodology.get_by_id(run.methodology_id)
    rows = list(services.rows_query(run, "listed"))
    return render_template("identification/public.html", run=run, rows=rows,
                           methodology=methodology, plain=methodology_plain(methodology),
                           document=GeneratedDocument.get_by_id(run.document_id))
