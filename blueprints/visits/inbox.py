"""What curators have waiting (core/inbox.py): each curated school with something late
(overdue road-map activities, a monitoring report due or overdue, a programme returned) and
the visits whose day has come with the report not yet written."""
from flask import url_for

from ..core.inbox import Item
from . import reads


def waiting(user, today):
    if user.role not in ("centre", "school") or not reads.is_curator(user):
        return []
    items = []
    mine = reads.curatorships_for(user, today, own=True)
    for state in reads.school_states(mine, today):
        lines = state.late(today)
        if lines:
            items.append(Item(f"Курируемая школа {state.school.short_name}: "
                              f"{'; '.join(lines)}",
                              url_for("visits.index", _anchor=f"school-{state.school.id}"),
                              due=state.due(today), note="Вы куратор этой школы."))
    for visit in reads.visits_to_write(user, today):
        items.append(Item(f"Заполните справку по итогам выезда в {visit.school.short_name}",
                          url_for("visits.edit", visit_id=visit.id), due=visit.visit_date,
                          note=f"Выезд {visit.visit_date:%d.%m.%Y}: {visit.purpose[:100]}"))
    return items
