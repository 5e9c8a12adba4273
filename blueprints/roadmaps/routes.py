"""Road maps: import with a preview, the table with filters and inline editing, execution
with evidence, the documents and the Excel exports."""
from collections import OrderedDict, defaultdict
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from peewee import JOIN
from werkzeug.exceptions import NotFound

from models import (ACTIVITY_STATUSES, ActivityChange, ActivityEvidence, ActivityOrganization,
                    Organization, Roadmap, RoadmapActivity, RoadmapSection, User)
from models.search import matches

from ..auth.access import ALL_USERS, STAFF, access, get_visible_or_404
from ..core import evidence
from ..core.downloads import send_bytes
from ..core.audit import audit
from ..core.errors import fail
from ..core.filters import plural_ru
from ..core.forms import ConfirmForm
from ..core.htmx import render_page_or_fragment, wants_fragment
from ..core.pagination import int_arg
from ..core.pending import drop_pending, load_pending, save_pending
from ..core.stash import keeps_typing, restore_form
from ..core.uploads import read_upload
from ..core.urls import site_url
from ..documents import api as docs  # `documents` is a view here
from ..documents.storage import storage
from . import cli, reminders, services
from .data import ACTIVITY_EVIDENCE, evidence_by_activity
from .forms import (ActivityForm, EvidenceForm, ExecutionForm, ImportForm, NewActivityForm,
                    RoadmapForm, SectionForm)
from .importer import RoadmapImportError, parse_roadmap
from .xlsx import report_xlsx, roadmap_xlsx

bp = Blueprint("roadmaps", __name__, url_prefix="/roadmaps", cli_group=None)
cli.register(bp)

STATUS_CLASSES = {"planned": "secondary", "in_progress": "primary", "done": "success",
                  "failed": "danger", "postponed": "warning", "cancelled": "dark"}


def _roadmap_or_404(roadmap_id):
    return get_visible_or_404(Roadmap.visible_to(current_user), Roadmap, roadmap_id)


def _activity_or_404(activity_id):
    activity = RoadmapActivity.get_or_none(RoadmapActivity.id == activity_id)
    if activity is None:
        raise NotFound()
    _roadmap_or_404(activity.roadmap_id)
    return activity


def _responsible_for(activity, user=None):
    """Staff edit every activity; a school only those naming it among the responsible."""
    user = current_user if user is None else user
    if user.role in STAFF:
        return True
    return ActivityOrganization.select().where(
        (ActivityOrganization.activity == activity.id)
        & (ActivityOrganization.organization == user.organization_id)).exists()


def _may_keep_typing(user, activity_id):
    """The stash keeps typing only for an activity this user may report on: the rule of
    `_reporter_or_403`, for a user whose session may have expired."""
    activity = RoadmapActivity.get_or_none(RoadmapActivity.id == activity_id)
    return (activity is not None and Roadmap.visible_to(user).where(
        Roadmap.id == activity.roadmap_id).exists() and _responsible_for(activity, user))


def _reporter_or_403(activity_id):
    activity = _activity_or_404(activity_id)
    if not _responsible_for(activity):
        fail(403, "Отмечать исполнение может ответственная организация или методический центр.")
    return activity


# --- list and import ------------------------------------------------------------------------

@bp.route("/")
@access(*ALL_USERS)
def index():
    roadmaps = list(Roadmap.visible_to(current_user).order_by(Roadmap.period_start.desc(),
                                                              Roadmap.id.desc()))
    counts = defaultdict(lambda: (0, 0, 0))
    counts.update((row.roadmap_id, (row.total, row.done or 0, row.overdue or 0))
                  for row in RoadmapActivity.progress(date.today()))
    return render_template("roadmaps/index.html", roadmaps=roadmaps, counts=counts,
                           can_import=current_user.role in STAFF)


