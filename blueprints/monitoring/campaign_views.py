"""Campaigns: the list, the form, launch with its order, copy from the previous period,
completeness and reminders."""
from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from models import MonitoringReport

from ..auth.access import ALL_USERS, STAFF, access
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.filters import date_num, plural_ru
from ..core.forms import ConfirmForm
from ..core.htmx import render_page_or_fragment
from ..core.pagination import paginate
from ..core.rows import apply_action, parse_action
from ..documents import api as documents
from ..documents.requisites import executor_line, order_issuer
from ..jobs import engine as jobs
from . import batch
from . import campaigns as service
from .blueprint import bp, campaign_or_404
from .campaign_forms import CampaignForm, LaunchedCampaignForm, LaunchForm, MatrixFilterForm
from .documents import monitoring_order

EDITORS = ("admin", "centre")  # set campaigns up, close, copy, remind
# Every staff role may register the launching order (issued by the department): the centre
# launches its campaigns itself, the department may do it for the centre.
BLANK_ROW = {"section": "", "indicator": 0}


# --- the list ---------------------------------------------------------------------------------

def _page(query, count_query):
    return paginate(query, request.args.get("page", 1, type=int),
                    current_app.config["PER_PAGE"], count_query=count_query)


SCHOOL_ACTIONS = {"not_started": "Заполнить", "draft": "Продолжить",
                  "returned": "Исправить замечания"}


@bp.route("/campaigns")
@access(*ALL_USERS)
def campaigns():
    if current_user.role == "school":
        page = _page(*service.school_reports(current_user))
        return render_template("monitoring/campaigns_school.html", page=page,
                               today=date.today(), actions=SCHOOL_ACTIONS,
                               overdue=service.OVERDUE)
    return render_template("monitoring/campaigns.html", page=_page(*service.listing()),
                           can_create=current_user.role in EDITORS)


# --- create and edit --------------------------------------------------------------------------

def _choices(form):
    form.methodist.choices = [(0, "— не назначен —"), *service.methodist_choices()]
    if isinstance(form, CampaignForm):
        form.schools.choices = service.school_choices()
        form.indicator_choices = service.indicator_choices()
        form.count_schools = lambda scope: service.scope_query(scope).count()
    return form


def _form_page(form, campaign, status=200):
    return render_page_or_fragment(
        "monitoring/campaign_form.html", "monitoring/_campaign_form.html", status=status,
        form=form, campaign=campaign, indicator_choices=getattr(form, "indicator_choices", ()))


def _row_action(form, campaign):
    """Add, remove or move an indicator row of the posted form; nothing is saved."""
    parsed = parse_action(request.form.get("action"))
    if parsed is None or parsed[1] != "rows":
        return None
    op, _, index = parsed
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    data["rows"] = apply_action(data["rows"], op, index, lambda: dict(BLANK_ROW))
    return _form_page(_choices(CampaignForm(formdata=None, data=data)), campaign)


def _defaults():
    label, begins, ends, deadline = service.half_year()
    return {"title": f"Мониторинг позитивных изменений в ШНОР, {label}", "period_label": label,
            "period_start": begins, "period_end": ends, "deadline": deadline,
            "scope": "low_result", "rows": [dict(BLANK_ROW)],
            "methodist": current_user.id if current_user.role == "centre" else 0}


def _save_or_page(form, campaign):
    if not form.validate():
        return _form_page(form, campaign, 422)
    saved = service.save_campaign(form.values(), current_user.id, campaign)
    audit("monitoring.campaign_saved" if campaign else "monitoring.campaign_created", saved,
          details=saved.title)
    flash("Кампания сохранена." if campaign else "Кампания создана. Проверьте форму и "
          "сформируйте приказ о проведении мониторинга.", "success")
    return redirect(url_for("monitoring.campaign", campaign_id=saved.id), code=303)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@access(*EDITORS)
def campaign_create():
    if request.method == "GET":
        return _form_page(_choices(CampaignForm(formdata=None, data=_defaults())), None)
    form = _choices(CampaignForm())
    return _row_action(form, None) or _save_or_page(form, None)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def campaign_edit(campaign_id):
    campaign = campaign_or_404(campaign_id)
    if campaign.status != "draft":
        form = LaunchedCampaignForm() if request.method == "POST" else LaunchedCampaignForm(
            formdata=None, data={"title": campaign.title, "deadline": campaign.deadline,
                                 "methodist": campaign.methodist_id or 0})
        form.fixed_start = campaign.period_start
        _choices(form)
        if request.method == "POST":
            return _save_or_page(form, campaign)
        return _form_page(form, campaign)
    if request.method == "GET":
        data = {name: getattr(campaign, name) for name in (
            "title", "period_label", "period_start", "period_end", "deadline", "scope")}
        data.update(methodist=campaign.methodist_id or 0, schools=service.chosen_ids(campaign),
                    rows=service.form_rows(campaign.id) or [dict(BLANK_ROW)])
        return _form_page(_choices(CampaignForm(formdata=None, data=data)), campaign)
    form = _choices(CampaignForm())
    return _row_action(form, campaign) or _save_or_page(form, campaign)


