"""The pair page's agreement: its terms, the interaction plan's rows (added, edited, removed
and moved in place with htmx, or as plain forms without JavaScript) and the two-party
confirmation. Views are thin: the writes are in agreement.py.

Who: the two party schools and the centre edit the terms and the plan while the pair is
proposed or approved; only the party schools confirm; the department reads.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import NotFound

from models import INTERACTION_DIRECTIONS, SIDES, GeneratedDocument, Partnership, PlanRow

from ..auth.access import ALL_USERS, access
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.htmx import wants_fragment
from ..core.stash import keeps_typing, restore_form
from ..documents.storage import storage
from . import agreement
from .agreement_forms import (VersionForm, row_form, row_values, term_names, terms_form,
                              terms_values)
from .blueprint import bp, partnership_or_404

EDITORS = ("school", "centre", "admin")  # the party schools (visible_to) and the centre
STAFF_EDITORS = ("centre", "admin")


def _may_edit(pair, user):
    return user.role in STAFF_EDITORS or pair.side_of(user) is not None


def _editor_partnership_or_404(partnership_id):
    """The pair for an editor: a party school or the centre (a stranger school got 404)."""
    pair = partnership_or_404(partnership_id)
    if not _may_edit(pair, current_user):
        fail(403, "Изменять соглашение могут школы-стороны и методический центр.")
    return pair


def _may_keep_typing(user, partnership_id=None, row_id=None, **_):
    """The stash keeps typing only for a pair this user may edit while it is editable."""
    if row_id is not None:
        row = PlanRow.get_or_none(PlanRow.id == row_id)
        partnership_id = row.partnership_id if row else None
    pair = Partnership.visible_to(user).where(Partnership.id == partnership_id).first() \
        if partnership_id is not None else None
    return pair is not None and pair.status in agreement.EDITABLE and _may_edit(pair, user)


def _row_or_404(row_id):
    row = PlanRow.get_or_none(PlanRow.id == row_id)
    if row is None:
        raise NotFound()
    return _editor_partnership_or_404(row.partnership_id), row


def _check_editable(pair):
    if pair.status not in agreement.EDITABLE:
        fail(409, str(agreement.NotEditable()))


# --- the page -------------------------------------------------------------------------------

def _next_step(pair, side, confirmations):
    """One line: what the viewer does next."""
    role = current_user.role
    other = {"leader": "partner", "partner": "leader"}.get(side)
    if pair.status == "proposed":
        if side:
            return ("Пара ждёт утверждения приказом управления образования. Уже сейчас можно "
                    "вместе со второй школой заполнять условия соглашения и план "
                    "взаимодействия; согласовать их можно будет после приказа.")
        if role == "department":
            return "Утвердите список пар приказом: после него школы согласуют соглашение."
        return ("Пара ждёт приказа управления образования. Условия и план можно готовить "
                "вместе со школами.")
    if pair.status == "approved":
        if side:
            mine = confirmations.get(side)
            if mine is not None and mine.is_confirmed and mine.version == pair.version:
                return (f"Вы согласовали соглашение. Ждём согласования со стороны "
                        f"{agreement.side_label(pair, other)}.")
            own = pair.leader if side == "leader" else pair.partner
            if not agreement.has_plan(pair):
                return ("Добавьте мероприятия в план взаимодействия (внизу страницы) и "
                        "заполните условия соглашения вместе со второй школой; затем нажмите "
                        f"«Согласовать со стороны {own.short_name}».")
            return ("Проверьте условия соглашения и план взаимодействия и нажмите "
                    f"«Согласовать со стороны {own.short_name}».")
        waiting = [agreement.side_label(pair, s) for s, c in confirmations.items()
                   if not (c is not None and c.is_confirmed and c.version == pair.version)]
        return "Ждём согласования: " + ", ".join(waiting) + "." if waiting else ""
    if pair.status == "registered":
        if side:
            return ("Соглашение и план зарегистрированы: скачайте их, подпишите у директоров "
                    "обеих школ и загрузите скан подписанного соглашения.")
        return "Соглашение зарегистрировано: ждём скан, подписанный обеими сторонами."
    return "Соглашение подписано обеими сторонами: отмечайте выполнение плана взаимодействия."


def _cleared_notice(pair, side, confirmations):
    """(cleared confirmation, [(label, was, now)]) when the viewer's side confirmation was
    cleared by a later change; None otherwise."""
    mine = confirmations.get(side) if side else None
    if mine is None or mine.is_confirmed or mine.cleared_at is None:
        return None
    return mine, agreement.content_changes(mine.snapshot, agreement.services.content(pair))


def page_context(pair, terms=None, new_row=None, editing=None, edit_form=None, notice=None,
                 conflict=None, plan_notice=None):
    """Everything the pair page and its fragments draw."""
    side = pair.side_of(current_user)
    confirmations = agreement.confirmations(pair)
    editable = pair.status in agreement.EDITABLE and _may_edit(pair, current_user)
    return {
        "pair": pair, "side": side, "sides": SIDES, "rows": agreement.plan_rows(pair),
        "editable": editable,
        "confirmations": confirmations, "next_step": _next_step(pair, side, confirmations),
        "cleared": _cleared_notice(pair, side, confirmations),
        "terms_form": terms or (terms_form(pair) if editable else None),
        "term_names": term_names(), "term_labels": agreement.term_labels(),
        "terms": agreement.terms_of(pair), "shown": agreement.shown,
        "new_row": new_row or (row_form(pair) if editable else None),
        "editing": editing, "edit_form": edit_form, "notice": notice, "conflict": conflict,
        "plan_notice": plan_notice,
        "confirm_form": VersionForm(formdata=None, data={"version": str(pair.version)}),
        "button_form": VersionForm(formdata=None),
        "can_confirm": side is not None and pair.status == "approved",
        "documents": agreement.registered_documents(pair), "history": agreement.history(pair),
        "user_name": agreement.user_name,
        "approval": GeneratedDocument.get_or_none(GeneratedDocument.id == pair.approval_id)
        if pair.approval_id else None,
    }


def render_page(pair, status=200, **extra):
    return render_template("partnerships/show.html", **page_context(pair, **extra)), status


def _fragment(template, pair, status=200, changed=False, **extra):
    """A fragment for htmx; after a change the status block reloads itself and the terms
    form takes the pair's new version (out of band)."""
    pair = Partnership.get_by_id(pair.id)
    body = render_template(template, **page_context(pair, **extra))
    headers = {}
    if changed:
        body += render_template("partnerships/_version.html", pair=pair)
        headers["HX-Trigger"] = "pair-changed"
    return body, status, headers


