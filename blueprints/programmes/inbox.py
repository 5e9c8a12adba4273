"""What programmes ask of each role (core/inbox.py)."""
from flask import url_for
from peewee import JOIN, fn

from models import Organization, Programme, ProgrammeComment

from ..core.filters import date_num, plural_ru
from ..core.inbox import Item

LISTED = 20  # programmes named one by one; the rest as «ещё N»


def _remarks(n):
    return f"{n} {plural_ru(n, 'открытое замечание', 'открытых замечания', 'открытых замечаний')}"


def waiting(user, today):
    if user.role == "school":
        return _school(user)
    status = {"centre": "submitted", "admin": "submitted", "department": "agreed"}[user.role]
    query = (Programme.select(Programme, Organization.short_name.alias("school"))
             .join(Organization, on=(Programme.school == Organization.id))
             .where(Programme.status == status).order_by(Programme.status_changed_at))
    programmes = list(query.limit(LISTED + 1).objects())
    if status == "agreed":
        if not programmes:
            return []
        count = query.count() if len(programmes) > LISTED else len(programmes)
        return [Item(f"Согласованы центром и ждут приказа об утверждении: {count} "
                     f"{plural_ru(count, 'программа', 'программы', 'программ')}",
                     url_for("programmes.approve"), note="Подготовьте приказ об утверждении программ.")]
    items = [Item(f"Рассмотреть программу {p.school}", url_for("programmes.show", programme_id=p.id),
                  note=f"отправлена {date_num(p.status_changed_at)}") for p in programmes[:LISTED]]
    if len(programmes) > LISTED:
        items.append(Item(f"И ещё {query.count() - LISTED} программ на рассмотрении",
                          url_for("programmes.index", status="submitted")))
    return items


def _school(user):
    open_remarks = fn.COUNT(ProgrammeComment.id)
    rows = (Programme.select(Programme, open_remarks.alias("remarks"))
            .join(ProgrammeComment, JOIN.LEFT_OUTER, on=(
                (ProgrammeComment.programme == Programme.id)
                & (ProgrammeComment.is_answered == False)))  # noqa: E712
            .where((Programme.school == user.organization_id)
                   & Programme.status.in_(("draft", "returned")))
            .group_by(Programme.id).objects())
    items = []
    for programme in rows:
        if programme.status == "returned":
            items.append(Item(f"Программа возвращена на доработку: {_remarks(programme.remarks)}",
                              url_for("programmes.show", programme_id=programme.id),
                              note="Ответьте на замечания, исправьте разделы и отправьте снова."))
        else:
            items.append(Item("Программа — черновик: заполните разделы и отправьте в центр",
                              url_for("programmes.show", programme_id=programme.id), note=programme.title))
    return items
