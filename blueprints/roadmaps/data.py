"""A road map as the plain description its documents and exports are built from."""
from collections import defaultdict

from peewee import JOIN

from models import (ActivityEvidence, GeneratedDocument, Organization, RoadmapActivity,
                    RoadmapSection)

from ..documents.listing import doctype_title


def _evidence(item, site_url):
    """A register document shows its number and date; once published, its public link."""
    document = item.document if item.document_id else None
    if document is not None:
        public = (f"{site_url.rstrip('/')}/docs/{document.year}/{document.slug}"
                  if document.status == "published" and document.slug else "")
        # Cited by its kind: «Приказ № 45 от 01.09.2026».
        return {"kind": "document", "title": doctype_title(document.doctype),
                "number": document.number or "",
                "date": document.registered_on, "url": public}
    return {"kind": item.kind, "title": item.title, "number": "", "date": None,
            "url": item.url if item.kind == "url" else ""}


def evidence_by_activity(activity_ids):
    """{activity id: [ActivityEvidence with its register document]} in the order added."""
    evidence = defaultdict(list)
    for item in (ActivityEvidence.select(ActivityEvidence, GeneratedDocument)
                 .join(GeneratedDocument, on=(ActivityEvidence.document == GeneratedDocument.id),
                       join_type=JOIN.LEFT_OUTER)
                 .where(ActivityEvidence.activity.in_(activity_ids)).order_by(ActivityEvidence.id)):
        evidence[item.activity_id].append(item)
    return evidence


def roadmap_data(roadmap, site_url=""):
    activity_ids = RoadmapActivity.select(RoadmapActivity.id).where(
        RoadmapActivity.roadmap == roadmap.id)
    evidence = {activity_id: [_evidence(item, site_url) for item in items]
                for activity_id, items in evidence_by_activity(activity_ids).items()}
    activities = defaultdict(list)
    for a in (RoadmapActivity.select().where(RoadmapActivity.roadmap == roadmap.id)
              .order_by(RoadmapActivity.position)):
        activities[a.section_id].append({
            "number": a.number, "title": a.title, "deadline_text": a.deadline_text,
            "starts_on": a.starts_on, "ends_on": a.ends_on, "responsible": a.responsible,
            "audience": a.audience, "expected_result": a.expected_result, "status": a.status,
            "execution": a.execution, "evidence": evidence.get(a.id, [])})
    organization = Organization.get_by_id(roadmap.organization_id)
    return {
        "title": roadmap.title, "organization_name": organization.full_name,
        "approved_by": roadmap.approved_by, "approved_number": roadmap.approved_number,
        "approved_on": roadmap.approved_on, "period_start": roadmap.period_start,
        "period_end": roadmap.period_end,
        "sections": [{"number": s.number, "title": s.title, "activities": activities[s.id]}
                     for s in roadmap.sections.order_by(RoadmapSection.position)],
    }
