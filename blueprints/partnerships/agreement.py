"""The agreement both party schools work on: its terms, the interaction plan's rows and the
two-party confirmation that registers the agreement and the plan. No request access here.

Every write runs inside db.atomic(), refuses a pair that is no longer editable, checks the
version the form was opened with, and records the change with services.changed() (which
bumps the pair's version and clears any standing confirmation).
"""
import json
from datetime import date

from models import (INTERACTION_DIRECTIONS, SIDES, AuditLog, GeneratedDocument, Organization,
                    Partnership, PartnershipConfirmation, PlanRow, User, db, now, year_bounds)

from ..core.deadlines import read_deadline
from ..core.diff import field_changes
from ..core.filters import date_num
from ..core.rows import apply_action
from ..core.notify import notify, school_users
from ..documents import api as documents
from . import services
from .documents import TERM_LABELS
from .services import PartnershipError, terms_of

EDITABLE = ("proposed", "approved")  # the schools fill the draft until it is registered
DIRECTIONS_LABEL = "Направления взаимодействия"
# Terms the page asks for besides the agreement's own (documents.TERM_LABELS).
EXTRA_TERMS = {"coordinator_note": "Примечание координатора"}
PLAN_FIELDS = {
    "title": "Мероприятие",
    "form": "Форма",
    "deadline": "Срок",
    "leader_responsible": "Ответственный от школы-лидера",
    "partner_responsible": "Ответственный от школы-партнёра",
    "expected_result": "Ожидаемый результат",
}
# Audit actions that change what the sides confirm (labels: models/audit.py ACTIONS).
CHANGES = ("partnership_terms_saved", "partnership_row_added", "partnership_row_updated",
           "partnership_row_removed", "partnership_row_moved")


class EditConflict(PartnershipError):
    """The record changed after the form was opened; `stored` is it as it is now."""

    def __init__(self, stored, message="Запись уже изменил другой пользователь."):
        super().__init__(message)
        self.stored = stored


class NotEditable(PartnershipError):
    """The agreement is registered: its terms and plan no longer change."""

    def __init__(self):
        super().__init__("Соглашение уже зарегистрировано: условия и план больше не "
                         "изменяются.")


class StaleConfirmation(PartnershipError):
    """The side confirmed a version that is no longer the pair's."""


def term_labels():
    """{key: label} of every term the form edits, in the form's order."""
    return {**{k: v for k, v in TERM_LABELS.items() if k != "directions"}, **EXTRA_TERMS}


# --- locking and versions -----------------------------------------------------------------

def _lock_editable(pair, version=None):
    """Take the pair's row for this transaction; refuse a registered pair, and a stale
    `version` (when given) with EditConflict."""
    query = Partnership.update(updated_at=now()).where(
        (Partnership.id == pair.id) & Partnership.status.in_(EDITABLE))
    if version is not None:
        query = query.where(Partnership.version == version)
    if not query.execute():
        stored = Partnership.get_by_id(pair.id)
        if stored.status not in EDITABLE:
            raise NotEditable()
        raise EditConflict(stored, "Условия соглашения уже изменил другой пользователь.")
    return Partnership.get_by_id(pair.id)


# --- terms ----------------------------------------------------------------------------------

def save_terms(pair, terms, directions, user, version):
    """Store the terms and directions over `version`; the labels of what changed ([] when
    nothing did: nothing is recorded and no confirmation is cleared)."""
    unknown = set(directions) - INTERACTION_DIRECTIONS.keys()
    if unknown:
        raise PartnershipError("Неизвестное направление взаимодействия.")
    with db.atomic():
        current = _lock_editable(pair, version)
        before = services.content(current)
        merged = dict(terms_of(current), **terms)
        Partnership.update(terms=json.dumps(merged, ensure_ascii=False),
                           directions=json.dumps(list(directions))).where(
            Partnership.id == pair.id).execute()
        after = services.content(current)
        changed = [label for label, _, _ in content_changes(before, after)]
        if changed:
            services.changed(current, user)
        return changed


# --- plan rows ------------------------------------------------------------------------------

