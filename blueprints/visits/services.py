"""Writes of curators and visits. No request access here: the views check who may act and
pass plain values; every write is one transaction (nothing is saved half)."""
from datetime import date

from models import (Curatorship, GeneratedDocument, LowResultStatus, Organization, RiskFactor,
                    Roadmap, User, Visit, VisitFinding, VisitRecommendation, current_school_year,
                    db, may_curate, now)
from models.roadmap import add_activities
from models.visit import VISIT_CORRECTABLE, VISIT_EDITABLE

from ..core.deadlines import read_deadline
from ..documents import api as documents

SOURCE = "visit"
ROADMAP_SECTION = "Рекомендации кураторов по итогам выездов в школы"


class VisitError(Exception):
    """A Russian message for the user; `status` the HTTP answer."""

    def __init__(self, message, status=422):
        super().__init__(message)
        self.status = status


# --- curators -------------------------------------------------------------------------------

def listed_schools(year=None):
    """The schools of the school year's list (LowResultStatus.listed_schools), by name."""
    return LowResultStatus.listed_schools(current_school_year() if year is None else year)


def possible_curators():
    """Active centre methodists and staff of leader schools, by name."""
    return [u for u in User.select(User, Organization).join(
        Organization, on=(User.organization == Organization.id))
        .where(User.is_active & ((User.role == "centre") | ((User.role == "school")
                                                            & Organization.is_leader)))
        .order_by(User.full_name) if may_curate(u)]


def assign_curator(curator_id, school_id, date_from, date_to, author):
    """A curatorship of a listed school by a possible curator; VisitError otherwise."""
    curator = User.get_or_none(User.id == curator_id)
    if curator is None or not may_curate(curator):
        raise VisitError("Куратором может быть методист центра или сотрудник школы-лидера с "
                         "действующей учётной записью.")
    listed = {s.id: s for s in listed_schools()}
    school = listed.get(school_id)
    if school is None:
        raise VisitError("Эта школа не входит в утверждённый перечень школ с низкими "
                         "результатами текущего учебного года: куратора ей не назначают.")
    if curator.organization_id == school.id:
        raise VisitError("Сотрудник школы не может быть куратором своей же школы.")
    with db.atomic():
        overlap = Curatorship.select().where(
            (Curatorship.curator == curator.id) & (Curatorship.school == school.id)
            & (Curatorship.date_from <= date_to) & (Curatorship.date_to >= date_from)).exists()
        if overlap:
            raise VisitError(f"{curator.full_name} уже куратор {school.short_name} в эти даты.",
                             409)
        return Curatorship.create(curator=curator, school=school, date_from=date_from,
                                  date_to=date_to, assigned_by=author)


def end_curatorship(curatorship, today=None):
    """End today (or delete one that has not started yet)."""
    today = today or date.today()
    with db.atomic():
        if curatorship.date_from > today:
            curatorship.delete_instance()
            return None
        Curatorship.update(date_to=min(curatorship.date_to, today)).where(
            Curatorship.id == curatorship.id).execute()
    return curatorship


def centre_id():
    """The methodological centre: the register a curator from a leader school files into."""
    centre = Organization.centre()
    return centre.id if centre else None


# --- visits -----------------------------------------------------------------------------------

def plan_visit(curatorship, values, author):
    """A planned visit of the curatorship's curator to its school."""
    if not curatorship.is_current():
        raise VisitError("Кураторство не действует сегодня: выезд не запланировать.")
    if not curatorship.date_from <= values["visit_date"] <= curatorship.date_to:
        raise VisitError(f"Дата выезда вне периода кураторства: с "
                         f"{curatorship.date_from:%d.%m.%Y} по {curatorship.date_to:%d.%m.%Y}.")
    return Visit.create(school=curatorship.school_id, curator=curatorship.curator_id,
                        visit_date=values["visit_date"], purpose=values["purpose"],
                        participants=values.get("participants") or "", created_by=author)


def visit_period(visit):
    """The school years the deadlines of a visit are read in: its school year and the next."""
    year = current_school_year(visit.visit_date)
    return year, year + 1


def factors_for(visit):
    return list(RiskFactor.in_force(current_school_year(visit.visit_date)))


def posted_findings(visit, formdata):
    """{factor id: text} from finding-<code> fields; a code not in force that year is refused."""
    factors = {str(f.code): f for f in factors_for(visit)}
    findings = {}
    for key in formdata:
        if not key.startswith("finding-"):
            continue
        code = key[len("finding-"):]
        text = (formdata.get(key) or "").strip()
        if code not in factors:
            raise VisitError(f"Фактора риска с кодом «{code[:20]}» в {visit.visit_date.year} году "
                             "нет в справочнике: обновите страницу.")
        if len(text) > 5000:
            raise VisitError(f"Вывод по фактору «{factors[code].name}» длиннее 5000 символов.")
        if text:
            findings[factors[code].id] = text
    return findings


PUBLISHED = ("Справка опубликована: исправить её нельзя. Если в ней ошибка, отзовите её в "
             "реестре с указанием причины.")


