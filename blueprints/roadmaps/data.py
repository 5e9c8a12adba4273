"""A road map as the plain description its documents and exports are built from."""
from collections import defaultdict

from flask import current_app, has_app_context

from models import ActivityEvidence, Organization, RoadmapActivity, RoadmapSection

from ..core import evidence
from ..core.evidence import HIDDEN_DOCUMENT, EvidenceKind
from ..documents.listing import doctype_title

ACTIVITY_EVIDENCE = EvidenceKind(ActivityEvidence, "activity")  # files: the model's rule




def _evidence(item, site_url):
    """A register document shows its number and date; once published, its public link.
    One the viewer may not see is only named as another organisation's document."""
    if item.kind == "document" and not item.document_shown:
        return {"kind": "document", "title": HIDDEN_DOCUMENT.capitalize(), "number": "",
                "date": None, "url": ""}
    document = item.document if item.document_id else None
    if document is not None:
        # Absolute from the configured site address; without one, no link: the document is
        # cited by its kind, number and date (a bare «/docs/…» path means nothing on paper).
        public = (f"{site_url.rstrip('/')}/docs/{document.year}/{document.slug}"
                  if site_url and document.status == "published" and document.slug else "")
        # Cited by its kind: «Приказ № 45 от 01.09.2026».
        return {"kind": "document", "title": doctype_title(document.doctype),
                "number": document.number or "",
                "date": document.registered_on, "url": public}
    url = (item.url or "") if item.kind == "url" else ""
    if url.startswith("/") and not url.startswith("//"):  # a page of this site
        url = f"{site_url.rstrip('/')}{url}" if site_url else ""
    return {"kind": item.kind, "title": item.title, "number": "", "date": None, "url": url}


def evidence_by_activity(activity_ids, viewer):
    """{activity id: [ActivityEvidence with its register document]} as `viewer` may see it
    (core.evidence.by_owner: `document_shown`, `file_readable`, `label`)."""
    return evidence.by_owner(ACTIVITY_EVIDENCE, activity_ids, viewer)


def roadmap_data(roadmap, viewer, site_url=""):
    """The road map as `viewer` may see it: documents of other organisations they may not
    see are named without their title and number. Links are absolute from `site_url` (the
    configured SITE_URL when not given); the organisation's head signs, `viewer` is the
    executor (with the organisation's phone)."""
    if not site_url and has_app_context():
        site_url = current_app.config.get("SITE_URL") or ""
    activity_ids = RoadmapActivity.select(RoadmapActivity.id).where(
        RoadmapActivity.roadmap == roadmap.id)
    evidence = {activity_id: [_evidence(item, site_url) for item in items]
                for activity_id, items in evidence_by_activity(activity_ids, viewer).items()}
    activities = defaultdict(list)
    for a in (RoadmapActivity.select().where(RoadmapActivity.roadmap == roadmap.id)
              .order_by(RoadmapActivity.position)):
        activities[a.section_id].append({
            "number": a.number, "title": a.title, "deadline_text": a.deadline_text,
            "starts_on": a.starts_on, "ends_on": a.ends_on, "responsible": a.responsible,
            "audience": a.audience, "expected_result": a.expected_result, "status": a.status,
            "execution": a.execution, "evidence": evidence.get(a.id, [])})
    organization = Organization.get_by_id(roadmap.organization_id)
    own = getattr(viewer, "organization", None) if getattr(viewer, "organization_id", None) \
        else None
    return {
        "title": roadmap.title, "organization_name": organization.full_name,
        "signer_position": organization.head_position, "signer_name": organization.head_name,
        "executor": getattr(viewer, "full_name", "") or "",
        "executor_phone": (own.phone if own is not None else "") or organization.phone,
        "approved_by": roadmap.approved_by, "approved_number": roadmap.approved_number,
        "approved_on": roadmap.approved_on, "period_start": roadmap.period_start,
        "period_end": roadmap.period_end,
        "sections": [{"number": s.number, "title": s.title, "activities": activities[s.id]}
                     for s in roadmap.sections.order_by(RoadmapSection.position)],
    }
