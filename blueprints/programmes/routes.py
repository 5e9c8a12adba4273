"""School programmes: the ten-section form with autosave, review, approval, publication."""
from datetime import date, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import NotFound

from models import (AuditLog, Curatorship, GeneratedDocument, Indicator, IndicatorRule, Organization,
                    Programme, ProgrammeComment, ProgrammeRevision, RiskFactor, NUMERIC_TYPES,
                    PROGRAMME_STATUSES, now)

from ..auth.access import STAFF, access, get_visible_or_404
from ..core.downloads import send_bytes
from ..core.autosave import EditConflict, new_token, status as autosave_status
from ..core.audit import audit
from ..core.diff import field_changes
from ..core.errors import fail
from ..core.forms import ConfirmForm
from ..core.htmx import render_page_or_fragment, wants_fragment
from ..core.pagination import paginate
from ..core.rows import apply_action, parse_action
from ..core.stash import (forget_unsaved, keep_unsaved, keeps_typing, restore_form,
                          unsaved_form)
from ..core.urls import back_path
from ..documents import api as documents
from ..documents.storage import storage
from . import reads, services
from . import sections as S
from .documents import approval_order
from .forms import (AnswerForm, ApprovalForm, CommentForm, IndicatorForm, IndicatorRuleForm,
                    NewProgrammeForm, RiskFactorForm)

bp = Blueprint("programmes", __name__, url_prefix="/programmes")

REVIEWERS = ("admin", "centre")
APPROVERS = ("admin", "department")
# The shared autosave indicator, in a programme's words.
AUTOSAVE_TEXTS = {
    "conflict": "Раздел изменён в другой вкладке или другим сотрудником. Нажмите «Сохранить», "
                "чтобы сравнить версии",
    "locked": "Программа отправлена на рассмотрение: изменения не сохраняются",
    "invalid": "Раздел не сохранён: исправьте поля с ошибками ({count}). Введённое не "
               "потеряется: оно вернётся в форму и после закрытия вкладки"}
SECTION_KEYS = ", ".join(f"\"{key}\"" for key in S.BY_KEY)


def _programme_or_404(programme_id):
    """A programme the user may read (a leader school: its partners' too). Reads only."""
    return get_visible_or_404(Programme.visible_to(current_user), Programme, programme_id)


def _writable_or_404(programme_id):
    """A programme the user may act on (`editable_by`): a partner's one a leader school reads
    answers 404 here, like any other school's."""
    return get_visible_or_404(Programme.editable_by(current_user), Programme, programme_id)


def _section_or_404(key):
    if key not in S.BY_KEY:
        raise NotFound()
    return S.BY_KEY[key]


def _editable_or_404(programme_id):
    """The school's own programme; after submission it is read-only (403 with the reason).

    Only the columns a save needs: this runs on every autosave."""
    programme = Programme.select(  # editable_by's rule for a school, without its join
        Programme.id, Programme.school, Programme.status, Programme.title,
        Programme.period_start, Programme.period_end).where(
        (Programme.id == programme_id)
        & (Programme.school == current_user.organization_id)).first()
    if programme is None:
        _writable_or_404(programme_id)  # audits a foreign id (a partner's too), then 404
        raise NotFound()
    if not programme.is_editable:
        fail(403, f"Программа {programme.status_label.lower()}: изменять её нельзя, "
                  "пока центр не вернёт её на доработку.")
    return programme


def _may_keep_typing(user, programme_id, **_):
    """The stash keeps typing only for the user's own school's programme still being edited:
    the rule of `_editable_or_404`, for a user whose session may have expired."""
    programme = Programme.select(Programme.id, Programme.status).where(
        (Programme.id == programme_id) & (Programme.school == user.organization_id)).first()
    return programme is not None and programme.is_editable


# --- lists and creation ---------------------------------------------------------------------