def deadline_dates(text, period_start):
    """(starts_on, ends_on) of a plan row's deadline inside the school year, or
    PartnershipError with the reason in Russian."""
    text = (text or "").strip()
    if not text:
        raise PartnershipError("Укажите срок: месяц, дату или период, например «октябрь».")
    deadline = read_deadline(text, period_start, period_start + 1)
    if not deadline.is_read or deadline.end is None:
        raise PartnershipError(f"Не удалось прочитать срок «{text}». Напишите месяц, дату "
                               "или период: «октябрь 2026», «до 15.11.2026», «II четверть».")
    first, last = year_bounds(period_start)
    if (deadline.start or deadline.end) < first or deadline.end > last:
        raise PartnershipError(f"Срок вне {period_start}/{period_start + 1} учебного года "
                               f"({date_num(first)}–{date_num(last)}).")
    return deadline.start, deadline.end


def _row_values(pair, values):
    starts_on, ends_on = deadline_dates(values.get("deadline_text"), pair.period_start)
    return {"title": values.get("title") or "", "form": values.get("form") or "",
            "deadline_text": (values.get("deadline_text") or "").strip(),
            "starts_on": starts_on, "ends_on": ends_on,
            "leader_responsible": values.get("leader_responsible") or "",
            "partner_responsible": values.get("partner_responsible") or "",
            "expected_result": values.get("expected_result") or ""}


def add_row(pair, values, user):
    """A new row at the end of the plan."""
    with db.atomic():
        current = _lock_editable(pair)
        fields = _row_values(current, values)
        last = PlanRow.select(PlanRow.position).where(PlanRow.partnership == pair.id).order_by(
            PlanRow.position.desc()).scalar()
        row = PlanRow.create(partnership=pair.id, position=(last or 0) + 1, **fields)
        services.changed(current, user)
    return row


def _locked_row(pair, row, version):
    """The row at `version` inside the transaction; EditConflict when it changed or is gone."""
    current = _lock_editable(pair)
    stored = PlanRow.get_or_none((PlanRow.id == row.id) & (PlanRow.partnership == pair.id))
    if stored is None:
        raise EditConflict(None, "Эту строку плана уже удалили.")
    if stored.version != version:
        raise EditConflict(stored, "Эту строку плана уже изменил другой пользователь.")
    return current, stored


def update_row(pair, row, values, user, version):
    """Store the row's fields over `version`; the labels of what changed."""
    with db.atomic():
        current, stored = _locked_row(pair, row, version)
        fields = _row_values(current, values)
        changed = [PLAN_FIELDS["deadline" if name == "deadline_text" else name]
                   for name in ("title", "form", "deadline_text", "leader_responsible",
                                "partner_responsible", "expected_result")
                   if getattr(stored, name) != fields[name]]
        if changed:
            PlanRow.update(version=PlanRow.version + 1, updated_at=now(), **fields).where(
                PlanRow.id == row.id).execute()
            services.changed(current, user)
    return PlanRow.get_by_id(row.id), changed


def remove_row(pair, row, user, version):
    with db.atomic():
        current, stored = _locked_row(pair, row, version)
        stored.delete_instance()
        services.changed(current, user)
    return stored


def move_row(pair, row, user, version, direction):
    """Move the row one place up or down ("up"/"down"); False at the edge (nothing changes)."""
    with db.atomic():
        current, stored = _locked_row(pair, row, version)
        ids = [r.id for r in PlanRow.select(PlanRow.id).where(
            PlanRow.partnership == pair.id).order_by(PlanRow.position, PlanRow.id)]
        order = apply_action(ids, direction, ids.index(stored.id), lambda: None)
        if order == ids:
            return False
        for position, row_id in enumerate(order, start=1):
            PlanRow.update(position=position).where(PlanRow.id == row_id).execute()
        PlanRow.update(version=PlanRow.version + 1).where(PlanRow.id == row.id).execute()
        services.changed(current, user)
    return True


# --- what changed since a confirmation ----------------------------------------------------

