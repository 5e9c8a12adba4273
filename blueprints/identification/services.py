"""Identification writes and the reads the run needs: save a methodology (a used one gets a new
version), save the school context, run a methodology for a school year and save the list, change
a school by hand, register the approving order (which sets each school's status for the year)
and publish the list with its methodology."""
import json
from datetime import datetime

from peewee import fn

from models import (AssessmentResult, IdentificationRow, IdentificationRun, LowResultStatus,
                    Methodology, Organization, SchoolContext, db, set_status)

from ..documents import api as documents
from . import engine

DOCTYPE = "order_low_result_list"


class IdentificationError(Exception):
    """A refusal with a Russian message for the user."""


# --- methodology ------------------------------------------------------------------------------

def save_methodology(data, author, methodology=None):
    """Create a methodology, or change one: a frozen one (used for a list) is kept as it was
    and the change becomes its next version. `data`: name, description, criteria, min_met,
    near. The saved Methodology."""
    fields = {"name": data["name"], "description": data.get("description") or "",
              "criteria_json": json.dumps(data["criteria"], ensure_ascii=False),
              "min_met": data["min_met"], "near_margin": data["near"]}
    with db.atomic():
        if methodology is None:
            created = Methodology.create(created_by=author, **fields)
            Methodology.update(family=created.id).where(Methodology.id == created.id).execute()
            return Methodology.get_by_id(created.id)
        methodology = Methodology.get_by_id(methodology.id)
        if not methodology.is_frozen:
            Methodology.update(**fields).where(Methodology.id == methodology.id).execute()
            return Methodology.get_by_id(methodology.id)
        family = methodology.family or methodology.id
        last = (Methodology.select(fn.MAX(Methodology.version))
                .where(Methodology.family == family).scalar() or 1)
        Methodology.update(is_current=False).where(Methodology.family == family).execute()
        return Methodology.create(family=family, version=last + 1, created_by=author, **fields)


def methodologies():
    return list(Methodology.select().order_by(Methodology.name, Methodology.version.desc()))


def current_methodologies():
    return list(Methodology.select().where(Methodology.is_current)
                .order_by(Methodology.name))


# --- context ----------------------------------------------------------------------------------

def schools():
    return list(Organization.select(Organization.id, Organization.short_name)
                .where(Organization.kind == "school")
                .order_by(Organization.short_name, Organization.id))


def contexts_of(year):
    return {c.school_id: c for c in SchoolContext.select().where(SchoolContext.year == year)}


def save_contexts(year, rows, author):
    """Store the context of every school in `rows` ({school_id: {field: value}}) for `year`:
    all or nothing."""
    with db.atomic():
        for school_id, values in rows.items():
            updated = SchoolContext.update(updated_by=author, updated_at=datetime.now(),
                                           **values).where(
                (SchoolContext.school == school_id) & (SchoolContext.year == year)).execute()
            if not updated:
                SchoolContext.create(school=school_id, year=year, updated_by=author, **values)
    return len(rows)


# --- the run ----------------------------------------------------------------------------------

def run_inputs(method, year):
    """The plain data a run of `method` (plain) for `year` reads: results, contexts, schools
    and last year's list (the statuses in force for year − 1)."""
    first = year - engine.window(method) + 1
    failed = fn.COALESCE(AssessmentResult.mark2, AssessmentResult.below_min)
    results = list(AssessmentResult.select(
        AssessmentResult.school, AssessmentResult.procedure, AssessmentResult.subject,
        AssessmentResult.grade, AssessmentResult.year, AssessmentResult.participants, failed,
        AssessmentResult.mean_score).where(AssessmentResult.year.between(first, year)).tuples())
    contexts = {c.school_id: c.plain() for c in
                SchoolContext.select().where(SchoolContext.year == year)}
    named = [(s.id, s.short_name) for s in schools()]
    return {"results": results, "contexts": contexts, "schools": named,
            "previous": LowResultStatus.listed_ids(year - 1)}


def compute(methodology, year):
    """engine.evaluate over the stored data."""
    method = methodology.plain()
    inputs = run_inputs(method, year)
    return engine.evaluate(method, year, inputs["results"], inputs["contexts"],
                           inputs["schools"], inputs["previous"])


def missing_message(missing, year, everyone=False):
    """A Russian message naming the schools and what each lacks."""
    if everyone:
        return (f"Нет результатов оценочных процедур за {year} год ни по одной школе: "
                f"перечень на {year}/{year + 1} учебный год рассчитать нельзя. Загрузите "
                "результаты ВПР, ОГЭ и ЕГЭ (раздел «Мониторинг» → «Результаты»). Например: "
                + "; ".join(f"{name} — {', '.join(lacks)}" for name, lacks in missing[:3]) + ".")
    head = (f"Нет данных для расчёта на {year}/{year + 1} учебный год: загрузите результаты "
            "оценочных процедур (раздел «Мониторинг» → «Результаты») или данные о социальном "
            "контексте. Не хватает: ")
    shown = [f"{name} — {', '.join(lacks)}" for name, lacks in missing[:15]]
    more = f"; и ещё {len(missing) - 15} школ" if len(missing) > 15 else ""
    return head + "; ".join(shown) + more + "."


