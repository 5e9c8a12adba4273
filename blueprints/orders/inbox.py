"""What orders ask of each role (core/inbox.py): the organisation's orders still in draft."""
from flask import url_for

from models import Order

from ..core.inbox import Item


def waiting(user, today):
    if user.role not in ("department", "centre") or not user.organization_id:
        return []
    count = Order.select().where((Order.organization == user.organization_id)
                                 & Order.document.is_null()).count()
    return [Item(f"Приказы в черновике: {count}", url_for("orders.index"),
                 note="Проверьте и зарегистрируйте или удалите ненужные.")] if count else []
