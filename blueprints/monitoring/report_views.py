"""School reports: the form with in-place checks and autosave, submission, review with
remarks, acceptance, filling on a school's behalf, attachments."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import NotFound

from models import (MonitoringCampaign, MonitoringReport, Organization, ReportEvidence,
                    ReportRemark)
from models.monitoring import REPORT_EDITABLE

from ..auth.access import ALL_USERS, access, get_visible_or_404
from ..core import evidence, review
from ..core.audit import audit
from ..core.autosave import EditConflict, form_version, new_token, status as autosave_status
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.evidence import EvidenceForm
from ..core.forms import ConfirmForm
from ..core.pending import drop_pending, load_pending, save_pending
from ..core.uploads import read_upload
from ..core.values import read_value
from . import reads, reports, stats, values_import
from .blueprint import bp, campaign_or_404, report_or_404
from .report_forms import (AnswerForm, RemarkForm, ValuesUploadForm, comment_name, label_of,
                           posted, report_form, value_name)

FILLERS = ("school", "centre", "admin")  # the department reads reports only
REVIEWERS = ("centre", "admin")
AUTOSAVE_TEXTS = {
    "conflict": "Отчёт изменён в другой вкладке или другим сотрудником. Нажмите «Сохранить», "
                "чтобы сравнить версии",
    "locked": "Отчёт отправлен или сбор завершён: изменения не сохраняются",
    "partial": "Сохранено в {at}, кроме полей с ошибками ({count}): исправьте их"}


def _may_fill(report, campaign):
    """The school (its own report: visibility already checked) or the centre, while the report
    is editable and the campaign collects."""
    return (report.fillable_by(current_user) and report.status in REPORT_EDITABLE
            and campaign.status == "open")


def _with_campaign(report_id, lean=False):
    """(report, campaign) in one query if `current_user` may see the report (report_or_404's
    rule); `lean`: only the columns a save needs (the autosave runs on every pause in typing)."""
    columns = (MonitoringReport, MonitoringCampaign) if not lean else (
        MonitoringReport.id, MonitoringReport.campaign, MonitoringReport.school,
        MonitoringReport.status, MonitoringCampaign.id, MonitoringCampaign.status)
    report = get_visible_or_404(MonitoringReport.visible_to(current_user).select(*columns),
                                MonitoringReport, report_id)
    return report, report.campaign


def _own_or_403(report):
    """A curator reads the curated school's report (visible_to) but never writes it."""
    if not report.fillable_by(current_user):
        fail(403, "Отчёт заполняет сама школа или методический центр; куратор его только "
                  "читает.")


def _fillable_or_fail(report_id):
    """(report, campaign) for a save: 404 for another school's report, 409 with the reason
    when it cannot change now."""
    report, campaign = _with_campaign(report_id)
    _own_or_403(report)
    if campaign.status != "open":
        fail(409, reports.CLOSED)
    if report.status not in REPORT_EDITABLE:
        fail(409, f"Отчёт {report.status_label.lower()}: изменять его нельзя, пока центр не "
                  "вернёт его на доработку.")
    return report, campaign


def _stored(report, indicators):
    texts, comments = reports.stored_texts(report.id)
    return ({i.code: texts.get(i.id, "") for i in indicators},
            {i.code: comments.get(i.id, "") for i in indicators})


def _rows(report, campaign, indicators, texts):
    """Per indicator what the page shows beside the input: the previous period's value and the
    change from it."""
    previous = reads.previous_values(campaign, [report.school_id]).get(report.school_id, {})
    rows = {}
    for indicator in indicators:
        before = previous.get(indicator.code)
        value, _ = read_value(indicator, texts.get(indicator.code, ""))
        rows[indicator.code] = {
            "previous": before.text if before is not None else "",
            "change": stats.change(reports.number_of(value),
                                   before.number if before is not None else None, indicator)}
    return rows