@bp.route("/")
@access(*STAFF, "school")
def index():
    query = Programme.visible_to(current_user).order_by(Programme.status_changed_at)
    status = request.args.get("status", "")
    if status in PROGRAMME_STATUSES:
        query = query.where(Programme.status == status)
    page = paginate(query, request.args.get("page", 1, type=int), current_app.config["PER_PAGE"])
    current = None
    if current_user.role == "school":  # the biggest button continues it
        current = (Programme.select().where((Programme.school == current_user.organization_id)
                                            & Programme.status.in_(services.EDITABLE))
                   .order_by(Programme.period_start.desc()).first())
    return render_template("programmes/index.html", page=page, status=status, current=current,
                           statuses=PROGRAMME_STATUSES, today=now(), form=NewProgrammeForm(),
                           agreed=Programme.select().where(Programme.status == "agreed").count())


@bp.route("/new", methods=["POST"])
@access("school")
def create():
    form = NewProgrammeForm()
    if not form.validate():
        fail(422, " ".join(e for errors in form.errors.values() for e in errors))
    school = Organization.get_by_id(current_user.organization_id)
    start = int(form.period_start.data)
    existing = services.overlapping(school.id, start)
    if existing is not None:
        flash(f"У школы уже есть программа на эти годы ({existing.period_start}–"
              f"{existing.period_end}, {existing.status_label.lower()}): продолжайте её. Новую "
              "программу можно начать на годы после её окончания.", "warning")
        return redirect(url_for("programmes.show", programme_id=existing.id), code=303)
    programme = services.create_programme(school, current_user.id, start)
    audit("programme_created", programme)
    return redirect(url_for("programmes.section", programme_id=programme.id, key="passport"),
                    code=303)


# --- the section pages ----------------------------------------------------------------------

def _page(programme, section, form, status=200, check=None, saved_at=None, restored=False,
          prefilled=False, unsaved=False):
    comments = {}
    for comment in programme.comments.where(ProgrammeComment.section == section.key).order_by(
            ProgrammeComment.id):
        comments.setdefault(comment.field, []).append(comment)
    return render_page_or_fragment(
        "programmes/section.html", "programmes/_section_form.html", status=status,
        programme=programme, section=section, form=form, sections=S.SECTIONS, lists=S.LISTS,
        comments=comments, answer_form=AnswerForm(), check=check, saved_at=saved_at,
        restored=restored, unsaved=unsaved, missing=_missing(programme),
        autosave_texts=AUTOSAVE_TEXTS,
        risk_profile=reads.risk_prefill(programme) if section.key == "analysis" else None,
        prefilled=prefilled)


def _missing(programme):
    """{section key: [labels of what is still to fill]} ([] when complete): the sidebar says
    what each section lacks, not only that it lacks something."""
    missing = {section.key: [label for _, label, _ in items]
               for section, items in reads.missing_by_section(programme)}
    return {s.key: missing.get(s.key, []) for s in S.SECTIONS}


