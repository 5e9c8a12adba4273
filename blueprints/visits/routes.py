"""Curators and visits: the centre assigns curators to listed schools; a curator sees their
schools with what is late, plans visits, writes them up (findings per risk factor,
recommendations added in place), registers the report and turns the recommendations into
road-map activities."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import (Curatorship, GeneratedDocument, RoadmapActivity, User, Visit, VisitFinding,
                    VisitRecommendation, current_school_year, school_year, year_bounds)

from ..auth.access import ALL_USERS, access, get_visible_or_404
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.forms import ConfirmForm
from ..core.htmx import render_page_or_fragment
from ..core.pagination import paginate
from ..core.rows import apply_action, parse_action
from ..documents import api as documents
from ..documents.storage import storage
from . import reads, services
from .forms import CuratorshipForm, ToRoadmapForm, VisitPlanForm, VisitReportForm

bp = Blueprint("visits", __name__, url_prefix="/visits")

EDITORS = ("centre", "admin")  # assign curators, publish; may write up any visit
WRITERS = ("school", "centre", "admin")  # curators (leader-school staff, methodists), centre
BLANK = {"recommendations": lambda: {"text": "", "deadline_text": "", "responsible": ""}}
PER_PAGE = 30


def _visit_or_404(visit_id):
    """A visit the user may read: staff any, a curator only their own."""
    return get_visible_or_404(Visit.visible_to(current_user), Visit, visit_id)


def _writable_or_404(visit_id):
    """A visit the user may change: the centre any; a curator their own, while the school is
    still curated by them (a visit report for a school not assigned to them is refused)."""
    visit = _visit_or_404(visit_id)
    if current_user.role not in EDITORS and not Curatorship.curates(current_user,
                                                                      visit.school_id):
        fail(403, f"{visit.school.short_name} сейчас не закреплена за вами как за куратором: "
                  "справку по этому выезду изменить нельзя.")
    return visit


def _fail_on(error):
    fail(error.status, str(error))


# --- the curator's home and the list --------------------------------------------------------

@bp.route("/")
@access(*ALL_USERS)
def index():
    today = date.today()
    curatorships = reads.curatorships_for(current_user, today)
    mine = [c for c in curatorships if c.curator_id == current_user.id]
    states = reads.school_states(mine, today)
    query = (Visit.visible_to(current_user).select_extend(User)  # the curator on every row
             .switch(Visit).join(User, on=(Visit.curator == User.id))
             .order_by(Visit.visit_date.desc(), Visit.id.desc()))
    page = paginate(query, request.args.get("page", type=int), PER_PAGE,
                    Visit.visible_to(current_user))
    return render_template("visits/index.html", states=states, today=today,
                           curatorships=curatorships if current_user.is_staff else [],
                           page=page, may_plan=bool(mine) or current_user.role in EDITORS)


# --- curators -------------------------------------------------------------------------------

def _curator_choices(form):
    year = current_school_year()
    form.curator.choices = [("", "— выберите —")] + [
        (str(u.id), f"{u.full_name} — {u.organization.short_name}"
         f"{', ' + u.position if u.position else ''}") for u in services.possible_curators()]
    form.school.choices = [("", "— выберите —")] + [
        (str(s.id), s.short_name) for s in services.listed_schools(year)]
    return year


@bp.route("/curators", methods=["GET", "POST"])
@access(*EDITORS)
def curators():
    form = CuratorshipForm()
    year = _curator_choices(form)
    status = 200
    if request.method == "GET":
        form.date_from.data = max(date.today(), year_bounds(year)[0])
        form.date_to.data = year_bounds(year)[1]
    elif form.validate():
        try:
            if not (form.curator.data.isdigit() and form.school.data.isdigit()):
                raise services.VisitError("Выберите куратора и школу из списков.")
            curatorship = services.assign_curator(int(form.curator.data), int(form.school.data),
                                                  form.date_from.data, form.date_to.data,
                                                  current_user.id)
        except services.VisitError as error:
            form.school.errors = list(form.school.errors) + [str(error)]
            status = error.status
        else:
            audit("curator_assigned", curatorship,
                  details=f"{curatorship.curator.full_name} → {curatorship.school.short_name}, "
                          f"{curatorship.date_from:%d.%m.%Y}–{curatorship.date_to:%d.%m.%Y}")
            flash(f"Куратор назначен: {curatorship.curator.full_name} — "
                  f"{curatorship.school.short_name}.", "success")
            return redirect(url_for("visits.curators"), code=303)
    else:
        status = 422
    rows = reads.curatorships_from(date.today())
    return render_template("visits/curators.html", form=form, rows=rows, year=school_year(year),
                           listed=len(form.school.choices) - 1,
                           today=date.today()), status


@bp.route("/curators/<int:curatorship_id>/end", methods=["GET", "POST"])
@access(*EDITORS)
def end_curatorship(curatorship_id):
    curatorship = get_visible_or_404(Curatorship.select(), Curatorship, curatorship_id)
    who = f"{curatorship.curator.full_name} — {curatorship.school.short_name}"
    form = ConfirmForm()
    if not form.validate_on_submit():  # the page asks first: the curator loses the reading
        return render_template(
            "core/confirm.html", form=form, heading=f"Прекратить кураторство: {who}?",
            details="", button="Да, прекратить",
            warning="С сегодняшнего дня куратор больше не видит программу, дорожную карту, "
                    "отчёты и рисковый профиль школы; его выезды и справки сохранятся.",
            action=url_for("visits.end_curatorship", curatorship_id=curatorship.id),
            cancel=url_for("visits.curators")), 200 if request.method == "GET" else 400
    services.end_curatorship(curatorship)
    audit("curator_ended", curatorship, details=who)
    flash(f"Кураторство прекращено: {who}.", "success")
    return redirect(url_for("visits.curators"), code=303)


# --- planning ---------------------------------------------------------------------------------

def _plan_choices(form):
    today = date.today()
    options = [c for c in reads.curatorships_for(current_user, today)
               if current_user.role in EDITORS or c.curator_id == current_user.id]
    form.curatorship.choices = [("", "— выберите —")] + [
        (str(c.id), c.school.short_name if c.curator_id == current_user.id
         else f"{c.school.short_name} (куратор {c.curator.full_name})") for c in options]
    return {c.id: c for c in options}


@bp.route("/new", methods=["GET", "POST"])
@access(*WRITERS)
def plan():
    form = VisitPlanForm()
    options = _plan_choices(form)
    status = 200
    if request.method == "POST":
        if form.validate():
            chosen = options.get(int(form.curatorship.data)) \
                if form.curatorship.data.isdigit() else None
            if chosen is None:
                form.curatorship.errors = list(form.curatorship.errors) + [
                    "Эта школа не закреплена за вами: выезд в неё не запланировать."]
                status = 422
            else:
                try:
                    visit = services.plan_visit(chosen, form.data, current_user.id)
                except services.VisitError as error:
                    form.visit_date.errors = list(form.visit_date.errors) + [str(error)]
                    status = error.status
                else:
                    audit("visit_planned", visit, details=f"{chosen.school.short_name}, "
                                                          f"{visit.visit_date:%d.%m.%Y}")
                    flash("Выезд запланирован.", "success")
                    return redirect(url_for("visits.show", visit_id=visit.id), code=303)
        else:
            status = 422
    return render_template("visits/plan.html", form=form, has_schools=bool(options)), status


# --- one visit --------------------------------------------------------------------------------

@bp.route("/<int:visit_id>")
@access(*ALL_USERS)
def show(visit_id):
    visit = _visit_or_404(visit_id)
    findings = list(VisitFinding.select().where(VisitFinding.visit == visit.id))
    by_factor = {f.risk_factor_id: f.text for f in findings}
    recommendations = list(visit.recommendations.order_by(VisitRecommendation.position))
    activities = {a.id: a for a in RoadmapActivity.select().where(RoadmapActivity.id.in_(
        [r.activity_id for r in recommendations if r.activity_id]))}
    document = (GeneratedDocument.get_or_none(GeneratedDocument.id == visit.document_id)
                if visit.document_id else None)
    may_write = current_user.role in WRITERS and (
        current_user.role in EDITORS or Curatorship.curates(current_user, visit.school_id))
    return render_template(
        "visits/show.html", visit=visit, factors=services.factors_for(visit),
        by_factor=by_factor, recommendations=recommendations, activities=activities,
        document=document, may_write=may_write, may_publish=current_user.role in EDITORS,
        pending=sum(1 for r in recommendations if not r.activity_id), form=ConfirmForm())


def _edit_form(visit, data=None):
    """The write-up form: from `data` (stored values, a row action's result) or the request."""
    form = VisitReportForm(formdata=None, data=data) if data is not None else VisitReportForm()
    form.period = services.visit_period(visit)
    return form


def _stored_data(visit):
    rows = [{"text": r.text, "deadline_text": r.deadline_text, "responsible": r.responsible}
            for r in visit.recommendations.order_by(VisitRecommendation.position)]
    return {"visit_date": visit.visit_date, "purpose": visit.purpose,
            "participants": visit.participants, "lessons": visit.lessons,
            "papers_checked": visit.papers_checked, "interviews": visit.interviews,
            "conclusion": visit.conclusion, "version": str(visit.version),
            "recommendations": rows or [BLANK["recommendations"]()]}


def _edit_page(visit, form, findings, status=200, error=None):
    return render_page_or_fragment(
        "visits/edit.html", "visits/_edit_form.html", status=status, visit=visit, form=form,
        factors=services.factors_for(visit), findings=findings, error=error)


@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
@access(*WRITERS)
def edit(visit_id):
    visit = _writable_or_404(visit_id)
    if not (visit.is_editable or visit.is_correctable):
        fail(409, services.PUBLISHED)
    if request.method == "GET":
        findings = {str(f.risk_factor.code): f.text for f in visit.findings}
        return _edit_page(visit, _edit_form(visit, data=_stored_data(visit)), findings)
    form = _edit_form(visit)
    posted = {k[len("finding-"):]: (v or "").strip() for k, v in request.form.items()
              if k.startswith("finding-")}
    parsed = parse_action(request.form.get("action"))
    if parsed is not None and parsed[1] in BLANK:  # add / remove a row; nothing is saved
        op, name, index = parsed
        data = form.data
        data[name] = apply_action(data[name], op, index, BLANK[name])
        data.pop("csrf_token", None)
        return _edit_page(visit, _edit_form(visit, data=data), posted)
    try:
        findings = services.posted_findings(visit, request.form)
    except services.VisitError as error:
        return _edit_page(visit, form, posted, 422, str(error))
    if not form.validate():
        return _edit_page(visit, form, posted, 422)
    rows = [{k: row[k] or "" for k in ("text", "deadline_text", "responsible")}
            for row in form.recommendations.data]
    correcting = visit.is_correctable
    try:
        visit = services.save_report(visit, form.data, findings, rows, int(form.version.data),
                                     author=current_user.id)
    except services.VisitError as error:
        return _edit_page(visit, form, posted, error.status, str(error))
    if correcting:
        audit("visit_corrected", visit, details=f"№ {visit.document.number}, редакция "
                                                f"{visit.document.version}")
        flash(f"Исправленная справка сохранена в реестре под прежним номером № "
              f"{visit.document.number}; прежняя редакция осталась в реестре.", "success")
        return redirect(url_for("visits.show", visit_id=visit.id), code=303)
    audit("visit_written", visit, details=f"{visit.school.short_name}, "
                                          f"{visit.visit_date:%d.%m.%Y}")
    flash("Справка сохранена. Проверьте её в .docx и зарегистрируйте.", "success")
    return redirect(url_for("visits.show", visit_id=visit.id), code=303)


@bp.route("/<int:visit_id>/delete", methods=["GET", "POST"])
@access(*WRITERS)
def delete(visit_id):
    """Cancel a visit that did not take place (or drop a report never registered): a
    registered report stays, it is a document of the register."""
    visit = _writable_or_404(visit_id)
    if not visit.is_editable:
        fail(409, "Справка по выезду зарегистрирована: отменить выезд нельзя.")
    form = ConfirmForm()
    label = f"{visit.school.short_name}, {visit.visit_date:%d.%m.%Y}"
    if form.validate_on_submit():
        try:
            services.delete_visit(visit)
        except services.VisitError as error:
            _fail_on(error)
        audit("visit_deleted", None, details=label)
        flash(f"Выезд отменён: {label}.", "success")
        return redirect(url_for("visits.index"), code=303)
    return render_template(
        "core/confirm.html", form=form, heading=f"Отменить выезд в {label}?", details="",
        button="Да, отменить выезд",
        warning="Выезд, его справка (не зарегистрированная) и рекомендации будут удалены. "
                "Мероприятия, уже добавленные в дорожную карту, останутся в ней.",
        action=url_for("visits.delete", visit_id=visit.id),
        cancel=url_for("visits.show", visit_id=visit.id))


@bp.route("/<int:visit_id>/report", methods=["POST"])
@access(*WRITERS)
def report(visit_id):
    visit = _writable_or_404(visit_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    centre = (current_user.organization_id if current_user.role in EDITORS
              and current_user.organization_id else services.centre_id())
    try:
        document = services.register_report(visit, current_user.id, centre)
    except services.VisitError as error:
        _fail_on(error)
    audit("visit_registered", visit, details=f"№ {document.number}")
    flash(f"Справка зарегистрирована: № {document.number} от "
          f"{document.registered_on:%d.%m.%Y}.", "success")
    return redirect(url_for("visits.show", visit_id=visit.id), code=303)


@bp.route("/<int:visit_id>/report.docx")
@access(*ALL_USERS)
def download(visit_id):
    visit = _visit_or_404(visit_id)
    if visit.document_id:  # registered: the file exactly as registered
        document = GeneratedDocument.get_by_id(visit.document_id)
        return send_bytes(storage().get(document.sha256),
                          f"Справка по итогам выезда № {document.number}.docx")
    return send_bytes(documents.render("visit_report", visit),
                      f"Проект справки по итогам выезда в {visit.school.short_name}.docx")


@bp.route("/<int:visit_id>/publish", methods=["POST"])
@access(*EDITORS)
def publish(visit_id):
    visit = _visit_or_404(visit_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    try:
        services.publish_report(visit)
    except services.VisitError as error:
        _fail_on(error)
    audit("visit_published", visit, details=f"№ {visit.document.number}")
    flash("Справка опубликована в открытом разделе.", "success")
    return redirect(url_for("visits.show", visit_id=visit.id), code=303)


@bp.route("/<int:visit_id>/to-roadmap", methods=["GET", "POST"])
@access(*WRITERS)
def to_roadmap(visit_id):
    """«Добавить рекомендации в дорожную карту»: the confirmation page lists what will be
    added where; the POST adds them all in one step."""
    visit = _writable_or_404(visit_id)
    pending = services.pending_recommendations(visit)
    maps, own = services.roadmaps_for(visit.school_id, staff=current_user.role in EDITORS)
    form = ToRoadmapForm()
    form.roadmap.choices = [(str(m.id), f"{m.title[:150]} ({m.period_start}–{m.period_end})"
                             + (" — школа участвует" if m.id in own else "")) for m in maps]
    status = 200
    if request.method == "POST":
        chosen = {str(m.id): m for m in maps}.get(form.roadmap.data or "")
        if not form.validate() or chosen is None:
            form.roadmap.errors = list(form.roadmap.errors) or ["Выберите дорожную карту."]
            status = 422
        else:
            try:
                activities = services.add_to_roadmap(visit, chosen, current_user.id)
            except services.VisitError as error:
                _fail_on(error)
            audit("visit_to_roadmap", visit,
                  details=f"{len(activities)} → «{chosen.title[:200]}»")
            flash(f"В дорожную карту добавлено мероприятий: {len(activities)}. Школа видит их "
                  "среди своих.", "success")
            return redirect(url_for("roadmaps.show", roadmap_id=chosen.id), code=303)
    if not pending and status == 200:
        flash("Все рекомендации этого выезда уже в дорожной карте.", "info")
        return redirect(url_for("visits.show", visit_id=visit.id), code=303)
    return render_template("visits/to_roadmap.html", visit=visit, pending=pending, form=form,
                           section=services.ROADMAP_SECTION, has_maps=bool(maps)), status