@bp.route("/import", methods=["GET", "POST"])
@access(*STAFF)
def import_file():
    form = ImportForm()
    if request.method == "POST" and form.validate():
        upload = read_upload(form.file, "Выберите файл .docx или .xlsx.")
        if upload is not None:
            filename, data = upload
            period = _period(form)
            try:
                parsed = parse_roadmap(data, filename, max_bytes=current_app.config[
                    "MAX_UPLOAD_BYTES"], default_period=period)
            except RoadmapImportError as error:
                form.file.errors.append(str(error))
            else:
                token = save_pending(current_app.config["STORAGE_DIR"], current_user.id,
                                     filename, {"sha256": storage().put(data), "period": period})
                return render_template("roadmaps/preview.html", parsed=parsed, token=token,
                                       filename=filename, form=ConfirmForm(),
                                       same=services.same_roadmaps(parsed, filename))
    return render_template("roadmaps/import.html", form=form), 422 if form.errors else 200


def _period(form):
    if form.period_start.data:
        return form.period_start.data, form.period_end.data or form.period_start.data
    return None


@bp.route("/import/<token>", methods=["POST"])
@access(*STAFF)
def import_confirm(token):
    folder = current_app.config["STORAGE_DIR"]
    pending = load_pending(folder, current_user.id, token)
    if pending is None or not ConfirmForm().validate_on_submit():
        flash("Предпросмотр устарел. Загрузите файл ещё раз.", "warning")
        return redirect(url_for("roadmaps.import_file"), code=303)
    stored = pending["data"]
    period = tuple(stored["period"]) if stored["period"] else None
    try:
        parsed = parse_roadmap(storage().get(stored["sha256"]), pending["filename"],
                               default_period=period)
    except RoadmapImportError as error:
        fail(422, str(error))
    same = services.same_roadmaps(parsed, pending["filename"])
    if same and request.form.get("again") != "1":
        flash("Такая дорожная карта уже загружена. Отметьте «Загрузить ещё раз», если нужна "
              "вторая копия.", "warning")
        return render_template("roadmaps/preview.html", parsed=parsed, token=token,
                               filename=pending["filename"], form=ConfirmForm(), same=same), 409
    organization = current_user.organization_id or Organization.centre()
    roadmap = services.save_roadmap(parsed, organization, current_user.id, pending["filename"],
                                    period)
    drop_pending(folder, token)
    audit("roadmap_imported", roadmap, details=f"{pending['filename']}: "
                                               f"{len(parsed.activities)} мероприятий")
    flash(f"Дорожная карта загружена: разделов {len(parsed.sections)}, мероприятий "
          f"{len(parsed.activities)}.", "success")
    return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id), code=303)


# --- the road map page ----------------------------------------------------------------------

_ID = 987654321  # stands for an id in the link patterns below


def _links():
    """Link patterns for the rows, built once per page: a table of 300 activities would
    otherwise call url_for some 1 500 times (measured: a third of the page's time)."""
    def pattern(endpoint, **values):
        return url_for(endpoint, **values).replace(str(_ID), "{}")
    return {"activity": pattern("roadmaps.activity", activity_id=_ID),
            "edit": pattern("roadmaps.edit_activity", activity_id=_ID),
            "up": pattern("roadmaps.move_activity", activity_id=_ID, direction="up"),
            "down": pattern("roadmaps.move_activity", activity_id=_ID, direction="down"),
            "delete": pattern("roadmaps.delete_activity", activity_id=_ID),
            "document": pattern("documents.show", doc_id=_ID),
            "file": pattern("roadmaps.evidence_file", evidence_id=_ID)}


def _reportable(orgs):
    """Ids of the activities the user may report on (every one for staff)."""
    if current_user.role in STAFF:
        return None
    mine = current_user.organization_id
    return {activity_id for activity_id, links in orgs.items() if any(o.id == mine for o in links)}


