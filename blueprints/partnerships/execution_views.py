"""Plan execution views: a plan row's page (mark done or back, evidence), the evidence files,
the register-document picker, the centre's page of a school year, and the report «Справка о
реализации плана взаимодействия» per pair and per year."""
from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import NotFound
from wtforms import BooleanField, DateField, MultipleFileField
from wtforms.validators import Optional

from models import GeneratedDocument, Organization, PlanRow, PlanRowEvidence, school_year

from ..auth.access import ALL_USERS, STAFF, access
from ..core import evidence
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.evidence import EvidenceForm
from ..core.forms import BaseForm, ConfirmForm, VersionedForm, text_field
from ..core.pagination import int_arg
from ..documents import api as docs
from ..documents.requisites import executor_line
from ..documents.storage import storage
from ..jobs import engine as jobs
from . import batch, execution, scans
from .batch import BulkForm
from .blueprint import bp, partnership_or_404


REPORTERS = ("school", "centre", "admin")  # the department reads the execution


class RowExecutionForm(VersionedForm):
    version_required = True
    done = BooleanField("Выполнено")
    done_on = DateField("Дата выполнения", validators=[Optional()])
    execution = text_field("Отметка о выполнении", 5000, area=True)


def _row_or_404(row_id):
    """The plan row if `current_user` may see its pair (another school's: 404)."""
    row = PlanRow.get_or_none(PlanRow.id == row_id)
    if row is None:
        raise NotFound()
    return row, partnership_or_404(row.partnership_id)


def _executor_or_403(row_id):
    row, pair = _row_or_404(row_id)
    if not execution.may_execute(pair, current_user):
        if pair.status not in execution.EXECUTABLE:
            fail(409, execution.not_executable_reason(pair))
        fail(403, "Отмечать выполнение плана могут школы пары и методический центр.")
    return row, pair


def _row_context(row, pair, form=None, evidence_form=None):
    if form is None:
        form = RowExecutionForm(version=str(row.version), done=row.status == "done",
                                done_on=row.done_on, execution=row.execution)
    return {"row": row, "pair": pair, "form": form, "evidence_form": evidence_form or EvidenceForm(),
            "evidence": execution.evidence_of([row.id], current_user)[row.id],
            "can_execute": execution.may_execute(pair, current_user), "confirm": ConfirmForm(),
            "today": date.today()}


@bp.route("/rows/<int:row_id>")
@access(*ALL_USERS)
def plan_row(row_id):
    row, pair = _row_or_404(row_id)
    return render_template("partnerships/plan_row.html", **_row_context(row, pair))


@bp.route("/rows/<int:row_id>/execution", methods=["POST"])
@access(*REPORTERS)
def mark_row(row_id):
    row, pair = _executor_or_403(row_id)
    form = RowExecutionForm()
    if form.validate():
        try:
            row = execution.mark(row, current_user.id, form.done.data, form.done_on.data,
                                 form.execution.data, int(form.version.data))
        except execution.EditConflict:
            fresh = PlanRow.get_by_id(row.id)
            form.version.data = str(fresh.version)
            form.form_errors.append(
                "Строку плана уже изменила другая сторона. Сохранено: "
                f"«{fresh.status_label}», отметка «{fresh.execution or '—'}». Ваши данные "
                "остались в форме: нажмите «Сохранить» ещё раз, чтобы записать их поверх.")
            return render_template("partnerships/plan_row.html",
                                   **_row_context(fresh, pair, form)), 409
        except execution.ExecutionError as error:
            form.form_errors.append(str(error))
        else:
            audit("partnership_row_marked", row, details=f"{pair.id}: {row.status}")
            flash("Отметка о выполнении сохранена.", "success")
            return redirect(url_for("partnerships.plan_row", row_id=row.id), code=303)
    return render_template("partnerships/plan_row.html", **_row_context(row, pair, form)), 422


@bp.route("/rows/<int:row_id>/evidence", methods=["POST"])
@access(*REPORTERS)
def add_row_evidence(row_id):
    row, pair = _executor_or_403(row_id)
    form = EvidenceForm()
    values = evidence.read_form(form, current_user)
    if values is None:
        return render_template("partnerships/plan_row.html",
                               **_row_context(row, pair, evidence_form=form)), 422
    execution.add_evidence(row, current_user.id, current_user.organization_id, **values)
    audit("partnership_evidence_added", row, details=form.title.data or form.kind.data)
    flash("Подтверждение добавлено.", "success")
    return redirect(url_for("partnerships.plan_row", row_id=row.id), code=303)