# --- the campaign page ------------------------------------------------------------------------

@bp.route("/campaigns/<int:campaign_id>")
@access(*STAFF)
def campaign(campaign_id):
    campaign = campaign_or_404(campaign_id)
    filters = MatrixFilterForm(request.args)
    status = filters.value
    summary = service.summary(campaign)
    page = paginate(service.matrix_query(campaign, status), request.args.get("page", 1, type=int),
                    current_app.config["PER_PAGE"],
                    count_query=service.matrix_count(summary, status))
    service.matrix_rows(page.items, summary["late"])
    context = {"campaign": campaign, "page": page, "summary": summary, "filters": filters,
               "status": status, "form": ConfirmForm(), "can_edit": current_user.role in EDITORS,
               "summaries_form": batch.SummariesForm(),
               # The report links differ only by id: built once, not 500 url_for calls.
               "report_url": url_for("monitoring.report", report_id=0)[:-1]}
    if request.headers.get("HX-Target") == "campaign-matrix":
        return render_page_or_fragment("monitoring/campaign.html",
                                       "monitoring/_campaign_matrix.html", **context)
    sections = service.form_outline(campaign.id)
    planned = service.schools_of(campaign) if campaign.status == "draft" else []
    return render_template("monitoring/campaign.html", sections=sections,
                           indicator_count=sum(len(items) for _, items in sections),
                           planned=planned, **service.related(campaign), **context)


# --- the schools' summaries -------------------------------------------------------------------

@bp.route("/campaigns/<int:campaign_id>/summaries", methods=["POST"])
@access(*EDITORS)
def campaign_summaries(campaign_id):
    """«Справки для всех школ»: a summary per school whose report was sent or accepted,
    registered and converted as one background job (the jobs pages show «N из M»)."""
    campaign = campaign_or_404(campaign_id)
    form = batch.SummariesForm()
    if not form.validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    reports = batch.reports_of(campaign)
    if not reports:
        flash("Ни одна школа ещё не отправила отчёт: справки составлять не по чему.", "warning")
        return redirect(url_for("monitoring.campaign", campaign_id=campaign.id), code=303)
    job = jobs.start(batch.SCHOOL_SUMMARIES.key, [r.id for r in reports], current_user,
                     title=f"Справки о результатах мониторинга: {campaign.title} (школ: "
                           f"{len(reports)})", with_pdf=form.with_pdf.data)
    audit("job_started", details=f"{job.id} {job.title}")
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


# --- the launching order ----------------------------------------------------------------------

def _issuer():
    return order_issuer(current_user.organization)


def _order_from(form, campaign, issuer):
    record = service.order_record(campaign, {})
    return dict(record, order=form.order(monitoring_order, issuer, record["campaign"]))


def _order_defaults(campaign, issuer):
    record = service.order_record(campaign, {})
    methodist = record["campaign"]["methodist_name"]
    org = current_user.organization
    order = monitoring_order(issuer.full_name if issuer else "", date.today(),
                             record["campaign"], issuer.head_position if issuer else "",
                             issuer.head_name if issuer else "")
    note = executor_line(methodist, org.phone if org else "") if methodist else ""
    return {name: order[name] for name in ("order_date", "heading", "preamble",
                                           "signer_position", "signer_name")} | {
        "executor_note": note}