def _filters():
    args = request.args
    month = args.get("month", "")
    # ASCII digits only (int("²") fails) and a year whose next month is a date: 0000 and 9999 are not.
    if month and not (len(month) == 7 and month.isascii() and month[:4].isdigit() and month[4] == "-"
                      and month[5:].isdigit() and 1 <= int(month[5:]) <= 12
                      and 1 <= int(month[:4]) < 9999):
        month = ""
    return {"status": args.get("status", "") if args.get("status") in ACTIVITY_STATUSES else "",
            "org": int_arg("org", 0), "month": month,
            "overdue": args.get("overdue") == "1", "mine": args.get("mine") == "1",
            "q": args.get("q", "").strip()[:200]}


def _in_month(activity, month):
    if not (activity.starts_on or activity.ends_on):
        return bool(activity.recurrence)
    year, number = int(month[:4]), int(month[5:])
    first = date(year, number, 1)
    last = date(year + number // 12, number % 12 + 1, 1)
    start = activity.starts_on or activity.ends_on
    return start < last and (activity.ends_on or start) >= first


def _table(roadmap, filters):
    """Sections with their (filtered) activities, progress, evidence and organisations."""
    today = date.today()
    sections = list(roadmap.sections.order_by(RoadmapSection.position))
    activities = list(RoadmapActivity.select().where(RoadmapActivity.roadmap == roadmap.id)
                      .order_by(RoadmapActivity.position))
    ids = [a.id for a in activities]
    orgs = defaultdict(list)
    for link in (ActivityOrganization.select(ActivityOrganization, Organization)
                 .join(Organization).where(ActivityOrganization.activity.in_(ids))):
        orgs[link.activity_id].append(link.organization)
    evidence = evidence_by_activity(ids, current_user)
    mine = current_user.organization_id
    condition = matches(RoadmapActivity, filters["q"])
    found = None if condition is None else {a.id for a in RoadmapActivity.select(
        RoadmapActivity.id).where((RoadmapActivity.roadmap == roadmap.id) & condition)}
    by_section = defaultdict(list)
    for activity in activities:
        by_section[activity.section_id].append(activity)
    rows = []
    for section in sections:
        items = by_section.get(section.id, [])
        shown = [a for a in items if (found is None or a.id in found)
                 and _matches(a, filters, orgs, today, mine)]
        rows.append({"section": section, "activities": shown, "total": len(items),
                     "done": sum(a.status == "done" for a in items)})
    summary = {"total": len(activities), "done": sum(a.status == "done" for a in activities),
               "overdue": sum(a.is_overdue(today) for a in activities)}
    all_orgs = {org.id: org for links in orgs.values() for org in links}
    return rows, summary, orgs, evidence, sorted(all_orgs.values(), key=lambda o: o.short_name)


def _matches(activity, filters, orgs, today, mine):
    if filters["status"] and activity.status != filters["status"]:
        return False
    if filters["org"] and filters["org"] not in {o.id for o in orgs[activity.id]}:
        return False
    if filters["mine"] and mine not in {o.id for o in orgs[activity.id]}:
        return False
    if filters["overdue"] and not activity.is_overdue(today):
        return False
    return not filters["month"] or _in_month(activity, filters["month"])


# Rendered tables per worker (per app), keyed by the road map's revision and last change:
# a 300-activity table takes ~45 ms to build and render and is read far more often than it
# changes.
CSRF_MARK = "\x00csrf\x00"  # the session's token is put in after the cache


def _cached_table(roadmap, filters):
    # What differs between viewers: staff or not, and the organisation («мои мероприятия»).
    viewer = (current_user.role in STAFF, current_user.organization_id)
    key = (roadmap.id, roadmap.revision, roadmap.updated_at, date.today(), viewer,
           tuple(sorted(filters.items())))
    _tables = current_app.extensions.setdefault("roadmap_tables", OrderedDict())
    if key not in _tables:
        rows, summary, orgs, evidence, responsible = _table(roadmap, filters)
        html = render_template(
            "roadmaps/_table.html", roadmap=roadmap, rows=rows, orgs=orgs, evidence=evidence,
            classes=STATUS_CLASSES, today=date.today(), is_staff=current_user.role in STAFF,
            links=_links(), reportable=_reportable(orgs), csrf_mark=CSRF_MARK)
        _tables[key] = (html, summary, responsible)
        while len(_tables) > 64:
            _tables.popitem(last=False)
    _tables.move_to_end(key)
    html, summary, responsible = _tables[key]
    return Markup(html.replace(CSRF_MARK, generate_csrf())), summary, responsible


@bp.route("/<int:roadmap_id>")
@access(*ALL_USERS)
def show(roadmap_id):
    roadmap = _roadmap_or_404(roadmap_id)
    filters = _filters()
    table, summary, responsible = _cached_table(roadmap, filters)
    if wants_fragment():
        return table
    return render_template(
        "roadmaps/show.html", roadmap=roadmap, table=table, summary=summary,
        responsible=responsible, filters=filters, statuses=ACTIVITY_STATUSES, today=date.today(),
        is_staff=current_user.role in STAFF, form=ConfirmForm())


@bp.route("/<int:roadmap_id>/remind", methods=["GET", "POST"])
@access(*STAFF)
def remind(roadmap_id):
    """The schools with overdue or soon-due activities, to remind at once (all preselected)."""
    roadmap = _roadmap_or_404(roadmap_id)
    due = reminders.due_by_school(roadmap)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate():
            fail(400, "Форма устарела: обновите страницу.")
        chosen = {int(v) for v in request.form.getlist("school") if v.isdigit() and len(v) < 10}
        if not chosen:
            flash("Отметьте школы, которым отправить напоминание.", "warning")
            return render_template("roadmaps/remind.html", roadmap=roadmap, due=due, form=form,
                                   chosen=chosen), 422
        reminded = reminders.remind(roadmap, chosen)
        for school in reminded:
            audit("roadmap.remind", roadmap, details=school.short_name)
        flash(f"Напоминание отправлено: {len(reminded)} "
              f"{plural_ru(len(reminded), 'школа', 'школы', 'школ')}.", "success")
        return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id), code=303)
    return render_template("roadmaps/remind.html", roadmap=roadmap, due=due, form=form,
                           chosen={school.id for school, _, _ in due})