def _done(pair, message, anchor):
    if wants_fragment():
        return _fragment("partnerships/_plan.html" if anchor == "plan"
                         else "partnerships/_terms.html", pair, changed=True)
    flash(message, "success")
    return redirect(url_for("partnerships.show", partnership_id=pair.id, _anchor=anchor),
                    code=303)


def _answer(pair, template, status, **extra):
    """The page (or its fragment) with a form's errors or a conflict."""
    if wants_fragment():
        return _fragment(template, pair, status, **extra)
    return render_page(pair, status, **extra)


@bp.route("/<int:partnership_id>/status")
@access(*ALL_USERS)
def status(partnership_id):
    """htmx: the status block (next step, confirmations, changes) after a change in place."""
    pair = partnership_or_404(partnership_id)
    return render_template("partnerships/_status.html", **page_context(pair))


# --- terms ----------------------------------------------------------------------------------

@bp.route("/<int:partnership_id>/terms", methods=["GET", "POST"])
@access(*EDITORS)
@keeps_typing(_may_keep_typing)
def terms(partnership_id):
    pair = _editor_partnership_or_404(partnership_id)
    if request.method == "GET":
        restored = restore_form()
        if restored is None:
            return redirect(url_for("partnerships.show", partnership_id=pair.id,
                                    _anchor="terms"))
        return render_page(pair, terms=terms_form(pair, restored),
                           notice="Введённые данные восстановлены: сохраните их ещё раз.")
    _check_editable(pair)
    form = terms_form(pair, request.form)
    if not form.validate():
        return _answer(pair, "partnerships/_terms.html", 422, terms=form)
    try:
        changed = agreement.save_terms(pair, terms_values(form), form.directions.data,
                                       current_user.id, int(form.version.data))
    except agreement.NotEditable as error:
        fail(409, str(error))
    except agreement.EditConflict as conflict:
        return _terms_conflict(pair, form, conflict.stored)
    except agreement.PartnershipError as error:
        form.directions.errors = [str(error)]
        return _answer(pair, "partnerships/_terms.html", 422, terms=form)
    if changed:
        audit("partnership_terms_saved", pair, details="условия соглашения: "
              + ", ".join(label.lower() for label in changed))
    return _done(pair, "Условия соглашения сохранены." if changed else "Изменений нет.",
                 "terms")


