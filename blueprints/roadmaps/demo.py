"""Demo: the three seed road maps imported through the importer, with the demo district's
schools among the responsible, a mix of statuses and evidence linked to the demo order and
protocol."""
import re
from dataclasses import replace
from datetime import date

from models import GeneratedDocument, Organization, RoadmapActivity, User, current_school_year

from . import samples, services
from .importer import parse_roadmap

DEMO_SCHOOLS = ("МБОУ «СОШ № 1»", "МБОУ «СОШ № 2»", "МБОУ «ООШ № 6»")


def load_demo_roadmaps():
    centre = Organization.get(Organization.kind == "centre")
    author = User.get(User.login == "centre")
    roadmaps = []
    for name in ("smolensk", "moscow-region", "lesosibirsk"):
        seed = samples.seed(name)
        if name == "lesosibirsk":
            seed = _this_school_year(seed)
        parsed = parse_roadmap(samples.build_docx(seed), f"{name}.docx")
        roadmaps.append(services.save_roadmap(parsed, centre.id, author.id, f"{name}.docx"))
    _statuses_and_evidence(roadmaps[-1], author)
    return roadmaps


def _this_school_year(seed):
    """The Lesosibirsk plan of 2020/2021 moved to the school year under way (2020 → its start,
    2021 → the next): the demo district works through a year in progress, not one whose every
    deadline passed years ago."""
    start = current_school_year()

    def shift(text):
        return re.sub(r"\b(2020|2021)\b", lambda m: str(start + int(m.group(1)) - 2020), text)

    return replace(seed, title=[shift(line) for line in seed.title],
                   rows=[shift(row) if isinstance(row, str) else [shift(c) for c in row]
                         for row in seed.rows])


def _statuses_and_evidence(roadmap, author):
    """A year in progress: earlier items done or failed, later ones planned or in work, the
    demo schools responsible for some, two items proven by the demo order and protocol."""
    activities = list(RoadmapActivity.select().where(RoadmapActivity.roadmap == roadmap.id)
                      .order_by(RoadmapActivity.section, RoadmapActivity.position))
    # Past deadlines mostly done, some failed or still in work (late); later ones planned.
    past = ["done", "done", "done", "failed", "in_progress", "done", "postponed"]
    later = ["planned", "planned", "in_progress"]
    today = date.today()
    for index, activity in enumerate(activities):
        statuses = past if activity.ends_on is None or activity.ends_on < today else later
        changes = {"status": statuses[index % len(statuses)]}
        if changes["status"] == "done":
            changes["execution"] = "Выполнено в срок, материалы размещены на сайте центра."
        if index % 3 == 0:
            school = DEMO_SCHOOLS[index % len(DEMO_SCHOOLS)]
            changes["responsible"] = f"{activity.responsible}, {school}".strip(", ")
        services.update_activity(activity, changes, author.id, activity.version)
    documents = list(GeneratedDocument.select().where(
        GeneratedDocument.doctype.in_(("order", "protocol"))
        & GeneratedDocument.status.in_(("registered", "published"))).order_by(GeneratedDocument.id))
    done = [a for a in RoadmapActivity.select().where((RoadmapActivity.roadmap == roadmap.id)
                                                      & (RoadmapActivity.status == "done"))]
    for activity, document in zip(done, documents):
        services.add_evidence(activity, author.id, document=document,
                              organization=author.organization_id)
    if done:
        services.add_evidence(done[-1], author.id, url="https://example.ru/news/2026/seminar",
                              title="Новость о семинаре на сайте центра",
                              organization=author.organization_id)
