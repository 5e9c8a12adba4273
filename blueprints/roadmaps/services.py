"""Road-map writes: save an import, edit activities and sections with their history, link
evidence. No request access here."""
import re
from datetime import date

from peewee import fn

from models import (ACTIVITY_STATUSES, ActivityChange, ActivityOrganization,
                    Roadmap, RoadmapActivity, RoadmapSection, db, now)

from ..core import evidence
from ..core.deadlines import read_deadline
from ..core.orgnames import OrganizationMatcher
from .data import ACTIVITY_EVIDENCE

HISTORY_FIELDS = {"number": "№", "title": "Мероприятие", "deadline_text": "Срок",
                  "responsible": "Ответственные", "audience": "Целевая аудитория",
                  "expected_result": "Ожидаемый результат", "status": "Статус",
                  "execution": "Информация об исполнении", "evidence": "Подтверждение",
                  "section": "Раздел", "created": "Добавлено"}


class EditConflict(Exception):
    """The activity changed after the form was opened."""


# --- import -----------------------------------------------------------------------------------

def same_roadmaps(parsed, filename):
    """Road maps already loaded that look like this file: the same title, or the same file name
    with as many activities (a second import is allowed, but never by accident)."""
    title = (parsed.title or filename or "Дорожная карта")[:1000]
    count = RoadmapActivity.select(fn.COUNT(RoadmapActivity.id)).where(
        RoadmapActivity.roadmap == Roadmap.id)
    return list(Roadmap.select(Roadmap, count.alias("activities")).where(
        (Roadmap.title == title)
        | ((Roadmap.source_filename == filename[:255]) & (count == len(parsed.activities))))
        .order_by(Roadmap.created_at))


def save_roadmap(parsed, organization, author, filename="", period=None):
    """Store a parsed road map (ParsedRoadmap) in one transaction; return the Roadmap."""
    start = parsed.period_start or (period[0] if period else date.today().year)
    end = parsed.period_end or (period[1] if period else start)
    matcher = OrganizationMatcher()
    with db.atomic():
        roadmap = Roadmap.create(
            title=(parsed.title or filename or "Дорожная карта")[:1000], organization=organization,
            period_start=start, period_end=end, approved_number=parsed.approved_number[:50],
            approved_on=parsed.approved_on, approved_by=_approved_by(parsed.stamp),
            source_filename=filename[:255], created_by=author)
        for s_index, section in enumerate(parsed.sections):
            row = RoadmapSection.create(roadmap=roadmap, position=s_index,
                                        number=section.number[:20], title=section.title[:1000])
            for a_index, item in enumerate(section.activities):
                deadline = read_deadline(item.deadline_text, start, end)
                activity = RoadmapActivity.create(
                    roadmap=roadmap, section=row, position=a_index, number=item.number[:20],
                    title=item.title, deadline_text=item.deadline_text[:500],
                    starts_on=deadline.start, ends_on=deadline.end,
                    recurrence=deadline.recurrence, deadline_read=deadline.is_read,
                    responsible=item.responsible, audience=item.audience,
                    expected_result=item.expected_result, execution=item.execution_info)
                _link_organizations(activity, matcher(item.responsible))
    return roadmap


def update_roadmap(roadmap, values):
    """Title, period, approval and status; deadlines are read again for a new period."""
    with db.atomic():
        Roadmap.update(**values, revision=Roadmap.revision + 1, updated_at=now()).where(
            Roadmap.id == roadmap.id).execute()
        if (values["period_start"], values["period_end"]) != (roadmap.period_start,
                                                              roadmap.period_end):
            for activity in RoadmapActivity.select().where(RoadmapActivity.roadmap == roadmap.id):
                deadline = read_deadline(activity.deadline_text, values["period_start"],
                                         values["period_end"])
                RoadmapActivity.update(starts_on=deadline.start, ends_on=deadline.end,
                                       recurrence=deadline.recurrence,
                                       deadline_read=deadline.is_read).where(
                    RoadmapActivity.id == activity.id).execute()
    return Roadmap.get_by_id(roadmap.id)


def delete_roadmap(roadmap):
    with db.atomic():
        roadmap.delete_instance(recursive=True)


def _approved_by(stamp):
    """«приказом управления образования …» from the stamp as written, without date and number."""
    match = re.search(r"(приказом|распоряжением|постановлением|решением)\s+(.+?)(?:\s+от\s|\s*№|$)",
                      (stamp or "").replace("\n", " "), re.IGNORECASE)
    return f"{match.group(1).lower()} {match.group(2).strip()}"[:500] if match else ""


def _link_organizations(activity, org_ids):
    ActivityOrganization.delete().where(ActivityOrganization.activity == activity.id).execute()
    if org_ids:
        ActivityOrganization.insert_many(
            [{"activity": activity.id, "organization": org_id} for org_id in org_ids]).execute()


# --- editing ----------------------------------------------------------------------------------

def touch(roadmap_id):
    """Mark the road map changed: pages cached for an older revision are not served again."""
    Roadmap.update(revision=Roadmap.revision + 1, updated_at=now()).where(
        Roadmap.id == roadmap_id).execute()