def _page(report, form=None, errors=None, missing=None, status=200, evidence_form=None):
    campaign = reads.campaign_of(report)
    indicators = reads.form_indicators(campaign.id)
    texts, comments = _stored(report, indicators)
    editable = _may_fill(report, campaign)
    errors_kept = editable and form is None
    if errors_kept:
        form = report_form(indicators, texts, comments, version=report.version,
                           token=new_token())
        # What was typed wrong and kept (an autosave stores it as typed) shows its message.
        errors = reports.check_report(indicators, reports.active_rules(), texts)
    remarks = list(report.remarks.order_by(ReportRemark.id))
    school = Organization.get_by_id(report.school_id)
    return render_template(
        "monitoring/report.html", report=report, campaign=campaign, school=school,
        sections=reads.sections(indicators), indicators=indicators, texts=texts,
        comments=comments, rows=_rows(report, campaign, indicators, texts), form=form,
        editable=editable, errors=errors or {}, errors_kept=errors_kept, missing=missing or [],
        remarks=review.by_field(remarks), open_remarks=[r for r in remarks if not r.is_answered],
        can_answer=editable, can_review=current_user.role in REVIEWERS
        and report.status == "submitted" and campaign.status != "draft",
        remark_form=RemarkForm(formdata=None), confirm=ConfirmForm(),
        evidence=reports.evidence_of(report, current_user), evidence_form=evidence_form
        or EvidenceForm(formdata=None), can_attach=editable, value_name=value_name,
        comment_name=comment_name, label_of=label_of, autosave_texts=AUTOSAVE_TEXTS), status


@bp.route("/reports/<int:report_id>")
@access(*ALL_USERS)
def report(report_id):
    return _page(report_or_404(report_id))


def _save(report, indicators):
    raw, comments = posted(indicators, request.form)
    return reports.save_report(
        report, indicators, raw, comments, form_version(request.form.get("version")),
        request.form.get("token", "")[:32], current_user.id,
        by_centre=current_user.role != "school")


@bp.route("/reports/<int:report_id>", methods=["POST"])
@access(*FILLERS)
def report_save(report_id):
    """The whole form («Сохранить», «Отправить в центр», or without JavaScript): saved whole
    or not at all; a wrong or (to send) missing value answers the page with the messages."""
    report, campaign = _fillable_or_fail(report_id)
    indicators = reads.form_indicators(campaign.id)
    form = report_form(indicators, formdata=request.form)
    raw, comments = posted(indicators, request.form)
    rules = reports.active_rules()
    sending = request.form.get("action") == "submit"
    errors = reports.check_report(indicators, rules, raw)
    missing = [i for i in indicators if not raw[i.code].strip()] if sending else []
    if errors or missing:
        return _page(report, form, errors, missing, status=422)
    arguments = (report, indicators, raw, comments, form_version(request.form.get("version")),
                 request.form.get("token", "")[:32], current_user.id,
                 current_user.role != "school", rules)
    try:
        if not sending:
            reports.save_report(*arguments)
            flash("Отчёт сохранён.", "success")
            return redirect(url_for("monitoring.report", report_id=report.id), code=303)
        number = reports.save_and_submit(*arguments)
    except EditConflict as conflict:
        return _conflict(report, indicators, conflict.stored)
    except reports.Incomplete as incomplete:  # e.g. a control character, or a rule changed
        return _page(report, form, incomplete.errors, incomplete.missing, status=422)
    except (reports.NotEditable, reports.InvalidTransition) as error:
        fail(409, str(error))
    audit("monitoring_report_submitted", report, details=f"редакция {number}")
    flash("Отчёт отправлен в методический центр.", "success")
    return redirect(url_for("monitoring.report", report_id=report.id), code=303)


def _conflict(report, indicators, stored):
    """Both values side by side; the user's typing stays in a form that can be re-sent."""
    if request.headers.get("HX-Request"):  # the autosave: only the indicator says so
        return autosave_status("conflict", AUTOSAVE_TEXTS), 409
    raw, comments = posted(indicators, request.form)
    theirs, their_comments = _stored(report, indicators)
    differences = []
    for indicator in indicators:
        code = indicator.code
        if raw[code].strip() != theirs[code]:
            differences.append((label_of(indicator), raw[code], theirs[code]))
        if comments[code].strip() != their_comments[code]:
            differences.append((f"Комментарий: {indicator.name}", comments[code],
                                their_comments[code]))
    keep = [(k, v) for k, v in request.form.items(multi=True)
            if k not in ("csrf_token", "version", "action")]
    url = url_for("monitoring.report", report_id=report.id)
    return render_template(
        "core/conflict.html", heading="Отчёт уже изменён", back_url=url,
        back_label="Отчёт", action=url, discard_url=url, differences=differences,
        posted=keep, stored=stored), 409