# --- one activity: inline edit, execution, evidence, history -------------------------------

def _edit_form(activity, formdata=None):
    cls = ActivityForm if current_user.role in STAFF else ExecutionForm
    if formdata is not None:
        return cls(formdata=formdata)
    return cls(obj=activity, version=str(activity.version))


def _row(activity, status=200):
    orgs = {activity.id: [link.organization for link in activity.organizations.join(Organization)]}
    return render_template("roadmaps/_row.html", activity=activity, orgs=orgs,
                           evidence=evidence_by_activity([activity.id], current_user),
                           classes=STATUS_CLASSES, today=date.today(),
                           is_staff=current_user.role in STAFF, links=_links(),
                           reportable=_reportable(orgs)), status


@bp.route("/activities/<int:activity_id>/row")
@access(*ALL_USERS)
def row(activity_id):
    return _row(_activity_or_404(activity_id))


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@access(*ALL_USERS)
@keeps_typing(_may_keep_typing)
def edit_activity(activity_id):
    activity = _reporter_or_403(activity_id)
    posted = request.form if request.method == "POST" else restore_form()
    form = _edit_form(activity) if posted is None else _edit_form(activity, posted)
    if request.method == "POST" and form.validate():
        fields = [f for f in ("number", "title", "deadline_text", "responsible", "audience",
                              "expected_result", "status", "execution") if f in form]
        changes = {f: form[f].data or ("planned" if f == "status" else "") for f in fields}
        try:
            activity = services.update_activity(activity, changes, current_user.id,
                                                int(form.version.data))
        except services.EditConflict:
            fresh = RoadmapActivity.get_by_id(activity.id)
            form.version.data = str(fresh.version)
            form.form_errors.append(
                "Мероприятие уже изменил другой пользователь. Сохранённые значения: статус "
                f"«{fresh.status_label}», исполнение «{fresh.execution or '—'}». Ваши данные "
                "остались в форме: нажмите «Сохранить» ещё раз, чтобы записать их поверх.")
            return _edit_response(activity, form, 409)
        audit("roadmap_activity_updated", activity, details=", ".join(fields))
        if wants_fragment():
            return _row(activity)
        flash("Мероприятие сохранено.", "success")
        return redirect(url_for("roadmaps.activity", activity_id=activity.id), code=303)
    return _edit_response(activity, form, 422 if form.errors else 200)