@bp.route("/campaigns/<int:campaign_id>/order", methods=["GET", "POST"])
@access(*STAFF)
def campaign_order(campaign_id):
    """«Сформировать приказ»: the centre (or the department) checks the order's requisites,
    downloads the draft and registers it; registration launches the campaign."""
    campaign = campaign_or_404(campaign_id)
    if campaign.status != "draft":
        if request.method == "POST":
            fail(409, "Кампания уже запущена: приказ о её проведении зарегистрирован.")
        return redirect(url_for("monitoring.campaign", campaign_id=campaign.id), code=303)
    issuer = _issuer()
    form = LaunchForm() if request.method == "POST" else LaunchForm(
        formdata=None, data=_order_defaults(campaign, issuer))
    problems = _launch_problems(campaign)
    if request.method == "POST" and form.validate():
        if request.form.get("preview"):
            data = documents.render(service.DOCTYPE, _order_from(form, campaign, issuer))
            return send_bytes(data, f"Проект приказа о проведении мониторинга {campaign.id}.docx")
        if problems:
            fail(409, " ".join(problems))
        if issuer is None:
            fail(409, "Приказ издаёт организация: привяжите свою учётную запись к организации.")
        record = _order_from(form, campaign, issuer)
        try:
            document = service.launch_campaign(campaign, record["order"], current_user.id,
                                               issuer.id)
        except service.CampaignError as error:
            fail(409, str(error))
        audit("monitoring.campaign_launched", campaign,
              details=f"{campaign.title}: приказ № {document.number} от "
                      f"{date_num(document.registered_on)}")
        flash(f"Приказ зарегистрирован: № {document.number} от "
              f"{date_num(document.registered_on)}. Сбор отчётов начат: школы видят свои "
              "отчёты.", "success")
        return redirect(url_for("monitoring.campaign", campaign_id=campaign.id), code=303)
    return render_template("monitoring/campaign_order.html", form=form, campaign=campaign,
                           issuer=issuer, problems=problems), (
        422 if form.errors else 200)


def _launch_problems(campaign):
    problems = []
    if not service.schools_of(campaign):
        problems.append("В кампании нет ни одной школы: выберите школы в настройках кампании.")
    if not service.form_rows(campaign.id):
        problems.append("В форме нет ни одного показателя: добавьте показатели в настройках.")
    return problems


# --- close, copy, remind ----------------------------------------------------------------------

@bp.route("/campaigns/<int:campaign_id>/close", methods=["GET", "POST"])
@access(*EDITORS)
def campaign_close(campaign_id):
    campaign = campaign_or_404(campaign_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.close_campaign(campaign)
        except service.CampaignError as error:
            fail(409, str(error))
        audit("monitoring.campaign_closed", campaign, details=campaign.title)
        flash("Сбор отчётов завершён: школы больше не могут отправлять отчёты.", "success")
        return redirect(url_for("monitoring.campaign", campaign_id=campaign.id), code=303)
    summary = service.summary(campaign)
    return render_template(
        "core/confirm.html", form=form, heading="Завершить сбор отчётов?",
        details=f"{campaign.title}: отправили {summary['sent']} из {summary['total']} "
                f"{plural_ru(summary['total'], 'школы', 'школ', 'школ')}.",
        button="Да, завершить сбор",
        warning="Школы больше не смогут отправить или исправить отчёты; не отправленные "
                "останутся без данных.",
        action=url_for("monitoring.campaign_close", campaign_id=campaign.id),
        cancel=url_for("monitoring.campaign", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/copy", methods=["POST"])
@access(*EDITORS)
def campaign_copy(campaign_id):
    source = campaign_or_404(campaign_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    copy = service.copy_campaign(source, current_user.id)
    audit("monitoring.campaign_copied", copy, details=f"{source.title} → {copy.title}")
    flash("Создана кампания на следующий период с той же формой и школами. Проверьте название, "
          "период и срок и сохраните.", "success")
    return redirect(url_for("monitoring.campaign_edit", campaign_id=copy.id), code=303)


@bp.route("/campaigns/<int:campaign_id>/remind", methods=["POST"])
@access(*EDITORS)
def campaign_remind(campaign_id):
    campaign = campaign_or_404(campaign_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    if campaign.status != "open":
        fail(409, "Напомнить можно, пока идёт сбор отчётов.")
    ids = {int(v) for v in request.form.getlist("report") if v.isascii() and v.isdigit()
           and len(v) < 10}
    reminded = service.remind(campaign, ids, everyone=bool(request.form.get("everyone")))
    for report_id, school_id, name in reminded:
        audit("monitoring.remind", MonitoringReport(id=report_id),
              details=f"{campaign.title}: {name}")
    if reminded:
        flash(f"Напоминание отправлено: {len(reminded)} "
              f"{plural_ru(len(reminded), 'школа', 'школы', 'школ')} (уведомление в Опоре и "
              "письмо тем, кто указал почту).", "success")
    else:
        flash("Отметьте школы, которые ещё не отправили отчёт.", "warning")
    return redirect(url_for("monitoring.campaign", campaign_id=campaign.id), code=303)