def shown(value):
    """A term's value as the page and the diff print it."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date_num(date.fromisoformat(value))
        except ValueError:
            pass
    return "" if value is None else str(value)


def _row_summary(row):
    return " · ".join(p for p in (row.get("title"), row.get("deadline")) if p)


def labelled(snapshot):
    """{name: (label, shown)} of a content snapshot (services.content): the directions, the
    terms by their labels, and each plan row's fields."""
    values = {"directions": (DIRECTIONS_LABEL, ", ".join(
        INTERACTION_DIRECTIONS.get(k, k) for k in snapshot.get("directions", [])))}
    terms = snapshot.get("terms", {})
    labels = term_labels()
    for key in [*labels, *(k for k in terms if k not in labels)]:
        values[f"terms-{key}"] = (labels.get(key, key), shown(terms.get(key)))
    return values


def content_changes(old, new):
    """[(label, was, now)] between two snapshots: terms by their labels, plan rows added,
    removed, changed field by field, and a changed order of rows."""
    changes = field_changes(labelled(old), labelled(new))
    old_rows = {r.get("id"): r for r in old.get("plan", [])}
    new_rows = {r.get("id"): r for r in new.get("plan", [])}
    for row_id, row in new_rows.items():
        before = old_rows.get(row_id)
        if before is None:
            changes.append(("План: добавлена строка", "", _row_summary(row)))
            continue
        title = row.get("title") or before.get("title") or "без названия"
        for field, label in PLAN_FIELDS.items():
            if (before.get(field) or "") != (row.get(field) or ""):
                changes.append((f"План, «{title}»: {label.lower()}", before.get(field) or "",
                                row.get(field) or ""))
    for row_id, row in old_rows.items():
        if row_id not in new_rows:
            changes.append(("План: удалена строка", _row_summary(row), ""))
    common_old = [i for i in old_rows if i in new_rows]
    common_new = [i for i in new_rows if i in old_rows]
    if common_old != common_new:
        changes.append(("План: порядок строк",
                        "; ".join(old_rows[i].get("title", "") for i in common_old),
                        "; ".join(new_rows[i].get("title", "") for i in common_new)))
    return changes


# --- confirmation and registration ----------------------------------------------------------

def plan_rows(pair):
    return list(PlanRow.select().where(PlanRow.partnership == pair.id).order_by(
        PlanRow.position, PlanRow.id))


def registered_documents(pair):
    """{"agreement": GeneratedDocument, "plan": …} of a registered pair ({} before)."""
    ids = {"agreement": pair.agreement_id, "plan": pair.plan_id}
    found = {d.id: d for d in GeneratedDocument.select().where(
        GeneratedDocument.id.in_([i for i in ids.values() if i]))} if any(ids.values()) else {}
    return {kind: found[doc_id] for kind, doc_id in ids.items() if doc_id in found}


def confirmations(pair):
    """{side: PartnershipConfirmation or None}."""
    found = {c.side: c for c in PartnershipConfirmation.select().where(
        PartnershipConfirmation.partnership == pair.id)}
    return {side: found.get(side) for side in SIDES}


def last_change(pair):
    """The latest audit entry of a change of the terms or the plan (who, what, when)."""
    return (AuditLog.recent().where((AuditLog.object_type == "partnership")
                                    & (AuditLog.object_id == pair.id)
                                    & AuditLog.action.in_(CHANGES)).first())


def history(pair, limit=30):
    return list(AuditLog.recent().where((AuditLog.object_type == "partnership")
                                        & (AuditLog.object_id == pair.id)).limit(limit))


def stale_message(pair):
    """«После того как вы открыли страницу, … изменил(а) …» for a confirmation of an old
    version."""
    entry = last_change(pair)
    if entry is None:
        return ("После того как вы открыли страницу, соглашение изменилось. Проверьте "
                "изменения и согласуйте ещё раз.")
    who = entry.user.full_name if entry.user else "другой пользователь"
    org = (Organization.get_or_none(Organization.id == entry.user.organization_id)
           if entry.user and entry.user.organization_id else None)
    if org is not None:
        who = f"{who} ({org.short_name})"
    what = entry.details or entry.action_label.lower()
    return (f"После того как вы открыли страницу, {who} изменил(а) {what} "
            f"({entry.created_at:%d.%m.%Y %H:%M}). Ничего не согласовано: проверьте "
            "изменения и согласуйте ещё раз.")