def _record(activity_id, user, field, old, new):
    ActivityChange.create(activity=activity_id, user=user, field=field, old=str(old or ""),
                          new=str(new or ""))


def update_activity(activity, changes, user, version):
    """Apply {field: value}; keep each change in the history. A stale `version` conflicts."""
    roadmap = activity.roadmap
    changed = {k: v for k, v in changes.items() if getattr(activity, k) != v}
    if not changed:
        return activity
    values = dict(changed)
    if "deadline_text" in changed:
        deadline = read_deadline(changed["deadline_text"], roadmap.period_start, roadmap.period_end)
        values.update(starts_on=deadline.start, ends_on=deadline.end,
                      recurrence=deadline.recurrence, deadline_read=deadline.is_read)
    with db.atomic():
        values.update(activity.search_update(changed))
        done = RoadmapActivity.update(**values, version=RoadmapActivity.version + 1,
                                      updated_at=now()).where(
            (RoadmapActivity.id == activity.id) & (RoadmapActivity.version == version)).execute()
        if not done:
            raise EditConflict()
        for field, value in changed.items():
            old = getattr(activity, field)
            if field == "status":
                old, value = ACTIVITY_STATUSES.get(old, old), ACTIVITY_STATUSES.get(value, value)
            _record(activity.id, user, field, old, value)
        if "responsible" in changed:
            _link_organizations(activity, OrganizationMatcher()(changed["responsible"]))
        touch(activity.roadmap_id)
    return RoadmapActivity.get_by_id(activity.id)


def add_activity(section, title, user):
    with db.atomic():
        position = RoadmapActivity.select().where(RoadmapActivity.section == section.id).count()
        activity = RoadmapActivity.create(roadmap=section.roadmap_id, section=section,
                                          position=position, title=title)
        _record(activity.id, user, "created", "", title)
        touch(section.roadmap_id)
    return activity


def delete_activity(activity):
    with db.atomic():
        activity.delete_instance(recursive=True)
        _renumber(RoadmapActivity, RoadmapActivity.section == activity.section_id)
        touch(activity.roadmap_id)


def _renumber(model, condition):
    for position, row in enumerate(model.select(model.id).where(condition).order_by(
            model.position, model.id)):
        model.update(position=position).where(model.id == row.id).execute()


def move(model, row, step, condition):
    """Swap `row` with its neighbour (step −1 up, +1 down) within `condition`."""
    with db.atomic():
        touch(row.roadmap_id)
        _renumber(model, condition)
        rows = list(model.select(model.id).where(condition).order_by(model.position))
        ids = [r.id for r in rows]
        index = ids.index(row.id)
        other = index + step
        if 0 <= other < len(ids):
            model.update(position=other).where(model.id == ids[index]).execute()
            model.update(position=index).where(model.id == ids[other]).execute()


def move_activity(activity, step):
    move(RoadmapActivity, activity, step, RoadmapActivity.section == activity.section_id)


def move_section(section, step):
    move(RoadmapSection, section, step, RoadmapSection.roadmap == section.roadmap_id)


def save_section(roadmap, number, title, section=None):
    with db.atomic():
        touch(roadmap.id)
        if section is None:
            position = RoadmapSection.select().where(RoadmapSection.roadmap == roadmap.id).count()
            return RoadmapSection.create(roadmap=roadmap, position=position, number=number,
                                         title=title)
        RoadmapSection.update(number=number, title=title).where(
            RoadmapSection.id == section.id).execute()
        return RoadmapSection.get_by_id(section.id)


def delete_section(section):
    with db.atomic():
        section.delete_instance(recursive=True)
        _renumber(RoadmapSection, RoadmapSection.roadmap == section.roadmap_id)
        touch(section.roadmap_id)


# --- evidence -------------------------------------------------------------------------------

DOCUMENT_LABEL = "документ из реестра"  # the history's word for a linked document


def add_evidence(activity, user, document=None, url="", title="", upload=None,
                 organization=None):
    """Link a register document, an external URL, or keep an uploaded file (name, bytes)
    (core.evidence.add), with its line in the activity's history. `organization` is whose
    evidence it is (the adding user's): it decides who reads a file. The history only names a
    linked document's kind (it is read by every user)."""
    with db.atomic():
        item = evidence.add(ACTIVITY_EVIDENCE, activity, user, document=document, url=url,
                            title=title, upload=upload, organization=organization)
        _record(activity.id, user, "evidence", "", _history_label(item))
        touch(activity.roadmap_id)
    return item


def _history_label(evidence):
    """The history is read by every user: a linked document is named by its kind only."""
    return DOCUMENT_LABEL if evidence.kind == "document" else evidence.title


def remove_evidence(item, user):
    with db.atomic():
        _record(item.activity_id, user, "evidence", _history_label(item), "")
        touch(item.activity.roadmap_id)
        evidence.remove(item)


# The register documents one may cite: one rule for every kind of evidence (core.evidence).
pickable_documents = evidence.pickable_documents
pickable_document = evidence.pickable_document
registered_documents = evidence.registered_documents