@bp.route(f"/<int:programme_id>/<any({SECTION_KEYS}):key>", methods=["GET", "POST"])
@access("school")
@keeps_typing(_may_keep_typing)
def section(programme_id, key):
    section = _section_or_404(key)
    if request.method == "GET":
        programme = _writable_or_404(programme_id)  # the edit form: own programme only
        if not programme.is_editable:
            return redirect(url_for("programmes.show", programme_id=programme.id,
                                    _anchor=f"section-{key}"))
        stored = reads.stored_values(programme)
        row = programme.sections.where(services.ProgrammeSection.key == key).get()
        restored = restore_form()
        # Typing an autosave could not save (a field with an error) comes back as typed.
        unsaved = unsaved_form() if restored is None else None
        prefilled = False
        if key == "analysis" and restored is None and unsaved is None:
            # The school's risk profile pre-fills the factors: when none are marked yet, or on
            # «Отметить по рисковому профилю» (nothing is saved until the school saves).
            profile = reads.risk_prefill(programme)
            if profile and profile["codes"] and (request.args.get("from_profile")
                                                 or not stored["analysis"].get("risks")):
                stored = dict(stored, analysis=dict(stored["analysis"], risks=profile["codes"]))
                prefilled = True
        if restored is not None or unsaved is not None:
            # The stash keeps the version the text was typed against: saving it over a newer
            # one is a conflict, like any other save.
            form = reads.section_form(programme, section, stored, formdata=restored or unsaved)
            if unsaved is not None:
                form.validate()  # the errors it was not saved for, next to their fields
        else:
            form = reads.section_form(programme, section, stored, version=str(row.version),
                                         token=new_token())
        check = None
        if request.args.get("check"):
            check = S.missing_fields(section, form)
            for field, message in check:
                field.errors = [*field.errors, message]
        return _page(programme, section, form, check=check, restored=restored is not None,
                     prefilled=prefilled, unsaved=unsaved is not None)
    programme = _editable_or_404(programme_id)
    form = reads.section_form(programme, section, formdata=request.form)
    moved = _row_action(programme, section, form)
    if moved is not None:
        return moved
    if not form.validate():
        keep_unsaved()
        return _page(programme, section, form, status=422)
    try:
        services.save_section(programme, section, form, current_user.id)
    except EditConflict as conflict:
        return _conflict(programme, section, form, conflict.stored)
    except services.NotEditable:
        fail(409, "Программа уже отправлена на рассмотрение: изменения не сохранены.")
    forget_unsaved()
    flash(f"Сохранено в {datetime.now():%H:%M}.", "success")
    target = request.form.get("goto", "")
    if target == "_submit":
        return redirect(url_for("programmes.show", programme_id=programme.id,
                                _anchor="submit"), code=303)
    key = target if target in S.BY_KEY else section.key
    return redirect(url_for("programmes.section", programme_id=programme.id, key=key), code=303)


def _row_action(programme, section, form):
    """Add / remove / move a row of the posted form; nothing is saved (the autosave does)."""
    parsed = parse_action(request.form.get("action"))
    if parsed is None or parsed[1] not in S.BLANK_ROWS or parsed[1] not in form:
        return None
    op, name, index = parsed
    values = S.flatten(form)
    rows = _rows(values, name)
    rows = apply_action(rows, op, index, S.BLANK_ROWS[name])
    values = {k: v for k, v in values.items() if not k.startswith(f"{name}-")}
    for number, row in enumerate(rows):
        values.update({f"{name}-{number}-{field}": value for field, value in row.items()})
    rebuilt = reads.section_form(programme, section,
                                 dict(reads.stored_values(programme), **{section.key: values}),
                                 version=form.version.data or "", token=form.token.data or "")
    body, status = _page(programme, section, rebuilt)
    return body, status, {"HX-Trigger-After-Settle": "rows-changed"}  # the autosave saves it


def _rows(values, name):
    """Flat «name-2-field» values → a list of row dicts (nested lists keep their names)."""
    rows = {}
    for key, value in values.items():
        parts = key.split("-", 2)
        if parts[0] == name and len(parts) == 3 and parts[1].isdigit():
            rows.setdefault(int(parts[1]), {})[parts[2]] = value
    return [rows[i] for i in sorted(rows)]


def _conflict(programme, section, form, stored):
    """Both values side by side; the user's typing stays in a form that can be re-sent."""
    if wants_fragment():  # the autosave: only the indicator says so
        return autosave_status("conflict", AUTOSAVE_TEXTS), 409
    theirs = reads.section_form(programme, section)
    their_values = dict((name, shown) for name, _, shown in S.labelled_values(theirs))
    differences = [(label, shown, their_values.get(name, "")) for name, label, shown
                   in S.labelled_values(form) if shown != their_values.get(name, "")]
    form.version.data = str(stored.version)  # «keep mine» now saves over the newer version
    posted = [(k, v) for k, v in request.form.items(multi=True)
              if k not in ("csrf_token", "version", "action", "goto")]
    section_url = url_for("programmes.section", programme_id=programme.id, key=section.key)
    return render_template(
        "core/conflict.html", heading=f"Раздел «{section.title}» уже изменён",
        back_url=url_for("programmes.show", programme_id=programme.id),
        back_label=programme.title or "Программа", action=section_url, discard_url=section_url,
        differences=differences, posted=posted, stored=stored), 409