EMPTY_PLAN = ("В плане взаимодействия нет ни одного мероприятия: добавьте мероприятия, затем "
              "согласуйте соглашение и план.")


def has_plan(pair):
    return PlanRow.select().where(PlanRow.partnership == pair.id).exists()


def confirm(pair, side, user, version):
    """The side's «Согласовано» for `version`, with a snapshot of what it saw. When the other
    side has confirmed the same version, the agreement and the plan are registered in the
    same transaction. Returns the pair as it is now."""
    if side not in SIDES:
        raise PartnershipError("Согласовать может только школа — сторона соглашения.")
    with db.atomic():
        locked = Partnership.update(updated_at=now()).where(
            (Partnership.id == pair.id) & (Partnership.status == "approved")
            & (Partnership.version == version)).execute()
        current = Partnership.get_by_id(pair.id)
        if not locked:
            if current.status == "proposed":
                raise PartnershipError(
                    "Согласовать соглашение можно после того, как пара утверждена приказом "
                    "управления образования. Пока заполняйте условия и план.")
            if current.status != "approved":
                raise PartnershipError("Соглашение уже зарегистрировано: согласование не нужно.")
            raise StaleConfirmation(stale_message(current))
        if not has_plan(current):
            raise PartnershipError(EMPTY_PLAN)
        snapshot = json.dumps(services.content(current), ensure_ascii=False)
        values = {"version": current.version, "content": snapshot, "confirmed_at": now(),
                  "confirmed_by": user, "cleared_at": None, "cleared_by": None}
        if not PartnershipConfirmation.update(**values).where(
                (PartnershipConfirmation.partnership == pair.id)
                & (PartnershipConfirmation.side == side)).execute():
            PartnershipConfirmation.create(partnership=pair.id, side=side, **values)
        both = PartnershipConfirmation.select().where(
            (PartnershipConfirmation.partnership == pair.id)
            & PartnershipConfirmation.confirmed_at.is_null(False)
            & (PartnershipConfirmation.version == current.version)).count() == len(SIDES)
        if both:
            register_documents(current, user)
        else:
            other = "partner" if side == "leader" else "leader"
            who = current.leader if side == "leader" else current.partner
            notify(school_users(services.side_school(current, other)), "confirmation_asked",
                   f"Со стороны {who.short_name} соглашение и план взаимодействия на "
                   f"{current.period_label} учебный год согласованы: ждёт вашего согласования.",
                   f"/partnerships/{current.id}")
    return Partnership.get_by_id(pair.id)


def register_documents(pair, user):
    """Register the agreement and the plan (each its own number series) where the pair has
    none yet, so a repeated call (a bulk job resumed) numbers nothing twice; the pair becomes
    «registered». Call inside the caller's transaction. Returns (agreement, plan)."""
    pair = Partnership.get_by_id(pair.id)
    today = date.today()
    names = f"{pair.leader.short_name} и {pair.partner.short_name}"
    source = ("partnership", pair.id)
    agreement = pair.agreement or documents.register(
        "partnership_agreement", pair, title=f"Соглашение о сотрудничестве: {names}",
        on_date=today, author=user, organization=pair.leader_id, source=source)
    plan = pair.plan or documents.register(
        "partnership_plan", pair, title=f"План взаимодействия на {pair.period_label} год: "
        f"{names}", on_date=today, author=user, organization=pair.leader_id, source=source,
        agreement=agreement)  # the plan's «Приложение к соглашению от … № …»
    status = pair.status if pair.status == "signed" else "registered"
    Partnership.update(agreement=agreement, plan=plan, status=status, updated_at=now()).where(
        Partnership.id == pair.id).execute()
    return agreement, plan


def side_label(pair, side):
    """«МБОУ «Школа № 1» (школа-лидер)»."""
    org = pair.leader if side == "leader" else pair.partner
    return f"{org.short_name} ({SIDES[side]})"


def user_name(user_id):
    user = User.get_or_none(User.id == user_id) if user_id else None
    return user.full_name if user else ""