def _edit_response(activity, form, status):
    return render_page_or_fragment("roadmaps/activity.html", "roadmaps/_edit_row.html",
                                   status=status, **_activity_context(activity, form))


def _activity_context(activity, form=None):
    return {"activity": activity, "roadmap": activity.roadmap,
            "form": form or _edit_form(activity), "evidence_form": EvidenceForm(),
            "evidence": evidence_by_activity([activity.id], current_user)[activity.id],
            "history": activity.changes.select(ActivityChange, User).join(
                User, JOIN.LEFT_OUTER).order_by(ActivityChange.id.desc()).limit(100),
            "orgs": [link.organization for link in activity.organizations.join(Organization)],
            "can_report": _responsible_for(activity), "is_staff": current_user.role in STAFF,
            "confirm": ConfirmForm(), "classes": STATUS_CLASSES,
            "fields": services.HISTORY_FIELDS}


@bp.route("/activities/<int:activity_id>")
@access(*ALL_USERS)
def activity(activity_id):
    return render_template("roadmaps/activity.html",
                           **_activity_context(_activity_or_404(activity_id)))


@bp.route("/activities/<int:activity_id>/evidence", methods=["POST"])
@access(*ALL_USERS)
def add_evidence(activity_id):
    activity = _reporter_or_403(activity_id)
    form = EvidenceForm()
    values = evidence.read_form(form, current_user)
    if values is not None:
        services.add_evidence(activity, current_user.id, organization=current_user.organization_id,
                              **values)
        audit("roadmap_evidence_added", activity, details=form.title.data or form.kind.data)
        flash("Подтверждение добавлено.", "success")
        return redirect(url_for("roadmaps.activity", activity_id=activity.id), code=303)
    context = _activity_context(activity)
    context["evidence_form"] = form
    return render_template("roadmaps/activity.html", **context), 422


@bp.route("/evidence/<int:evidence_id>/delete", methods=["GET", "POST"])
@access(*ALL_USERS)
def delete_evidence(evidence_id):
    item = ActivityEvidence.get_or_none(ActivityEvidence.id == evidence_id)
    if item is None:
        raise NotFound()
    activity = _reporter_or_403(item.activity_id)
    if not item.removable_by(current_user):
        fail(403, "Удалить подтверждение может только добавившая его организация "
                  "или методический центр.")
    if request.method == "GET":
        return evidence.confirm_removal(
            item, url_for("roadmaps.delete_evidence", evidence_id=item.id),
            url_for("roadmaps.activity", activity_id=activity.id))
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    services.remove_evidence(item, current_user.id)
    audit("roadmap_evidence_removed", activity, details=item.title)
    flash("Подтверждение удалено.", "success")
    return redirect(url_for("roadmaps.activity", activity_id=activity.id), code=303)


@bp.route("/evidence/<int:evidence_id>/file")
@access(*ALL_USERS)
def evidence_file(evidence_id):
    """Its organisation and staff download a file; another school gets 404 (files_visible_to)."""
    item = evidence.readable_file(ACTIVITY_EVIDENCE, current_user, evidence_id)
    if item is None:
        raise NotFound()
    _activity_or_404(item.activity_id)
    return evidence.send_file(item)



# --- structure (centre and department) -----------------------------------------------------

def _confirmed():
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")


def _back(roadmap_id, anchor=None):
    return redirect(url_for("roadmaps.show", roadmap_id=roadmap_id, _anchor=anchor), code=303)