@bp.route(f"/<int:programme_id>/<any({SECTION_KEYS}):key>/autosave", methods=["POST"])
@access("school")
@keeps_typing(_may_keep_typing)
def autosave(programme_id, key):
    """htmx after a pause in typing: save the section, answer «Сохранено в 14:32»."""
    section = _section_or_404(key)
    programme = _editable_or_404(programme_id)
    form = reads.section_form(programme, section, formdata=request.form)
    if not form.validate():
        keep_unsaved()
        return autosave_status("invalid", AUTOSAVE_TEXTS, count=len(S.leaf_errors(form))), 422
    try:
        version = services.save_section(programme, section, form, current_user.id)
    except EditConflict as conflict:
        return _conflict(programme, section, form, conflict.stored)
    except services.NotEditable:
        return autosave_status("locked", AUTOSAVE_TEXTS), 409
    forget_unsaved()
    return autosave_status("saved", AUTOSAVE_TEXTS, version=version)


# --- overview, submission, review ---------------------------------------------------------

def _history(programme):
    return (AuditLog.recent().where((AuditLog.object_type == "programme")
                                    & (AuditLog.object_id == programme.id)).limit(50))


@bp.route("/<int:programme_id>")
@access(*STAFF, "school")
def show(programme_id):
    programme = _programme_or_404(programme_id)
    forms = reads.all_forms(programme)
    comments = {}
    for comment in programme.comments.order_by(ProgrammeComment.id):
        comments.setdefault((comment.section, comment.field), []).append(comment)
    revisions = list(programme.revisions.order_by(ProgrammeRevision.number))
    comment_form = CommentForm()
    return render_template(
        "programmes/show.html", programme=programme, sections=S.SECTIONS, forms=forms,
        labelled=S.labelled_values, comments=comments, revisions=revisions,
        form=ConfirmForm(), comment_form=comment_form, answer_form=AnswerForm(),
        history=_history(programme), missing=reads.missing_by_section(programme, forms)
        if programme.is_editable else [],
        is_owner=current_user.organization_id == programme.school_id,
        can_review=current_user.role in REVIEWERS and programme.status == "submitted",
        can_comment=programme.status == "submitted" and _may_comment(programme, current_user),
        is_curator=current_user.role == "school" and current_user.organization_id !=
        programme.school_id and Curatorship.curates(current_user, programme.school_id),
        open_count=services.open_comments(programme).count())