def _terms_conflict(pair, form, stored):
    """409: the saved values beside the typed ones; the typing stays in the form, which now
    carries the newer version (saving again writes it over)."""
    theirs = terms_form(stored)
    labels = {"directions": agreement.DIRECTIONS_LABEL, **agreement.term_labels()}
    differences = []
    for name, label in labels.items():
        mine, saved = _display(form[name]), _display(theirs[name])
        if mine != saved:
            differences.append((label, mine, saved))
    form.version.data = str(stored.version)
    entry = agreement.last_change(stored)
    return _answer(pair, "partnerships/_terms.html", 409, terms=form,
                   conflict={"differences": differences, "entry": entry})


def _display(field):
    data = field.data
    if field.type == "SelectMultipleField":
        return ", ".join(INTERACTION_DIRECTIONS[key] for key in (data or [])
                         if key in INTERACTION_DIRECTIONS)
    return agreement.shown(data.isoformat() if hasattr(data, "isoformat") else data)


# --- plan rows ------------------------------------------------------------------------------

@bp.route("/<int:partnership_id>/plan", methods=["GET", "POST"])
@access(*EDITORS)
@keeps_typing(_may_keep_typing)
def add_row(partnership_id):
    pair = _editor_partnership_or_404(partnership_id)
    if request.method == "GET":  # htmx: the plan as stored (a cancelled edit); or restored typing
        restored = restore_form()
        if wants_fragment():
            return _fragment("partnerships/_plan.html", pair)
        if restored is None:
            return redirect(url_for("partnerships.show", partnership_id=pair.id,
                                    _anchor="plan"))
        return render_page(pair, new_row=row_form(pair, formdata=restored),
                           notice="Введённые данные восстановлены: сохраните их ещё раз.")
    _check_editable(pair)
    form = row_form(pair, formdata=request.form)
    if not form.validate():
        return _answer(pair, "partnerships/_plan.html", 422, new_row=form)
    try:
        row = agreement.add_row(pair, row_values(form), current_user.id)
    except agreement.NotEditable as error:
        fail(409, str(error))
    except agreement.PartnershipError as error:  # the deadline, read again in the transaction
        form.deadline_text.errors = [str(error)]
        return _answer(pair, "partnerships/_plan.html", 422, new_row=form)
    audit("partnership_row_added", pair, details=f"добавлена строка плана «{row.title[:150]}»")
    return _done(pair, "Строка плана добавлена.", "plan")