@bp.route("/reports/<int:report_id>/autosave", methods=["POST"])
@access(*FILLERS)
def report_autosave(report_id):
    """htmx after a pause in typing: check every field, store the correct ones, answer the
    indicator and each field's messages (out-of-band), with no reload."""
    report, campaign = _with_campaign(report_id, lean=True)
    if not _may_fill(report, campaign):
        return autosave_status("locked", AUTOSAVE_TEXTS), 409
    indicators = reads.form_indicators(campaign.id)
    try:
        version, errors = _save(report, indicators)
    except EditConflict:
        return autosave_status("conflict", AUTOSAVE_TEXTS), 409
    except reports.NotEditable:
        return autosave_status("locked", AUTOSAVE_TEXTS), 409
    state = "partial" if errors else "saved"
    body = autosave_status(state, AUTOSAVE_TEXTS, version=version, count=len(errors))
    if report.status == "not_started":  # the first save made it a draft: the badge says so
        report.status = "draft"
    return body + render_template("monitoring/_report_checks.html", indicators=indicators,
                                  errors=errors, value_name=value_name, report=report)


# --- review -----------------------------------------------------------------------------------

def _back(report, anchor=None):
    return redirect(url_for("monitoring.report", report_id=report.id, _anchor=anchor), code=303)


@bp.route("/reports/<int:report_id>/remarks", methods=["POST"])
@access(*REVIEWERS)
def report_remark(report_id):
    report = report_or_404(report_id)
    form = RemarkForm()
    labels = {i.code: i.name for i in reads.form_indicators(report.campaign_id)}
    field = form.field.data or ""
    if field and field not in labels:
        fail(422, "Такого показателя в форме нет.")
    if not form.validate():
        fail(422, "Замечание не добавлено: " + " ".join(
            e for errors in form.errors.values() for e in errors))
    try:
        reports.add_remark(report, field, labels.get(field, "Отчёт в целом"), form.text.data,
                           current_user.id)
    except reports.InvalidTransition as error:
        fail(409, str(error))
    audit("monitoring_report_commented", report,
          details=f"{labels.get(field, 'отчёт')}: {form.text.data[:200]}")
    flash("Замечание добавлено.", "success")
    return _back(report, "review")


@bp.route("/report-remarks/<int:remark_id>/answer", methods=["POST"])
@access(*FILLERS)
def report_remark_answer(remark_id):
    remark = ReportRemark.get_or_none(ReportRemark.id == remark_id)
    if remark is None:
        raise NotFound()
    report = report_or_404(remark.report_id)
    _own_or_403(report)
    form = AnswerForm()
    if not form.validate():
        fail(422, " ".join(e for errors in form.errors.values() for e in errors))
    try:
        reports.answer_remark(remark, report, form.answer.data or "", current_user.id)
    except reports.InvalidTransition as error:
        fail(409, str(error))
    audit("monitoring_report_remark_answered", report, details=remark.text[:200])
    flash("Замечание отмечено как учтённое.", "success")
    return _back(report, f"comment-{remark.id}")


