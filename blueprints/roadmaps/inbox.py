"""What road maps ask of each role (core/inbox.py): a school, its activities overdue or due
within two weeks; the centre and the department, the road maps with overdue activities."""
from datetime import timedelta

from flask import url_for

from models import ActivityOrganization, Roadmap, RoadmapActivity
from models.roadmap import CLOSED

from ..core.filters import plural_ru
from ..core.inbox import SOON, Item

LISTED = 30


def waiting(user, today):
    if user.role == "school":
        return _school(user, today)
    rows = (RoadmapActivity.progress(today).select_extend(Roadmap.title)
            .join(Roadmap, on=(RoadmapActivity.roadmap == Roadmap.id))
            .group_by(RoadmapActivity.roadmap, Roadmap.title).dicts())
    return [Item(f"Просрочено {row['overdue']} "
                 f"{plural_ru(row['overdue'], 'мероприятие', 'мероприятия', 'мероприятий')} "
                 f"по дорожной карте «{row['title']}»",
                 url_for("roadmaps.show", roadmap_id=row["roadmap"], overdue=1),
                 note="Напомните ответственным школам или перенесите сроки.")
            for row in rows if row["overdue"]]


def _school(user, today):
    activities = list(
        RoadmapActivity.select().join(ActivityOrganization, on=(
            ActivityOrganization.activity == RoadmapActivity.id))
        .where((ActivityOrganization.organization == user.organization_id)
               & RoadmapActivity.ends_on.is_null(False)
               & (RoadmapActivity.ends_on <= today + timedelta(days=SOON))
               & RoadmapActivity.status.not_in(CLOSED))
        .order_by(RoadmapActivity.ends_on).limit(LISTED))
    return [Item(f"Мероприятие дорожной карты: {a.title}",
                 url_for("roadmaps.show", roadmap_id=a.roadmap_id, mine=1,
                         _anchor=f"activity-{a.id}"),
                 due=a.ends_on, note="Отметьте исполнение и приложите подтверждение.")
            for a in activities]