def save_report(visit, values, findings, rows, version, author=None):
    """Store the write-up (fields, findings, recommendation rows) at once; the visit becomes
    «справка составлена». A registered report is corrected: the register gets a new version
    of it under the same number, in the same transaction. A stale `version` → VisitError
    409."""
    if not (visit.is_editable or visit.is_correctable):
        raise VisitError(PUBLISHED, 409)
    correcting = visit.is_correctable
    period = visit_period(visit)
    with db.atomic():
        done = Visit.update(
            visit_date=values["visit_date"], purpose=values["purpose"],
            participants=values["participants"] or "", lessons=values["lessons"] or "",
            papers_checked=values["papers_checked"] or "",
            interviews=values["interviews"] or "", conclusion=values["conclusion"] or "",
            status="registered" if correcting else "written", version=Visit.version + 1,
            updated_at=now()).where(
            (Visit.id == visit.id) & (Visit.version == version)
            & Visit.status.in_(VISIT_CORRECTABLE if correcting else VISIT_EDITABLE)).execute()
        if not done:
            raise VisitError("Справку уже изменили в другой вкладке или другой сотрудник: "
                             "обновите страницу.", 409)
        VisitFinding.delete().where(VisitFinding.visit == visit.id).execute()
        for factor_id, text in findings.items():
            VisitFinding.create(visit=visit.id, risk_factor=factor_id, text=text)
        # A row already in the road map keeps its activity while its text stays the same.
        added = {(r.text, r.deadline_text, r.responsible): r.activity_id
                 for r in visit.recommendations}
        VisitRecommendation.delete().where(VisitRecommendation.visit == visit.id).execute()
        for position, row in enumerate(r for r in rows if any(r.values())):
            deadline = read_deadline(row["deadline_text"], *period)
            VisitRecommendation.create(
                visit=visit.id, position=position, text=row["text"],
                deadline_text=row["deadline_text"], responsible=row["responsible"],
                starts_on=deadline.start, ends_on=deadline.end,
                activity=added.get((row["text"], row["deadline_text"], row["responsible"])))
        if correcting:
            corrected = documents.correct(GeneratedDocument.get_by_id(visit.document_id),
                                          Visit.get_by_id(visit.id), author=author)
            Visit.update(document=corrected).where(Visit.id == visit.id).execute()
    return Visit.get_by_id(visit.id)


def delete_visit(visit):
    """Remove a visit whose report is not registered (its findings and recommendations go with
    it); a report registered meanwhile stays."""
    with db.atomic():
        deleted = Visit.delete().where((Visit.id == visit.id)
                                       & Visit.status.in_(VISIT_EDITABLE)).execute()
    if not deleted:
        raise VisitError("Справку по этому выезду уже зарегистрировали: обновите страницу.", 409)


def report_title(visit):
    return f"Справка по итогам выезда в {visit.school.short_name} {visit.visit_date:%d.%m.%Y}"


def register_report(visit, author, organization, on_date=None):
    """Register the visit report (visit_report) in the centre's register."""
    if visit.status == "planned":
        raise VisitError("Сначала заполните справку: что увидели, выводы и рекомендации.", 409)
    if visit.status != "written":
        raise VisitError("Справка уже зарегистрирована.", 409)
    with db.atomic():
        document = documents.register(
            "visit_report", visit, title=report_title(visit), on_date=on_date or date.today(),
            author=author, organization=organization, source=(SOURCE, visit.id))
        moved = Visit.update(status="registered", document=document, updated_at=now()).where(
            (Visit.id == visit.id) & (Visit.status == "written")).execute()
        if not moved:
            raise VisitError("Справку уже зарегистрировали: обновите страницу.", 409)
    return document


def publish_report(visit):
    if visit.status != "registered" or visit.document is None:
        raise VisitError("Опубликовать можно зарегистрированную справку.", 409)
    with db.atomic():
        documents.publish(visit.document)
        Visit.update(status="published", updated_at=now()).where(Visit.id == visit.id).execute()


# --- recommendations → road map --------------------------------------------------------------

def roadmaps_for(school_id, staff=True):
    """Active road maps the school takes part in (its own or where it is among the responsible)
    first, then the other active ones — for a curator from a school, only the municipal ones
    (the centre's, the department's): another school's own map is not theirs to add to."""
    from models import ActivityOrganization, RoadmapActivity
    taking_part = set(r.roadmap_id for r in RoadmapActivity.select(RoadmapActivity.roadmap).join(
        ActivityOrganization).where(ActivityOrganization.organization == school_id))
    maps = list(Roadmap.select().where(Roadmap.status == "active")
                .order_by(Roadmap.period_start.desc(), Roadmap.title))
    own = [m for m in maps if m.organization_id == school_id or m.id in taking_part]
    others = [m for m in maps if m not in own
              and (staff or m.organization.kind in ("centre", "department"))]
    return own + others, {m.id for m in own}


def pending_recommendations(visit):
    return list(visit.recommendations.where(VisitRecommendation.activity.is_null())
                .order_by(VisitRecommendation.position))


def add_to_roadmap(visit, roadmap, user):
    """Each recommendation not yet added becomes an activity of `roadmap` (its section of
    curators' recommendations), the school among the responsible; all or nothing."""
    rows = pending_recommendations(visit)
    if not rows:
        raise VisitError("Все рекомендации этого выезда уже в дорожной карте.", 409)
    school = visit.school
    values = []
    for row in rows:  # read again in the road map's period, as its own activities are
        deadline = read_deadline(row.deadline_text, roadmap.period_start, roadmap.period_end)
        values.append({
            "title": f"{row.text} (рекомендация по итогам выезда {visit.visit_date:%d.%m.%Y})",
            "deadline_text": row.deadline_text[:500], "starts_on": deadline.start,
            "ends_on": deadline.end, "recurrence": deadline.recurrence,
            "deadline_read": deadline.is_read,
            "responsible": f"{school.short_name}: {row.responsible}",
            "expected_result": "Рекомендация куратора выполнена"})
    with db.atomic():
        activities = add_activities(roadmap, ROADMAP_SECTION, values, user,
                                    organizations=[school.id])
        for row, activity in zip(rows, activities):
            VisitRecommendation.update(activity=activity.id).where(
                (VisitRecommendation.id == row.id)
                & VisitRecommendation.activity.is_null()).execute()
    return activities