@bp.route("/plan-evidence/<int:plan_evidence_id>/delete", methods=["GET", "POST"])
@access(*REPORTERS)
def delete_row_evidence(plan_evidence_id):
    item = PlanRowEvidence.get_or_none(PlanRowEvidence.id == plan_evidence_id)
    if item is None:
        raise NotFound()
    row, _ = _executor_or_403(item.row_id)
    if not item.removable_by(current_user):
        fail(403, "Удалить подтверждение может только добавившая его школа "
                  "или методический центр.")
    if request.method == "GET":
        return evidence.confirm_removal(
            item, url_for("partnerships.delete_row_evidence", plan_evidence_id=item.id),
            url_for("partnerships.show", partnership_id=row.partnership_id))
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    evidence.remove(item)
    audit("partnership_evidence_removed", row, details=item.title)
    flash("Подтверждение удалено.", "success")
    return redirect(url_for("partnerships.plan_row", row_id=row.id), code=303)


@bp.route("/plan-evidence/<int:plan_evidence_id>/file")
@access(*ALL_USERS)
def row_evidence_file(plan_evidence_id):
    """Both schools of the pair and staff download a file; any other school gets 404."""
    item = evidence.readable_file(execution.PLAN_EVIDENCE, current_user, plan_evidence_id)
    if item is None:
        raise NotFound()
    _row_or_404(item.row_id)
    return evidence.send_file(item)



# --- the centre's view of a school year -------------------------------------------------------

def _year_arg():
    year = int_arg("year", 0)
    return year if 2000 <= year <= 2100 else execution.current_year()


@bp.route("/execution")
@access(*STAFF)
def execution_year():
    period_start = _year_arg()
    pairs = execution.year_pairs(period_start)
    per_pair = execution.counts([p.id for p in pairs])
    names = {o.id: o for o in Organization.select(Organization.id, Organization.short_name)}
    years = sorted(set(execution.years()) | {period_start}, reverse=True)
    return render_template("partnerships/execution.html", pairs=pairs, counts=per_pair,
                           totals=execution.totals(per_pair), names=names,
                           period_start=period_start, years=years, school_year=school_year)


# --- the report -------------------------------------------------------------------------------

REPORT_TITLE = "Справка о реализации плана взаимодействия"


def _report_record(period_start, pairs):
    organization = (Organization.get_or_none(Organization.id == current_user.organization_id)
                    if current_user.organization_id else None)
    return {"period_start": period_start, "pairs": pairs, "on_date": date.today(),
            "organization_name": organization.full_name if organization else "",
            "signer_position": (organization.head_position or "") if organization else "",
            "signer_name": (organization.head_name or "") if organization else "",
            # The executor (ГОСТ Р 7.0.97, requisite 27): who downloaded it, the office phone.
            "executor_note": executor_line(current_user.full_name,
                                           organization.phone if organization else "")}


def _send_report(record, name):
    if "partnership_report" not in docs.doctypes():
        fail(409, "Справка о реализации плана взаимодействия пока недоступна: её шаблон не "
                  "установлен.")
    data = docs.render("partnership_report", record)
    return send_bytes(data, f"{REPORT_TITLE} {name} {record['on_date']:%d.%m.%Y}.docx")


@bp.route("/<int:partnership_id>/report.docx")
@access(*ALL_USERS)
def pair_report(partnership_id):
    pair = partnership_or_404(partnership_id)
    audit("partnership_report", pair)
    return _send_report(_report_record(pair.period_start, [pair]),
                        f"{pair.leader.short_name} — {pair.partner.short_name}")


@bp.route("/execution/report.docx")
@access(*STAFF)
def year_report():
    period_start = _year_arg()
    pairs = execution.year_pairs(period_start)  # none: the report says so
    audit("partnership_report", details=school_year(period_start))
    return _send_report(_report_record(period_start, pairs),
                        f"{school_year(period_start).replace('/', '-')}")


def execution_context(pair):
    """What templates/partnerships/_execution.html shows on the pair page (a template global,
    so the page's own view needs to pass nothing)."""
    rows = execution.rows_of(pair)
    return {"rows": rows, "evidence": execution.evidence_of([r.id for r in rows], current_user),
            "counts": execution.counts([pair.id])[pair.id],
            "can_execute": execution.may_execute(pair, current_user),
            "executable": pair.status in execution.EXECUTABLE, "today": date.today()}


bp.add_app_template_global(execution_context, "partnership_execution")


# --- the signed scan ---------------------------------------------------------------------------

class ScanForm(BaseForm):
    files = MultipleFileField("Скан подписанного соглашения", description=(
        "PDF, JPEG или PNG; несколько страниц — несколько файлов, они будут объединены в один "
        "PDF в порядке выбора."))