@bp.route("/<int:programme_id>/submit", methods=["GET", "POST"])
@access("school")
def submit(programme_id):
    if request.method == "GET":  # a refreshed or bookmarked submission: back to the programme
        programme = _writable_or_404(programme_id)
        return redirect(url_for("programmes.show", programme_id=programme.id, _anchor="submit"),
                        code=303)
    programme = _editable_or_404(programme_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    missing = reads.missing_by_section(programme)
    if missing:
        return render_template("programmes/missing.html", programme=programme,
                               missing=missing), 422
    if services.open_comments(programme).exists() and request.form.get("despite") != "1":
        return _ask(programme, "programmes.submit", "Отправить, не ответив на все замечания?",
                    "Эти замечания центра ещё не отмечены учтёнными. Центр увидит их открытыми:",
                    "Всё равно отправить", "btn-warning", hidden={"despite": "1"}), 409
    number = services.submit_programme(programme, current_user.id)
    audit("programme_submitted", programme, details=f"редакция {number}")
    flash("Программа отправлена в методический центр на рассмотрение.", "success")
    return redirect(url_for("programmes.show", programme_id=programme.id), code=303)


def _reviewable_or_404(programme_id):
    programme = _writable_or_404(programme_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    return programme


def _transition(programme, action, audit_action, message, *args):
    try:
        action(programme, *args)
    except services.InvalidTransition as error:
        flash(str(error), "warning")
        return redirect(url_for("programmes.show", programme_id=programme.id), code=303)
    audit(audit_action, programme)
    flash(message, "success")
    return redirect(url_for("programmes.show", programme_id=programme.id), code=303)


def _remark_lines(programme):
    return [f"{c.field_label or 'Раздел'}: {c.text}" for c in
            services.open_comments(programme).order_by(ProgrammeComment.id)]


def _ask(programme, endpoint, heading, warning, button, button_class="btn-primary", hidden=None):
    """The confirmation page of a review step, with the programme's open remarks listed."""
    return render_template(
        "core/confirm.html", form=ConfirmForm(), heading=heading, button=button,
        button_class=button_class, warning=warning, items=_remark_lines(programme),
        details=f"«{programme.title}»", hidden=hidden,
        action=url_for(endpoint, programme_id=programme.id),
        cancel=url_for("programmes.show", programme_id=programme.id))


@bp.route("/<int:programme_id>/return", methods=["GET", "POST"])
@access(*REVIEWERS)
def return_(programme_id):
    if request.method == "GET":
        programme = _writable_or_404(programme_id)
        return _ask(programme, "programmes.return_", "Вернуть программу на доработку?",
                    "Школа получит программу обратно с этими замечаниями и уведомление:",
                    "Да, вернуть", "btn-danger")
    programme = _reviewable_or_404(programme_id)
    return _transition(programme, services.return_programme, "programme_returned",
                       "Программа возвращена школе на доработку с замечаниями.")


@bp.route("/<int:programme_id>/agree", methods=["GET", "POST"])
@access(*REVIEWERS)
def agree(programme_id):
    if request.method == "GET":
        programme = _writable_or_404(programme_id)
        count = services.open_comments(programme).count()
        return _ask(programme, "programmes.agree", "Согласовать программу?",
                    f"Открытых замечаний: {count}. Согласованная программа уходит на "
                    "утверждение приказом, изменить её школа уже не сможет." if count else
                    "Согласованная программа уходит на утверждение приказом; изменить её школа "
                    "уже не сможет.", "Да, согласовать", "btn-success")
    programme = _reviewable_or_404(programme_id)
    centre = current_user.organization.full_name if current_user.organization else ""
    return _transition(programme, services.agree_programme, "programme_agreed",
                       "Программа согласована и ждёт утверждения приказом.", centre,
                       date.today())


def _may_comment(programme, user):
    """The centre on any programme, a curator on the programmes of the schools it curates."""
    return user.role in REVIEWERS or (user.role == "school" and Curatorship.curates(
        user, programme.school_id))


def _commentable_or_404(programme_id):
    """A programme the user may remark on: the centre (any), a curator (the curated school's,
    read through visible_to); another school: 404 for a foreign one, 403 for its own."""
    if current_user.role in REVIEWERS:
        return _writable_or_404(programme_id)
    programme = _programme_or_404(programme_id)
    if not _may_comment(programme, current_user):
        fail(403, "Замечания к программе пишут методический центр и куратор школы.")
    return programme


@bp.route("/<int:programme_id>/comments", methods=["POST"])
@access(*REVIEWERS, "school")  # a school only as the curator of the programme's school
def comment(programme_id):
    programme = _commentable_or_404(programme_id)
    form = CommentForm()
    section = S.BY_KEY.get(form.section.data)
    if section is None:
        fail(422, "Выберите раздел программы.")
    labels = {name: label for name, label, _ in S.labelled_values(
        reads.section_form(programme, section))}
    if form.field.data and form.field.data not in labels:
        fail(422, "Такого поля в разделе нет.")
    if not form.validate():
        flash("Замечание не добавлено: " + " ".join(
            e for errors in form.errors.values() for e in errors), "danger")
        return redirect(url_for("programmes.show", programme_id=programme.id,
                                _anchor=f"section-{section.key}"), code=303)
    try:
        services.add_comment(programme, section, form.field.data or "",
                             labels.get(form.field.data, section.heading), form.text.data,
                             current_user.id,
                             by="Центр" if current_user.role in REVIEWERS else "Куратор")
    except services.InvalidTransition as error:
        fail(409, str(error))
    audit("programme_commented", programme, details=f"{section.heading}: {form.text.data[:200]}")
    flash("Замечание добавлено.", "success")
    return redirect(url_for("programmes.show", programme_id=programme.id,
                            _anchor=f"section-{section.key}"), code=303)


@bp.route("/comments/<int:comment_id>/answer", methods=["POST"])
@access("school")
def answer(comment_id):
    comment = ProgrammeComment.get_or_none(ProgrammeComment.id == comment_id)
    if comment is None:
        raise NotFound()
    programme = _editable_or_404(comment.programme_id)
    form = AnswerForm()
    if not form.validate():
        fail(422, " ".join(e for errors in form.errors.values() for e in errors))
    services.answer_comment(comment, form.answer.data or "", current_user.id)
    audit("programme_comment_answered", programme, details=comment.text[:200])
    flash("Замечание отмечено как учтённое.", "success")
    return redirect(back_path(request.referrer, url_for("programmes.show",
                                                        programme_id=programme.id)), code=303)


@bp.route("/<int:programme_id>/compare")
@access(*STAFF, "school")
def compare(programme_id):
    """What changed between two submissions, field by field."""
    programme = _programme_or_404(programme_id)
    revisions = {r.number: r for r in programme.revisions}
    if len(revisions) < 2:
        return render_template("programmes/compare.html", programme=programme, changes=None,
                               old=0, new=0, numbers=sorted(revisions))
    newest = max(revisions)
    new = request.args.get("b", newest, type=int)
    old = request.args.get("a", new - 1, type=int)
    if old not in revisions or new not in revisions:
        fail(404, "Такой редакции нет.")
    before = reads.all_forms(programme, revisions[old].sections)
    after = reads.all_forms(programme, revisions[new].sections)
    changes = []
    for section in S.SECTIONS:
        old_values = {n: (label, shown) for n, label, shown in S.labelled_values(before[section.key])}
        new_values = {n: (label, shown) for n, label, shown in S.labelled_values(after[section.key])}
        rows = field_changes(old_values, new_values)
        if rows:
            changes.append((section, rows))
    return render_template("programmes/compare.html", programme=programme, changes=changes,
                           old=old, new=new, numbers=sorted(revisions))


# --- documents -----------------------------------------------------------------------------

@bp.route("/<int:programme_id>/programme.docx")
@access(*STAFF, "school")
def download(programme_id):
    programme = _programme_or_404(programme_id)
    if programme.document_id:  # approved: the registered file, exactly as registered
        document = GeneratedDocument.get_by_id(programme.document_id)
        data = storage().get(document.sha256)
        name = f"Программа {programme.school.short_name} № {document.number}.docx"
    else:
        data = documents.render("programme", programme)
        name = f"Проект программы {programme.school.short_name}.docx"
    return send_bytes(data, name)


def _approval_defaults():
    org = current_user.organization
    order = approval_order(org.full_name if org else "", date.today(),
                           org.head_position if org else "", org.head_name if org else "")
    return {"order_date": order["order_date"], "heading": order["heading"],
            "preamble": order["preamble"], "signer_position": order["signer_position"],
            "signer_name": order["signer_name"], "executor_note": order["executor_note"]}


@bp.route("/approve", methods=["GET", "POST"])
@access(*APPROVERS)
def approve():
    """The department's order approving the agreed programmes."""
    if current_user.organization is None:
        fail(403, "Приказ издаёт организация: привяжите свою учётную запись к организации.")
    agreed = list(Programme.visible_to(current_user).where(Programme.status == "agreed")
                  .order_by(Organization.short_name))
    form = ApprovalForm() if request.method == "POST" else ApprovalForm(
        formdata=None, data=dict(_approval_defaults(), programmes=[p.id for p in agreed]))
    if request.method == "POST" and form.validate():
        chosen = [p for p in agreed if p.id in set(form.programmes.data)]
        if len(chosen) != len(set(form.programmes.data)):
            form.programmes.errors = ["Часть отмеченных программ уже не ждёт утверждения: "
                                      "обновите страницу."]
        elif request.form.get("preview"):
            data = documents.render("order_programmes_approval",
                                    {"order": form.order(approval_order, current_user.organization), "programmes": chosen})
            return send_bytes(data, "Проект приказа об утверждении программ.docx")
        else:
            try:
                document = services.approve_programmes(chosen, form.order(approval_order, current_user.organization),
                                                       current_user.id,
                                                       current_user.organization_id)
            except services.InvalidTransition as error:
                fail(409, str(error))
            audit("programmes_approved", document, details=f"№ {document.number}: " + ", ".join(
                p.school.short_name for p in chosen))
            flash(f"Приказ зарегистрирован: № {document.number} от "
                  f"{document.registered_on:%d.%m.%Y}. Программы утверждены.", "success")
            return redirect(url_for("programmes.approval", approval_id=document.id), code=303)
    return render_template("programmes/approve.html", form=form, agreed=agreed), (
        422 if form.errors else 200)


@bp.route("/approvals/<int:approval_id>")
@access(*STAFF)
def approval(approval_id):
    document = GeneratedDocument.get_or_none((GeneratedDocument.id == approval_id) & (
        GeneratedDocument.doctype == "order_programmes_approval"))
    if document is None:
        raise NotFound()
    programmes = Programme.visible_to(current_user).where(Programme.approval == document.id)
    return render_template("programmes/approval.html", document=document,
                           programmes=programmes, form=ConfirmForm(),
                           can_publish=current_user.role in ("admin", "centre", "department"))


@bp.route("/approvals/<int:approval_id>/publish", methods=["POST"])
@access(*STAFF)
def publish(approval_id):
    document = GeneratedDocument.get_or_none((GeneratedDocument.id == approval_id) & (
        GeneratedDocument.doctype == "order_programmes_approval"))
    if document is None:
        raise NotFound()
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    try:
        services.publish_programmes(document)
    except services.InvalidTransition as error:
        fail(409, str(error))
    audit("programmes_published", document, details=f"№ {document.number}")
    flash("Приказ и утверждённые программы опубликованы на сайте.", "success")
    return redirect(url_for("programmes.approval", approval_id=document.id), code=303)


# --- reference data: risk factors and indicators ------------------------------------------

@bp.route("/reference")
@access(*STAFF)
def reference():
    return render_template("programmes/reference.html",
                           risks=RiskFactor.select().order_by(RiskFactor.code),
                           indicators=Indicator.select().order_by(Indicator.code),
                           rules=IndicatorRule.select().order_by(IndicatorRule.id),
                           can_edit=current_user.role in REVIEWERS)


def _reference_page(form, fields, heading, status=200):
    return render_template(
        "core/simple_form.html", form=form, form_id="reference-form", fields=fields,
        heading=heading, back_url=url_for("programmes.reference"), back_label="Справочники",
        action=request.path), status


def _record_or_404(model, record_id):
    """A reference record (every staff member sees them all), None for a new one."""
    return None if record_id is None else get_visible_or_404(model.select(), model, record_id)


@bp.route("/reference/risks/new", methods=["GET", "POST"], defaults={"record_id": None})
@bp.route("/reference/risks/<int:record_id>", methods=["GET", "POST"])
@access(*REVIEWERS)
def edit_risk(record_id):
    record = _record_or_404(RiskFactor, record_id)
    fields = ("code", "name", "valid_from", "valid_to")
    form = RiskFactorForm(obj=record) if request.method == "GET" else RiskFactorForm()
    if request.method == "POST" and form.validate():
        values = {name: form[name].data for name in fields}
        duplicate = RiskFactor.select().where(RiskFactor.code == values["code"])
        if record is not None:
            duplicate = duplicate.where(RiskFactor.id != record.id)
        if duplicate.exists():
            form.code.errors = ["Такой код уже есть."]
        else:
            if record is None:
                record = RiskFactor.create(**values)
            else:
                RiskFactor.update(**values).where(RiskFactor.id == record.id).execute()
            audit("reference_updated", record, details=f"{values['code']} {values['name']}")
            flash("Справочник обновлён.", "success")
            return redirect(url_for("programmes.reference"), code=303)
    heading = "Новый фактор риска" if record is None else f"Изменение: {record.name}"
    return _reference_page(form, fields, heading, 422 if form.errors else 200)


INDICATOR_FIELDS = ("code", "name", "value_type", "unit", "min_value", "max_value", "choices",
                    "direction", "is_active")


@bp.route("/reference/indicators/new", methods=["GET", "POST"], defaults={"record_id": None})
@bp.route("/reference/indicators/<int:record_id>", methods=["GET", "POST"])
@access(*REVIEWERS)
def edit_indicator(record_id):
    record = _record_or_404(Indicator, record_id)
    form = IndicatorForm(obj=record) if request.method == "GET" else IndicatorForm()
    if request.method == "POST" and form.validate():
        try:
            saved = services.save_indicator(record, form.values())
        except services.CatalogueConflict as conflict:
            for name, message in conflict.errors.items():
                form[name].errors = [*form[name].errors, message]
        else:
            audit("indicator_created" if record is None else "indicator_updated", saved,
                  details=f"{saved.code} {saved.name}")
            flash("Справочник обновлён.", "success")
            return redirect(url_for("programmes.reference", _anchor="indicators"), code=303)
    heading = "Новый показатель" if record is None else f"Изменение: {record.name}"
    return _reference_page(form, INDICATOR_FIELDS, heading, 422 if form.errors else 200)


def _rule_form(rule):
    catalogue = list(Indicator.select(Indicator.code, Indicator.value_type))
    options = {"codes": [i.code for i in catalogue],
               "numeric": [i.code for i in catalogue if i.value_type in NUMERIC_TYPES]}
    if request.method == "GET":
        return IndicatorRuleForm(obj=rule, **options)
    return IndicatorRuleForm(**options)


@bp.route("/reference/rules/new", methods=["GET", "POST"], defaults={"rule_id": None})
@bp.route("/reference/rules/<int:rule_id>", methods=["GET", "POST"])
@access(*REVIEWERS)
def edit_rule(rule_id):
    rule = _record_or_404(IndicatorRule, rule_id)
    form = _rule_form(rule)
    if request.method == "POST" and form.validate():
        saved = services.save_rule(rule, form.expression.data, form.message.data,
                                   form.is_active.data, form.parsed.names)
        audit("indicator_rule_created" if rule is None else "indicator_rule_updated", saved,
              details=saved.expression)
        flash("Правило сохранено.", "success")
        return redirect(url_for("programmes.reference", _anchor="rules"), code=303)
    heading = "Новое правило проверки" if rule is None else "Изменение правила проверки"
    return _reference_page(form, ("expression", "message", "is_active"), heading,
                           422 if form.errors else 200)


@bp.route("/reference/rules/<int:rule_id>/delete", methods=["GET", "POST"])
@access(*REVIEWERS)
def delete_rule(rule_id):
    rule = _record_or_404(IndicatorRule, rule_id)
    back = url_for("programmes.reference", _anchor="rules")
    if ConfirmForm().validate_on_submit():
        services.delete_rule(rule)
        audit("indicator_rule_deleted", details=f"{rule.id} {rule.expression}")
        flash("Правило удалено.", "success")
        return redirect(back, code=303)
    return render_template(
        "core/confirm.html", form=ConfirmForm(), heading="Удалить правило проверки?",
        details=f"{rule.expression} — «{rule.message}»",
        warning="Правило перестанет проверять формы отчётов. Восстановить его нельзя.",
        button="Да, удалить", action=url_for("programmes.delete_rule", rule_id=rule.id),
        cancel=back)