def run_methodology(methodology, year, author):
    """Compute and save the list of `year` (the earlier drafts of the year are replaced); the
    methodology is frozen. Refuses when data are missing. A year whose list is approved may be
    computed again (late results, a new version of the methodology): the approved list stays in
    force until the department registers an order on the new one."""
    outcome = compute(methodology, year)
    if outcome["missing"]:
        everyone = not AssessmentResult.select().where(AssessmentResult.year == year).exists()
        raise IdentificationError(missing_message(outcome["missing"], year, everyone))
    with db.atomic():
        IdentificationRun.update(status="superseded", version=IdentificationRun.version + 1).where(
            (IdentificationRun.year == year) & (IdentificationRun.status == "draft")).execute()
        Methodology.update(is_frozen=True).where(Methodology.id == methodology.id).execute()
        run = IdentificationRun.create(methodology=methodology.id, year=year, created_by=author)
        rows = [{"run": run.id, "school": r["school"], "school_name": r["name"],
                 "computed": r["computed"], "listed": r["computed"], "met_count": r["met"],
                 "near": r["near"], "change": r["change"],
                 "details_json": json.dumps(r["criteria"], ensure_ascii=False)}
                for r in outcome["rows"]]
        for start in range(0, len(rows), 200):
            IdentificationRow.insert_many(rows[start:start + 200]).execute()
        _count(run)
    return IdentificationRun.get_by_id(run.id)


def _count(run):
    rows = IdentificationRow.select().where(IdentificationRow.run == run.id)
    IdentificationRun.update(
        listed_count=rows.where(IdentificationRow.listed).count(),
        entered_count=rows.where(IdentificationRow.change == "entered").count(),
        left_count=rows.where(IdentificationRow.change == "left").count(),
        near_count=rows.where(IdentificationRow.near & ~IdentificationRow.listed).count(),
        version=IdentificationRun.version + 1,
    ).where(IdentificationRun.id == run.id).execute()


def change_by_hand(run, row, include, reason, author):
    """Add (`include`) or remove a school by hand with a written reason; a draft list only.
    Undoing a change (back to what the methodology says) keeps no reason."""
    reason = (reason or "").strip()
    if not reason:
        raise IdentificationError("Укажите причину изменения: она будет видна в перечне.")
    with db.atomic():
        run = IdentificationRun.get_by_id(run.id)
        if run.status != "draft":
            raise IdentificationError("Перечень уже утверждён приказом или заменён новым "
                                      "расчётом: изменить его нельзя.")
        manual = "" if include == row.computed else ("add" if include else "remove")
        previous = LowResultStatus.listed_ids(run.year - 1)
        was = row.school_id in previous
        change = "entered" if include and not was else "left" if was and not include else ""
        IdentificationRow.update(listed=include, manual=manual,
                                 reason=reason if manual else "", change=change,
                                 manual_by=author, manual_at=datetime.now()).where(
            IdentificationRow.id == row.id).execute()
        _count(run)
    return IdentificationRow.get_by_id(row.id)


# --- reads of a run ---------------------------------------------------------------------------

def latest_run(year):
    return (IdentificationRun.select().where((IdentificationRun.year == year)
                                             & (IdentificationRun.status != "superseded"))
            .order_by(IdentificationRun.id.desc()).first())


def runs():
    return list(IdentificationRun.select(IdentificationRun, Methodology)
                .join(Methodology).order_by(IdentificationRun.year.desc(),
                                            IdentificationRun.id.desc()))


FILTERS = {"listed": "В перечне", "entered": "Вошли в перечень", "left": "Вышли из перечня",
           "near": "Близко к порогу", "manual": "Изменены вручную", "all": "Все школы"}


def rows_query(run, show="listed"):
    query = IdentificationRow.select().where(IdentificationRow.run == run.id)
    if show == "listed":
        query = query.where(IdentificationRow.listed)
    elif show in ("entered", "left"):
        query = query.where(IdentificationRow.change == show)
    elif show == "near":
        query = query.where(IdentificationRow.near & ~IdentificationRow.listed)
    elif show == "manual":
        query = query.where(IdentificationRow.manual != "")
    return query.order_by(IdentificationRow.school_name, IdentificationRow.id)


# --- the approving order ----------------------------------------------------------------------

def approve(run, order, author, organization):
    """Register the order approving the list and set every school's status for the year from
    it (listed or not); all or nothing. The GeneratedDocument."""
    with db.atomic():
        run = IdentificationRun.get_by_id(run.id)
        if run.status != "draft":
            raise IdentificationError("Этот перечень уже утверждён или заменён новым расчётом: "
                                      "обновите страницу.")
        if not run.listed_count:
            raise IdentificationError("В перечне нет ни одной школы.")
        document = documents.register(
            DOCTYPE, {"order": order, "run": run}, title=order["heading"],
            on_date=order["order_date"], author=author, organization=organization,
            source=("identification_run", run.id))
        moved = IdentificationRun.update(status="approved", document=document,
                                         version=IdentificationRun.version + 1).where(
            (IdentificationRun.id == run.id) & (IdentificationRun.status == "draft")).execute()
        if not moved:
            raise IdentificationError("Перечень только что утвердил другой пользователь.")
        # The list approved before for the year (if any) gives way: the new order amends it.
        IdentificationRun.update(status="superseded", version=IdentificationRun.version + 1).where(
            (IdentificationRun.year == run.year) & (IdentificationRun.status == "approved")
            & (IdentificationRun.id != run.id)).execute()
        for row in IdentificationRow.select().where(IdentificationRow.run == run.id):
            set_status(row.school_id, run.year, row.listed, source="order",
                       reason=f"Приказ № {document.number}"
                              + (f"; {row.manual_label}: {row.reason}" if row.manual else ""),
                       document=document, user=author)
    return document


def publish(run):
    """Put the approving order on the public site and the methodology with it."""
    from models import GeneratedDocument
    with db.atomic():
        document = GeneratedDocument.get_by_id(run.document_id)
        if document.status == "registered":
            document = documents.publish(document)
        Methodology.update(is_published=True).where(
            Methodology.id == run.methodology_id).execute()
    return document