@bp.route("/<int:roadmap_id>/edit", methods=["GET", "POST"])
@access(*STAFF)
def edit(roadmap_id):
    roadmap = _roadmap_or_404(roadmap_id)
    form = RoadmapForm(obj=roadmap) if request.method == "GET" else RoadmapForm()
    if request.method == "POST" and form.validate():
        fields = ("title", "period_start", "period_end", "approved_by", "approved_number",
                  "approved_on", "status")
        services.update_roadmap(roadmap, {f: form[f].data if form[f].data is not None
                                          else ("" if f != "approved_on" else None)
                                          for f in fields})
        audit("roadmap_updated", roadmap, details=form.title.data[:200])
        flash("Реквизиты дорожной карты сохранены.", "success")
        return _back(roadmap.id)
    return render_template(
        "core/simple_form.html", form=form, form_id="roadmap-form",
        fields=("title", "period_start", "period_end", "approved_by", "approved_number",
                "approved_on", "status"),
        heading="Реквизиты дорожной карты", back_url=url_for("roadmaps.show",
                                                             roadmap_id=roadmap.id),
        back_label=roadmap.title, action=url_for("roadmaps.edit", roadmap_id=roadmap.id)), (
        422 if form.errors else 200)


@bp.route("/<int:roadmap_id>/delete", methods=["GET", "POST"])
@access(*STAFF)
def delete(roadmap_id):
    roadmap = _roadmap_or_404(roadmap_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_roadmap(roadmap)
        audit("roadmap_deleted", details=roadmap.title[:200])
        flash("Дорожная карта удалена.", "success")
        return redirect(url_for("roadmaps.index"), code=303)
    return render_template(
        "core/confirm.html", form=form, heading=f"Удалить дорожную карту «{roadmap.title}»?",
        details=f"Мероприятий: {roadmap.activities.count()}.",
        warning="Карта, все её мероприятия, подтверждения и история будут удалены без "
                "возможности восстановления. Документы реестра останутся.",
        button="Да, удалить", action=url_for("roadmaps.delete", roadmap_id=roadmap.id),
        cancel=url_for("roadmaps.show", roadmap_id=roadmap.id))


def _section_or_404(section_id):
    section = RoadmapSection.get_or_none(RoadmapSection.id == section_id)
    if section is None:
        raise NotFound()
    return section


def _confirm_delete(remove, audit_action, label, roadmap_id, done, page):
    """GET: the confirmation page (`page`: heading, details, warning, action); POST: delete."""
    form = ConfirmForm()
    if form.validate_on_submit():
        roadmap = Roadmap.get_by_id(roadmap_id)
        remove()
        audit(audit_action, roadmap, details=label[:200])
        flash(done, "success")
        return _back(roadmap_id)
    return render_template("core/confirm.html", form=form, button="Да, удалить",
                           cancel=url_for("roadmaps.show", roadmap_id=roadmap_id), **page)


@bp.route("/sections/<int:section_id>/activities", methods=["POST"])
@access(*STAFF)
def add_activity(section_id):
    section = _section_or_404(section_id)
    form = NewActivityForm()
    if not form.validate():
        fail(422, "Напишите название мероприятия (не длиннее 3000 символов).")
    activity = services.add_activity(section, form.title.data, current_user.id)
    audit("roadmap_activity_added", activity, details=form.title.data[:200])
    return _back(section.roadmap_id, f"activity-{activity.id}")


@bp.route("/activities/<int:activity_id>/move/<any(up, down):direction>", methods=["POST"])
@access(*STAFF)
def move_activity(activity_id, direction):
    activity = _activity_or_404(activity_id)
    _confirmed()
    services.move_activity(activity, -1 if direction == "up" else 1)
    return _back(activity.roadmap_id, f"activity-{activity.id}")


@bp.route("/activities/<int:activity_id>/delete", methods=["GET", "POST"])
@access(*STAFF)
def delete_activity(activity_id):
    activity = _activity_or_404(activity_id)
    return _confirm_delete(
        lambda: services.delete_activity(activity), "roadmap_activity_deleted", activity.title,
        activity.roadmap_id, "Мероприятие удалено.", {
            "heading": "Удалить мероприятие?", "details": f"{activity.number} {activity.title}",
            "warning": "Мероприятие, его подтверждения и история будут удалены.",
            "action": url_for("roadmaps.delete_activity", activity_id=activity.id)})


@bp.route("/<int:roadmap_id>/sections", methods=["POST"])
@access(*STAFF)
def add_section(roadmap_id):
    roadmap = _roadmap_or_404(roadmap_id)
    form = SectionForm()
    if not form.validate():
        fail(422, "Напишите название раздела (не длиннее 1000 символов).")
    section = services.save_section(roadmap, form.number.data or "", form.title.data)
    audit("roadmap_section_saved", roadmap, details=section.heading)
    return _back(roadmap.id, f"section-{section.id}")


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@access(*STAFF)
def edit_section(section_id):
    section = _section_or_404(section_id)
    form = SectionForm(obj=section) if request.method == "GET" else SectionForm()
    if request.method == "POST" and form.validate():
        services.save_section(section.roadmap, form.number.data or "", form.title.data, section)
        audit("roadmap_section_saved", section.roadmap, details=form.title.data[:200])
        return _back(section.roadmap_id, f"section-{section.id}")
    return render_template(
        "core/simple_form.html", form=form, form_id="section-form", fields=("number", "title"),
        heading=f"Раздел: {section.heading}", back_url=url_for(
            "roadmaps.show", roadmap_id=section.roadmap_id), back_label=section.roadmap.title,
        action=url_for("roadmaps.edit_section", section_id=section.id)), (
        422 if form.errors else 200)


@bp.route("/sections/<int:section_id>/move/<any(up, down):direction>", methods=["POST"])
@access(*STAFF)
def move_section(section_id, direction):
    section = _section_or_404(section_id)
    _confirmed()
    services.move_section(section, -1 if direction == "up" else 1)
    return _back(section.roadmap_id, f"section-{section.id}")


@bp.route("/sections/<int:section_id>/delete", methods=["GET", "POST"])
@access(*STAFF)
def delete_section(section_id):
    section = _section_or_404(section_id)
    return _confirm_delete(
        lambda: services.delete_section(section), "roadmap_section_deleted", section.heading,
        section.roadmap_id, "Раздел удалён.", {
            "heading": f"Удалить раздел «{section.heading}»?",
            "details": f"В разделе мероприятий: {section.activities.count()}.",
            "warning": "Раздел и все его мероприятия с подтверждениями будут удалены.",
            "action": url_for("roadmaps.delete_section", section_id=section.id)})


# --- documents and exports -------------------------------------------------------------------

def _report_date():
    try:
        return date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        return date.today()


# The file in the URL → (doctype, file name, its .xlsx twin made from the same context).
DOWNLOADS = {
    "roadmap.docx": ("roadmap", "Дорожная карта", None),
    "roadmap.xlsx": ("roadmap", "Дорожная карта", roadmap_xlsx),
    "report.docx": ("roadmap_report", "Исполнение дорожной карты", None),
    "report.xlsx": ("roadmap_report", "Исполнение дорожной карты", report_xlsx),
}


@bp.route("/<int:roadmap_id>/<any(" + ", ".join(f"'{kind}'" for kind in DOWNLOADS) + "):kind>")
@access(*ALL_USERS)
def download(roadmap_id, kind):
    """A road-map document as `current_user` may see it, dated ?on= (today by default)."""
    roadmap = _roadmap_or_404(roadmap_id)
    key, name, export = DOWNLOADS[kind]
    on_date = _report_date()
    options = {"viewer": current_user, "site_url": site_url(), "on_date": on_date}
    if export is None:
        body, extension = docs.render(key, roadmap, **options), "docx"
    else:
        body, extension = export(docs.context(key, roadmap, **options)), "xlsx"
    return send_bytes(body, f"{name} {on_date:%d.%m.%Y}.{extension}")