@bp.route("/<int:partnership_id>/scan", methods=["POST"])
@access("school", "centre", "admin")
def upload_scan(partnership_id):
    """Either party school or the centre attaches the signed scan of the registered agreement;
    the pair becomes «signed». Bad input: 4xx with the reason, nothing stored."""
    pair = partnership_or_404(partnership_id)
    if not scans.may_upload(pair, current_user):
        fail(403, "Скан загружает школа пары или методический центр.")
    limit = current_app.config["SCAN_MAX_BYTES"]
    if not ScanForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    files = []
    for upload in request.files.getlist("files"):
        if not upload or not upload.filename:
            continue
        data = upload.read(limit + 1)
        if len(data) > limit:
            fail(413, f"Скан больше {limit // (1024 * 1024)} МБ.")
        files.append((upload.filename, data))
    try:
        document = scans.attach(pair, files, limit)
    except scans.ScanError as error:
        fail(error.status, str(error))
    audit("partnership_scan_uploaded", document,
          details=f"{pair.id}: {document.signed_size} байт, {document.signed_sha256}")
    flash("Скан подписанного соглашения загружен: соглашение подписано обеими сторонами.",
          "success")
    return redirect(url_for("partnerships.show", partnership_id=pair.id, _anchor="signed"),
                    code=303)


@bp.route("/<int:partnership_id>/signed.pdf")
@access(*ALL_USERS)
def signed_scan(partnership_id):
    """The signed agreement for both schools of the pair (the register shows it only to the
    document's organisation) and staff; always a download."""
    pair = partnership_or_404(partnership_id)
    document = (GeneratedDocument.get_or_none(GeneratedDocument.id == pair.agreement_id)
                if pair.agreement_id else None)
    if document is None or not document.signed_sha256:
        fail(409, "Скан подписанного соглашения ещё не загружен.")
    return send_bytes(storage().get(document.signed_sha256),
                      f"Соглашение № {document.number} (подписанное).pdf",
                      mimetype="application/pdf")


def _scan_body_limit():
    """The scan upload alone may be larger than the app's body limit: its own, a little above.
    Set before anything reads the body (CSRF protection does, in an earlier hook)."""
    if request.endpoint == "partnerships.upload_scan":
        request.max_content_length = current_app.config["SCAN_MAX_BYTES"] + 1024 * 1024


@bp.record_once
def _first_hook(state):
    state.app.before_request_funcs.setdefault(None, []).insert(0, _scan_body_limit)


def signed_context(pair):
    """What templates/partnerships/_signed.html shows (a template global)."""
    document = (GeneratedDocument.get_or_none(GeneratedDocument.id == pair.agreement_id)
                if pair.agreement_id else None)
    registered = (document is not None and pair.status in ("registered", "signed")
                  and document.status in ("registered", "published"))
    return {"document": document, "registered": registered,
            "can_upload": registered and scans.may_upload(pair, current_user),
            "can_publish": bool(document and document.signed_sha256)
            and current_user.role in ("admin", "centre"),
            "form": ScanForm(), "confirm": ConfirmForm(),
            "max_mb": current_app.config["SCAN_MAX_BYTES"] // (1024 * 1024)}


bp.add_app_template_global(signed_context, "partnership_signed")


# --- bulk agreements ---------------------------------------------------------------------------

def _bulk_form():
    form = BulkForm()
    form.year.choices = [(year, f"{school_year(year)} (пар по приказу: {count})")
                         for year, count in batch.years()]
    return form


@bp.route("/bulk", methods=["POST"])
@access(*STAFF)
def bulk_agreements():
    """«Сформировать соглашения для всех пар» of a school year (the pairs its approving order
    approved): one background job with
    «N из M» progress and one .zip (the jobs pages)."""
    form = _bulk_form()
    if not form.validate_on_submit():
        fail(400, "Выберите учебный год, пары которого утверждены приказом.")
    pairs = batch.pairs_of(form.year.data)
    if not pairs:
        flash("Нет пар, подтверждённых обеими сторонами: формировать нечего.", "warning")
        return redirect(url_for("partnerships.index"), code=303)
    job = jobs.start(batch.AGREEMENTS_REGISTER.key, [p.id for p in pairs], current_user,
                     title=f"Соглашения и планы взаимодействия (пар: {len(pairs)})",
                     with_pdf=form.with_pdf.data)
    audit("job_started", details=f"{job.id} {job.title}")
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


def bulk_context():
    """What templates/partnerships/_bulk.html shows (a template global)."""
    shown = current_user.is_authenticated and current_user.role in STAFF
    return {"shown": shown, "form": _bulk_form() if shown else None}


bp.add_app_template_global(bulk_context, "partnership_bulk")
