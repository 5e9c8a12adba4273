"""What identification asks of each role (core/inbox.py): the centre — a methodology to run for
the current school year, a list awaiting its order; the department — a list awaiting the
approving order."""
from flask import url_for

from models import IdentificationRun, Methodology, current_school_year, school_year

from ..core.inbox import Item


def waiting(user, today):
    if user.role not in ("centre", "admin", "department"):
        return []
    year = current_school_year()
    runs = list(IdentificationRun.select().where((IdentificationRun.year == year)
                                                 & (IdentificationRun.status != "superseded")))
    drafts = [r for r in runs if r.status == "draft"]
    if user.role == "department":
        return [Item(f"Перечень ШНОР на {school_year(year)} учебный год ждёт приказа об "
                     "утверждении", url_for("identification.order", run_id=r.id),
                     note=f"В перечне {r.listed_count} школ.") for r in drafts]
    if not runs and Methodology.select().where(Methodology.is_current).exists():
        return [Item(f"Рассчитайте перечень ШНОР на {school_year(year)} учебный год",
                     url_for("identification.index"),
                     note="Методика есть, перечня на этот учебный год ещё нет.")]
    return [Item(f"Перечень ШНОР на {school_year(year)} учебный год ждёт приказа",
                 url_for("identification.list_page", run_id=r.id),
                 note="Проверьте перечень и подготовьте проект приказа для управления "
                      "образования.") for r in drafts]