@bp.route("/plan/<int:row_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
@keeps_typing(_may_keep_typing)
def edit_row(row_id):
    pair, row = _row_or_404(row_id)
    if request.method == "GET":
        _check_editable(pair)
        restored = restore_form()
        form = row_form(pair, row, formdata=restored)
        if wants_fragment():
            return _fragment("partnerships/_plan.html", pair, editing=row.id, edit_form=form)
        return render_page(pair, editing=row.id, edit_form=form)
    _check_editable(pair)
    form = row_form(pair, row, formdata=request.form)
    form.version_required = True
    if not form.validate():
        return _answer(pair, "partnerships/_plan.html", 422, editing=row.id, edit_form=form)
    try:
        row, changed = agreement.update_row(pair, row, row_values(form), current_user.id,
                                            int(form.version.data))
    except agreement.NotEditable as error:
        fail(409, str(error))
    except agreement.EditConflict as conflict:
        return _row_conflict(pair, row, form, conflict)
    except agreement.PartnershipError as error:
        form.deadline_text.errors = [str(error)]
        return _answer(pair, "partnerships/_plan.html", 422, editing=row.id, edit_form=form)
    if changed:
        audit("partnership_row_updated", pair, details=f"строку плана «{row.title[:150]}»: "
              + ", ".join(label.lower() for label in changed))
    return _done(pair, "Строка плана сохранена." if changed else "Изменений нет.", "plan")


def _row_conflict(pair, row, form, conflict):
    stored = conflict.stored
    if stored is None:
        fail(409, str(conflict))
    theirs = row_form(pair, stored)
    differences = [(form[name].label.text, form[name].data or "", theirs[name].data or "")
                   for name in ("title", "form", "deadline_text", "leader_responsible",
                                "partner_responsible", "expected_result")
                   if (form[name].data or "") != (theirs[name].data or "")]
    form.version.data = str(stored.version)
    return _answer(pair, "partnerships/_plan.html", 409, editing=row.id, edit_form=form,
                   conflict={"differences": differences, "message": str(conflict),
                             "entry": agreement.last_change(pair)})


def _row_action(row_id):
    """The row and the version its button carried (a stale one is a 409 in the service)."""
    pair, row = _row_or_404(row_id)
    _check_editable(pair)
    form = VersionForm()
    if not form.validate():
        fail(400, "Форма устарела: обновите страницу.")
    return pair, row, int(form.version.data)


def _stale_row(pair, error):
    if wants_fragment():
        return _fragment("partnerships/_plan.html", pair, 409, plan_notice=str(error))
    return render_page(pair, 409, plan_notice=f"{error} Проверьте план.")


@bp.route("/plan/<int:row_id>/remove", methods=["POST"])
@access(*EDITORS)
def remove_row(row_id):
    pair, row, version = _row_action(row_id)
    try:
        agreement.remove_row(pair, row, current_user.id, version)
    except agreement.NotEditable as error:
        fail(409, str(error))
    except agreement.EditConflict as error:
        return _stale_row(pair, error)
    audit("partnership_row_removed", pair, details=f"удалена строка плана «{row.title[:150]}»")
    return _done(pair, "Строка плана удалена.", "plan")


@bp.route("/plan/<int:row_id>/move/<any(up, down):direction>", methods=["POST"])
@access(*EDITORS)
def move_row(row_id, direction):
    pair, row, version = _row_action(row_id)
    try:
        moved = agreement.move_row(pair, row, current_user.id, version, direction)
    except agreement.NotEditable as error:
        fail(409, str(error))
    except agreement.EditConflict as error:
        return _stale_row(pair, error)
    if moved:
        audit("partnership_row_moved", pair, details=f"перемещена строка плана "
              f"«{row.title[:150]}» {'выше' if direction == 'up' else 'ниже'}")
    return _done(pair, "Порядок строк изменён.", "plan")


# --- confirmation and the registered files --------------------------------------------------

@bp.route("/<int:partnership_id>/confirm", methods=["POST"])
@access("school")
def confirm(partnership_id):
    pair = partnership_or_404(partnership_id)
    side = pair.side_of(current_user)
    form = VersionForm()
    if not form.validate():
        fail(400, "Форма устарела: обновите страницу.")
    try:
        pair = agreement.confirm(pair, side, current_user.id, int(form.version.data))
    except agreement.StaleConfirmation as error:
        return render_page(pair, 409, notice=str(error))
    except agreement.PartnershipError as error:
        fail(409, str(error))
    audit("partnership_confirmed", pair, details=f"согласовано со стороны "
          f"{agreement.side_label(pair, side)}, версия {form.version.data}")
    if pair.status == "registered":
        audit("partnership_registered", pair, details=f"зарегистрированы соглашение № "
              f"{pair.agreement.number} и план № {pair.plan.number}")
        flash("Обе стороны согласовали: соглашение и план зарегистрированы. Скачайте их, "
              "подпишите и загрузите скан.", "success")
    else:
        flash("Согласовано с вашей стороны. Ждём согласования второй школы.", "success")
    return redirect(url_for("partnerships.show", partnership_id=pair.id), code=303)


@bp.route("/<int:partnership_id>/agreement.docx", defaults={"kind": "agreement"})
@bp.route("/<int:partnership_id>/plan.docx", defaults={"kind": "plan"})
@access(*ALL_USERS)
def download(partnership_id, kind):
    """The registered agreement or plan, exactly as registered, for both sides and staff."""
    pair = partnership_or_404(partnership_id)
    doc_id = pair.agreement_id if kind == "agreement" else pair.plan_id
    document = GeneratedDocument.get_or_none(GeneratedDocument.id == doc_id) if doc_id else None
    if document is None:
        fail(409, "Соглашение ещё не зарегистрировано: файлы появятся, когда обе стороны "
                  "согласуют его.")
    name = "Соглашение" if kind == "agreement" else "План взаимодействия"
    return send_bytes(storage().get(document.sha256), f"{name} № {document.number}.docx")