def _transition(report_id, action, audit_action, message):
    report = report_or_404(report_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    try:
        action(report)
    except reports.InvalidTransition as error:
        fail(409, str(error))
    audit(audit_action, report)
    flash(message, "success")
    return _back(report)


@bp.route("/reports/<int:report_id>/return", methods=["POST"])
@access(*REVIEWERS)
def report_return(report_id):
    return _transition(report_id, reports.return_report, "monitoring_report_returned",
                       "Отчёт возвращён школе на доработку с замечаниями.")


@bp.route("/reports/<int:report_id>/accept", methods=["POST"])
@access(*REVIEWERS)
def report_accept(report_id):
    return _transition(report_id, reports.accept_report, "monitoring_report_accepted",
                       "Отчёт принят.")


# --- attachments ------------------------------------------------------------------------------

@bp.route("/reports/<int:report_id>/evidence", methods=["POST"])
@access(*FILLERS)
def report_evidence_add(report_id):
    report, _ = _fillable_or_fail(report_id)
    form = EvidenceForm()
    values = evidence.read_form(form, current_user)
    if values is None:
        return _page(report, evidence_form=form, status=422)
    reports.add_evidence(report, current_user.id, current_user.organization_id, **values)
    audit("monitoring_evidence_added", report, details=form.title.data or form.kind.data)
    flash("Приложение добавлено.", "success")
    return _back(report, "evidence")


@bp.route("/report-evidence/<int:report_evidence_id>/delete", methods=["GET", "POST"])
@access(*FILLERS)
def report_evidence_delete(report_evidence_id):
    item = ReportEvidence.get_or_none(ReportEvidence.id == report_evidence_id)
    if item is None:
        raise NotFound()
    report, _ = _fillable_or_fail(item.report_id)
    if not item.removable_by(current_user):
        fail(403, "Удалить приложение может только добавившая его школа или методический центр.")
    if request.method == "GET":
        return evidence.confirm_removal(
            item, url_for("monitoring.report_evidence_delete", report_evidence_id=item.id),
            url_for("monitoring.report", report_id=report.id))
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    evidence.remove(item)
    audit("monitoring_evidence_removed", report, details=item.title)
    flash("Приложение удалено.", "success")
    return _back(report, "evidence")


@bp.route("/report-evidence/<int:report_evidence_id>/file")
@access(*ALL_USERS)
def report_evidence_file(report_evidence_id):
    """Staff and the school whose report it is download a file; another school gets 404."""
    item = evidence.readable_file(reports.EVIDENCE, current_user, report_evidence_id)
    if item is None:
        raise NotFound()
    report_or_404(item.report_id)
    return evidence.send_file(item)



# --- the .xlsx template and the import of many schools' values -------------------------------

def _campaign_for_import(campaign_id):
    campaign = campaign_or_404(campaign_id)
    if campaign.status != "open":
        fail(409, "Загружать значения можно, пока идёт сбор по кампании: "
                  f"сейчас она в статусе «{campaign.status_label}».")
    return campaign


@bp.route("/campaigns/<int:campaign_id>/values/template.xlsx")
@access(*REVIEWERS)
def values_template(campaign_id):
    campaign = campaign_or_404(campaign_id)
    data = values_import.template_xlsx(campaign, reads.form_indicators(campaign.id),
                                       reads.reports(campaign.id))
    return send_bytes(data, f"Шаблон значений — {campaign.title[:120]}.xlsx")


def _import_page(campaign, form, status=200):
    return render_template("monitoring/report_import.html", campaign=campaign, form=form), status


@bp.route("/campaigns/<int:campaign_id>/values/import", methods=["GET", "POST"])
@access(*REVIEWERS)
def values_import_file(campaign_id):
    campaign = _campaign_for_import(campaign_id)
    if request.method == "GET":
        return _import_page(campaign, ValuesUploadForm(formdata=None))
    form = ValuesUploadForm()
    if not form.validate():
        return _import_page(campaign, form, 422)
    upload = read_upload(form.file, "Выберите файл .xlsx.")
    if upload is None:
        return _import_page(campaign, form, 422)
    filename, data = upload
    indicators = reads.form_indicators(campaign.id)
    try:
        table = values_import.read_table(data, indicators, reads.reports(campaign.id),
                                         reports.active_rules())
    except values_import.ImportProblem as problem:
        form.file.errors.append(str(problem))
        return _import_page(campaign, form, 422)
    token = save_pending(current_app.config["STORAGE_DIR"], current_user.id, filename,
                         {"campaign": campaign.id, "table": table})
    return _import_preview(campaign, indicators, table, token, filename)


def _import_preview(campaign, indicators, table, token, filename, error=None):
    rows = table["rows"]
    bad = [r for r in rows if r["errors"]]
    by_code = {i.code: i for i in indicators}
    return render_template(
        "monitoring/report_import_preview.html", campaign=campaign, rows=rows, bad=bad,
        columns=[by_code[c] for c in table["columns"] if c in by_code], token=token,
        filename=filename, error=error, form=ConfirmForm(),
        skipped=[r for r in rows if r["status"] == "accepted" or r.get("empty")]), \
        422 if bad or error else 200


@bp.route("/campaigns/<int:campaign_id>/values/import/<token>", methods=["POST"])
@access(*REVIEWERS)
def values_import_confirm(campaign_id, token):
    campaign = _campaign_for_import(campaign_id)
    folder = current_app.config["STORAGE_DIR"]
    pending = load_pending(folder, current_user.id, token)
    if pending is None or pending["data"].get("campaign") != campaign.id \
            or not ConfirmForm().validate_on_submit():
        flash("Предпросмотр устарел. Загрузите файл ещё раз.", "warning")
        return redirect(url_for("monitoring.values_import_file", campaign_id=campaign.id),
                        code=303)
    table = pending["data"]["table"]
    indicators = reads.form_indicators(campaign.id)
    if any(r["errors"] for r in table["rows"]):
        return _import_preview(campaign, indicators, table, token, pending["filename"])
    try:
        written = reports.import_values(campaign, indicators, table["rows"], current_user.id)
    except reports.NotEditable as error:
        fail(409, str(error))
    drop_pending(folder, token)
    audit("monitoring_values_imported", campaign,
          details=f"{pending['filename']}: отчётов {written}")
    flash(f"Загружены значения отчётов: {written}. Отчёты отмечены как отправленные и "
          "заполненные центром за школы.", "success")
    return redirect(url_for("monitoring.campaign", campaign_id=campaign.id), code=303)
