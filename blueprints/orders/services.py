"""Order writes: save a draft (with a version check), register it, delete it."""
from models import Order, OrderAnnex, OrderClause, db, now

from ..documents import api as documents

FIELDS = ("kind", "order_date", "founder", "place", "heading", "preamble", "control_clause",
          "signer_position", "signer_name", "executor_note")


class EditConflict(Exception):
    """Someone saved the order after this form was opened."""


class NotEditable(Exception):
    """A registered order never changes."""


def save_order(data, organization, author, order=None):
    """Create or update a draft with its rows. `data` is validated form data with `version`."""
    values = {name: data[name] or ("" if name != "order_date" else None) for name in FIELDS}
    with db.atomic():
        if order is None:
            order = Order.create(organization=organization, created_by=author, **values)
        else:
            if not order.is_draft:
                raise NotEditable()
            updated = Order.update(**values, updated_at=now(), version=Order.version + 1).where(
                (Order.id == order.id) & (Order.version == int(data["version"] or 0))
                & Order.document.is_null()).execute()
            if updated == 0:
                raise EditConflict()
            OrderClause.delete().where(OrderClause.order == order.id).execute()
            OrderAnnex.delete().where(OrderAnnex.order == order.id).execute()
        for position, clause in enumerate(data["clauses"]):
            OrderClause.create(order=order.id, position=position, level=clause["level"] or 0,
                               text=clause["text"], executor=clause["executor"] or "",
                               deadline=clause["deadline"] or "")
        for position, annex in enumerate(data["annexes"]):
            OrderAnnex.create(order=order.id, position=position, title=annex["title"],
                              text=annex["text"] or "", table=annex["table"] or "")
    return Order.get_by_id(order.id)


def register_order(order, author):
    """Give the order its number and date, keep the file, lock the draft."""
    if not order.is_draft:
        raise NotEditable()
    with db.atomic():
        document = documents.register(
            "order", order, title=order.heading, on_date=order.order_date, author=author,
            organization=order.organization_id, source=("order", order.id))
        locked = Order.update(document=document, updated_at=now()).where(
            (Order.id == order.id) & Order.document.is_null()).execute()
        if not locked:  # registered by someone else a moment ago: undo ours
            raise NotEditable()
    return document


def delete_order(order):
    if not order.is_draft:
        raise NotEditable()
    with db.atomic():
        order.delete_instance(recursive=True)
