"""«Напомнить»: the schools responsible for a road map's activities that are overdue or due
within two weeks, and the reminder the centre sends them at once."""
from collections import defaultdict
from datetime import date, timedelta

from models import ActivityOrganization, Organization, RoadmapActivity
from models.roadmap import CLOSED

from ..core.filters import date_num, plural_ru
from ..core.notify import notify, school_users

AHEAD = 14  # days


def due_by_school(roadmap, today=None):
    """[(school, overdue activities, due soon)] of the schools with anything due, by name."""
    today = today or date.today()
    rows = (ActivityOrganization.select(ActivityOrganization, RoadmapActivity, Organization)
            .join(RoadmapActivity).switch(ActivityOrganization).join(Organization)
            .where((RoadmapActivity.roadmap == roadmap.id) & (Organization.kind == "school")
                   & RoadmapActivity.ends_on.is_null(False)
                   & (RoadmapActivity.ends_on <= today + timedelta(days=AHEAD))
                   & RoadmapActivity.status.not_in(CLOSED))
            .order_by(Organization.short_name, RoadmapActivity.ends_on))
    found, schools = defaultdict(lambda: ([], [])), {}
    for link in rows:
        schools[link.organization.id] = link.organization
        overdue, soon = found[link.organization.id]
        (overdue if link.activity.ends_on < today else soon).append(link.activity)
    return [(schools[i], *found[i]) for i in found]


def _text(roadmap, overdue, soon):
    parts = []
    if overdue:
        parts.append(f"просрочено {len(overdue)} "
                     f"{plural_ru(len(overdue), 'мероприятие', 'мероприятия', 'мероприятий')}")
    if soon:
        first = min(a.ends_on for a in soon)
        parts.append(f"{len(soon)} {plural_ru(len(soon), 'мероприятие', 'мероприятия', 'мероприятий')}"
                     f" со сроком до {date_num(first)} и позже в ближайшие две недели")
    return (f"Центр напоминает: по дорожной карте «{roadmap.title}» {', '.join(parts)}. "
            "Отметьте исполнение и приложите подтверждения.")


def remind(roadmap, school_ids, today=None):
    """Notify the users of the chosen schools (of those with anything due); returns the
    schools reminded."""
    reminded = []
    for school, overdue, soon in due_by_school(roadmap, today):
        if school.id not in school_ids:
            continue
        notify(school_users(school.id), "reminder", _text(roadmap, overdue, soon),
               f"/roadmaps/{roadmap.id}?mine=1")
        reminded.append(school)
    return reminded
