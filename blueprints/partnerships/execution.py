"""Carrying out the interaction plan: each party school marks a plan row done (or back) and
adds evidence (the shared mechanism of core/evidence.py); the centre's summary per school
year. No request access here."""
from datetime import date

from peewee import fn

from models import Partnership, PlanRow, PlanRowEvidence, current_school_year, db, now

from ..core import evidence

EXECUTABLE = ("registered", "signed")  # the plan is carried out once the agreement is registered
EDITORS = ("admin", "centre")  # staff who may mark rows for the schools


class EditConflict(Exception):
    """The plan row changed after the form was opened."""


class ExecutionError(Exception):
    """A refused write; the message is Russian."""


def plan_files_visible_to(user):
    """Uploaded files of plan rows `user` may download: staff every one, a school those of the
    pairs it is party to (both sides read each other's files), never another school's."""
    query = PlanRowEvidence.select().where(PlanRowEvidence.kind == "file")
    if user.role == "school":
        pairs = Partnership.visible_to(user).select(Partnership.id)
        query = query.where(PlanRowEvidence.row.in_(
            PlanRow.select(PlanRow.id).where(PlanRow.partnership.in_(pairs))))
    return query


PLAN_EVIDENCE = evidence.EvidenceKind(PlanRowEvidence, "row", plan_files_visible_to)


def may_execute(pair, user):
    """A party school or the centre reports on a registered (or signed) plan."""
    if pair.status not in EXECUTABLE:
        return False
    return user.role in EDITORS or pair.side_of(user) is not None


def not_executable_reason(pair):
    return ("План выполняется после регистрации соглашения: сейчас пара в статусе "
            f"«{pair.status_label}».")


def rows_of(pair):
    return list(PlanRow.select().where(PlanRow.partnership == pair.id).order_by(
        PlanRow.position, PlanRow.id))


def mark(row, user, done, done_on, execution, version):
    """Mark the row done (on `done_on`, with the execution text) or back to planned; a save
    over a newer version raises EditConflict. Returns the fresh row."""
    if done and done_on is None:
        raise ExecutionError("Укажите дату выполнения.")
    if done_on is not None and done_on > date.today():
        raise ExecutionError("Дата выполнения не может быть позже сегодняшней.")
    values = {"status": "done" if done else "planned", "execution": execution or "",
              "done_on": done_on if done else None, "version": PlanRow.version + 1,
              "updated_at": now()}
    with db.atomic():
        changed = PlanRow.update(**values).where(
            (PlanRow.id == row.id) & (PlanRow.version == version)).execute()
        if not changed:
            raise EditConflict()
    return PlanRow.get_by_id(row.id)


def add_evidence(row, user, organization, **values):
    return evidence.add(PLAN_EVIDENCE, row, user, organization=organization, **values)


def evidence_of(row_ids, viewer):
    return evidence.by_owner(PLAN_EVIDENCE, row_ids, viewer)


# --- counts ------------------------------------------------------------------------------------

def counts(pair_ids, today=None):
    """{pair id: {"planned", "done", "overdue", "share"}}: rows in the plan, rows done, rows
    past their end date and not done, the share done in whole per cent."""
    today = today or date.today()
    result = {pair_id: {"planned": 0, "done": 0, "overdue": 0, "share": 0} for pair_id in pair_ids}
    if not pair_ids:
        return result
    rows = (PlanRow.select(PlanRow.partnership, PlanRow.status, PlanRow.ends_on)
            .where(PlanRow.partnership.in_(pair_ids)).tuples())
    for pair_id, status, ends_on in rows:
        entry = result[pair_id]
        entry["planned"] += 1
        if status == "done":
            entry["done"] += 1
        elif ends_on is not None and ends_on < today:
            entry["overdue"] += 1
    for entry in result.values():
        entry["share"] = round(100 * entry["done"] / entry["planned"]) if entry["planned"] else 0
    return result


def year_pairs(period_start):
    return list(Partnership.select().where(Partnership.period_start == period_start).order_by(
        Partnership.id))


def years():
    """School years that have pairs, newest first."""
    return [row[0] for row in Partnership.select(fn.DISTINCT(Partnership.period_start)).order_by(
        Partnership.period_start.desc()).tuples()]


current_year = current_school_year  # the list and the year pages open on it


def totals(per_pair):
    planned = sum(c["planned"] for c in per_pair.values())
    done = sum(c["done"] for c in per_pair.values())
    return {"planned": planned, "done": done,
            "overdue": sum(c["overdue"] for c in per_pair.values()),
            "share": round(100 * done / planned) if planned else 0}
