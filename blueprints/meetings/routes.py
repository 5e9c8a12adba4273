"""Councils, their members and meetings; the protocol, its extracts and registration."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import AgendaItem, Body, BodyMember, Decision, Meeting, MeetingGuest, Organization

from ..auth.access import STAFF, access, get_visible_or_404
from ..core.downloads import send_bytes
from ..core.audit import audit
from ..core.errors import fail
from ..core.forms import ConfirmForm, choices
from ..core.htmx import render_page_or_fragment
from ..core.pagination import int_arg, paginate
from ..documents import api as documents
from . import services
from .forms import BodyForm, MeetingForm, MemberForm, apply_row_action

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

EDITORS = ("admin", "centre")


def _body_or_404(body_id):
    return get_visible_or_404(Body.visible_to(current_user), Body, body_id)


def _meeting_or_404(meeting_id):
    return get_visible_or_404(Meeting.visible_to(current_user), Meeting, meeting_id)


def _editable_or_403(meeting_id):
    meeting = _meeting_or_404(meeting_id)
    if not meeting.is_draft:
        fail(403, "Протокол этого заседания зарегистрирован: заседание изменить нельзя.")
    return meeting


def _confirm(heading, warning, action, cancel):
    return render_template("core/confirm.html", form=ConfirmForm(), heading=heading, details="",
                           warning=warning, button="Да, удалить", action=action, cancel=cancel)


# --- councils ---------------------------------------------------------------------------------

@bp.route("/bodies/")
@access(*STAFF)
def bodies():
    rows = list(Body.visible_to(current_user).order_by(Body.name))
    counts = {b.id: b.members.where(BodyMember.is_active == True).count()  # noqa: E712
              for b in rows}
    return render_template("meetings/bodies.html", bodies=rows, counts=counts,
                           can_edit=current_user.role in EDITORS)


def _body_form(body=None):
    # The select holds ids: pass the id, not the Organization the object would give.
    form = BodyForm(obj=body, organization=body.organization_id) if body else BodyForm()
    if request.method == "GET" and body is None and current_user.organization_id:
        form.organization.data = current_user.organization_id
    organizations = Organization.select().where(
        Organization.kind.in_(["centre", "department"])).order_by(Organization.kind,
                                                                   Organization.short_name)
    form.organization.choices = choices(
        [("", "— выберите —")] + [(o.id, o.short_name) for o in organizations])
    return form


def _body_form_page(form, body):
    back = url_for("meetings.body", body_id=body.id) if body else url_for("meetings.bodies")
    return render_template(
        "core/simple_form.html", form=form, form_id="body-form",
        fields=("name", "name_genitive", "organization"),
        heading=f"Изменение: {body.name}" if body else "Новый совет или комиссия",
        back_url=back, back_label=body.name if body else "Советы и комиссии",
        action=url_for("meetings.edit_body", body_id=body.id) if body
        else url_for("meetings.create_body")), 422 if form.errors else 200


@bp.route("/bodies/new", methods=["GET", "POST"])
@access(*EDITORS)
def create_body():
    form = _body_form()
    if form.validate_on_submit():
        body = services.save_body(form.data)
        audit("body_created", body)
        flash(f"«{body.name}» добавлен. Теперь добавьте его состав.", "success")
        return redirect(url_for("meetings.body", body_id=body.id), code=303)
    return _body_form_page(form, None)


@bp.route("/bodies/<int:body_id>")
@access(*STAFF)
def body(body_id):
    body = _body_or_404(body_id)
    meetings = body.meetings.order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
    return render_template("meetings/body.html", body=body,
                           members=BodyMember.ordered(body.members), meetings=meetings,
                           can_edit=current_user.role in EDITORS)


@bp.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def edit_body(body_id):
    body = _body_or_404(body_id)
    form = _body_form(body)
    if form.validate_on_submit():
        services.save_body(form.data, body)
        audit("body_updated", body)
        flash("Изменения сохранены.", "success")
        return redirect(url_for("meetings.body", body_id=body.id), code=303)
    return _body_form_page(form, body)


@bp.route("/bodies/<int:body_id>/delete", methods=["GET", "POST"])
@access(*EDITORS)
def delete_body(body_id):
    body = _body_or_404(body_id)
    back = url_for("meetings.body", body_id=body.id)
    if ConfirmForm().validate_on_submit():
        try:
            services.delete_body(body)
        except services.InUse as error:
            flash(str(error), "danger")
            return redirect(back, code=303)
        audit("body_deleted", details=f"{body.id} {body.name}")
        flash(f"«{body.name}» удалён.", "success")
        return redirect(url_for("meetings.bodies"), code=303)
    return _confirm(f"Удалить «{body.name}»?", "Совет и его состав будут удалены без возможности "
                    "восстановления. Совет, у которого есть заседания, удалить нельзя.",
                    url_for("meetings.delete_body", body_id=body.id), back)


# --- members ----------------------------------------------------------------------------------

def _member_or_404(member_id):
    return get_visible_or_404(BodyMember.visible_to(current_user), BodyMember, member_id)


def _member_form_page(form, body, member):
    return render_template(
        "core/simple_form.html", form=form, form_id="member-form",
        fields=("full_name", "job_title", "role", "is_active"),
        heading=f"Изменение: {member.full_name}" if member else "Новый участник",
        back_url=url_for("meetings.body", body_id=body.id), back_label=body.name,
        action=url_for("meetings.edit_member", member_id=member.id) if member
        else url_for("meetings.create_member", body_id=body.id)), 422 if form.errors else 200


@bp.route("/bodies/<int:body_id>/members/new", methods=["GET", "POST"])
@access(*EDITORS)
def create_member(body_id):
    body = _body_or_404(body_id)
    form = MemberForm(body=body)
    if form.validate_on_submit():
        member = services.save_member(form.data, body)
        audit("body_member_created", member, details=member.full_name)
        flash(f"{member.full_name} добавлен(а) в состав.", "success")
        return redirect(url_for("meetings.body", body_id=body.id), code=303)
    return _member_form_page(form, body, None)


@bp.route("/members/<int:member_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def edit_member(member_id):
    member = _member_or_404(member_id)
    form = MemberForm(obj=member, body=member.body, member=member)
    if form.validate_on_submit():
        services.save_member(form.data, member.body, member)
        audit("body_member_updated", member, details=member.full_name)
        flash("Изменения сохранены.", "success")
        return redirect(url_for("meetings.body", body_id=member.body_id), code=303)
    return _member_form_page(form, member.body, member)


@bp.route("/members/<int:member_id>/delete", methods=["GET", "POST"])
@access(*EDITORS)
def delete_member(member_id):
    member = _member_or_404(member_id)
    back = url_for("meetings.body", body_id=member.body_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.delete_member(member)
        except services.InUse as error:
            flash(str(error), "danger")
            return redirect(back, code=303)
        audit("body_member_deleted", details=f"{member.id} {member.full_name}")
        flash(f"{member.full_name} удалён(а) из состава.", "success")
        return redirect(back, code=303)
    return _confirm(f"Удалить {member.full_name} из состава?",
                    "Человек, который упоминается в заседаниях, не удаляется: снимите у него "
                    "отметку «Входит в состав».",
                    url_for("meetings.delete_member", member_id=member.id), back)


# --- meetings ---------------------------------------------------------------------------------

@bp.route("/")
@access(*STAFF)
def index():
    visible = Body.visible_to(current_user).order_by(Body.name)
    query = Meeting.visible_to(current_user)
    body_id = int_arg("body")
    if body_id:
        query = query.where(Meeting.body == body_id)
    query = query.order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
    page = paginate(query, request.args.get("page", 1, type=int), current_app.config["PER_PAGE"])
    return render_template("meetings/index.html", page=page, bodies=list(visible),
                           body_id=body_id, can_edit=current_user.role in EDITORS)


def _meeting_form(body, meeting, **kwargs):
    return MeetingForm(**kwargs).set_members(services.meeting_members(body, meeting))


def _new_meeting_data(body):
    """A new meeting starts with today's date, the last meeting's place, the body's chair and
    secretary, every active member ticked, and one empty agenda item."""
    members = body.active_members()
    role = {m.role: m.id for m in reversed(members)}
    last = body.meetings.order_by(Meeting.meeting_date.desc(), Meeting.id.desc()).first()
    return {"meeting_date": date.today(), "place": last.place if last else "",
            "chair": role.get("chair"), "secretary": role.get("secretary"),
            "attendees": [m.id for m in members], "guests": [], "version": ""}


def _form_response(form, body, meeting, status=200):
    return render_page_or_fragment("meetings/form.html", "meetings/_form.html", status=status,
                                   form=form, body=body, meeting=meeting)


def _row_action(form, body, meeting):
    """Apply an add / remove / move button to the posted rows; nothing is saved."""
    data = form.data
    data.pop("csrf_token", None)
    moved = apply_row_action(data, request.form.get("action"))
    if moved is None:
        return None
    return _form_response(_meeting_form(body, meeting, formdata=None, data=moved), body, meeting)


@bp.route("/bodies/<int:body_id>/meetings/new", methods=["GET", "POST"])
@access(*EDITORS)
def create(body_id):
    body = _body_or_404(body_id)
    if request.method == "GET":
        form = _meeting_form(body, None, formdata=None, data=_new_meeting_data(body))
        return _form_response(form, body, None)
    form = _meeting_form(body, None)
    moved = _row_action(form, body, None)
    if moved is not None:
        return moved
    if form.validate():
        meeting = services.save_meeting(form.data, body.id, current_user.id)
        audit("meeting_created", meeting)
        flash("Заседание сохранено.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id), code=303)
    return _form_response(form, body, None, 422)


@bp.route("/<int:meeting_id>")
@access(*STAFF)
def show(meeting_id):
    meeting = _meeting_or_404(meeting_id)
    items = list(meeting.items.order_by(AgendaItem.position))
    decisions = {item.id: list(item.decisions.order_by(Decision.position)) for item in items}
    present = BodyMember.ordered(a.member for a in meeting.attendees)
    return render_template(
        "meetings/show.html", meeting=meeting, items=items, decisions=decisions,
        present=present, guests=meeting.guests.order_by(MeetingGuest.position),
        form=ConfirmForm(), can_edit=current_user.role in EDITORS and meeting.is_draft)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def edit(meeting_id):
    meeting = _editable_or_403(meeting_id)
    body = meeting.body
    if request.method == "GET":
        form = _meeting_form(body, meeting, formdata=None, data=services.form_data(meeting))
        return _form_response(form, body, meeting)
    form = _meeting_form(body, meeting)
    moved = _row_action(form, body, meeting)
    if moved is not None:
        return moved
    if form.validate():
        try:
            services.save_meeting(form.data, body.id, current_user.id, meeting)
        except services.EditConflict:
            flash("Заседание уже изменил другой пользователь. Ваши изменения не сохранены: "
                  "скопируйте нужный текст и откройте заседание заново.", "danger")
            return _form_response(form, body, meeting, 409)
        audit("meeting_updated", meeting)
        flash("Изменения сохранены.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id), code=303)
    return _form_response(form, body, meeting, 422)


@bp.route("/<int:meeting_id>/delete", methods=["GET", "POST"])
@access(*EDITORS)
def delete(meeting_id):
    meeting = _editable_or_403(meeting_id)
    if ConfirmForm().validate_on_submit():
        services.delete_meeting(meeting)
        audit("meeting_deleted", details=f"{meeting.id} {meeting.meeting_date}")
        flash("Заседание удалено.", "success")
        return redirect(url_for("meetings.body", body_id=meeting.body_id), code=303)
    return _confirm(f"Удалить заседание {meeting.meeting_date:%d.%m.%Y}?",
                    "Повестка дня, решения и список присутствовавших будут удалены без "
                    "возможности восстановления.",
                    url_for("meetings.delete", meeting_id=meeting.id),
                    url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/register", methods=["GET", "POST"])
@access(*EDITORS)
def register(meeting_id):
    meeting = _meeting_or_404(meeting_id)
    if request.method == "GET":  # asks first: a registered protocol gets its number for good
        return render_template(
            "core/confirm.html", form=ConfirmForm(), heading="Зарегистрировать протокол?",
            details="Протокол получит очередной номер; изменить его после этого нельзя.",
            warning="Проверьте текст в проекте протокола (.docx) перед регистрацией.",
            button="Да, зарегистрировать", button_class="btn-primary",
            action=url_for("meetings.register", meeting_id=meeting.id),
            cancel=url_for("meetings.show", meeting_id=meeting.id))
    back = redirect(url_for("meetings.show", meeting_id=meeting.id), code=303)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    try:
        document = services.register_meeting(meeting, current_user.id)
    except services.NotEditable:
        flash("Протокол уже зарегистрирован.", "warning")
        return back
    except services.NotReady as error:
        flash(f"Протокол нельзя зарегистрировать: {error}", "danger")
        return back
    audit("meeting_registered", document, details=f"№ {document.number}")
    flash(f"Протокол зарегистрирован: № {document.number} от "
          f"{document.registered_on:%d.%m.%Y}.", "success")
    return back


def _send_docx(data, name):
    return send_bytes(data, name)


@bp.route("/<int:meeting_id>/protocol.docx")
@access(*STAFF)
def protocol(meeting_id):
    """The draft protocol, marked «ПРОЕКТ»; a registered one is served by the register."""
    meeting = _meeting_or_404(meeting_id)
    if meeting.document is not None:
        return redirect(url_for("documents.download", doc_id=meeting.document_id))
    return _send_docx(documents.render("protocol", meeting),
                      f"Проект протокола {meeting.meeting_date:%d.%m.%Y}.docx")


@bp.route("/<int:meeting_id>/items/<int:number>/extract.docx")
@access(*STAFF)
def extract(meeting_id, number):
    """An extract of agenda item `number`, made on request from the registered protocol (or
    the draft) and dated today; it is a certified copy, so it takes no number of its own."""
    meeting = _meeting_or_404(meeting_id)
    if not 1 <= number <= meeting.items.count():  # a registered meeting never changes
        fail(404, "В протоколе нет такого вопроса.")
    data = documents.render("protocol_extract", meeting, item=number, issued_on=date.today())
    label = f"№ {meeting.document.number}" if meeting.document else "(проект)"
    return _send_docx(data, f"Выписка из протокола {label}, вопрос {number}.docx")
