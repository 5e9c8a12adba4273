"""Order writes: save a draft (with a version check), register it, delete it."""
from models import Order, OrderAnnex, OrderClause, db, now

from ..documents import services as documents
from .documents import order_context

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


def split_table(text):
    """Pasted table text → (header, rows): tabs from Excel, or «;»."""
    lines = [line for line in (text or "").split("\n") if line.strip()]
    if not lines:
        return [], []
    separator = "\t" if "\t" in lines[0] else ";"
    cells = [[c.strip() for c in line.split(separator)] for line in lines]
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    return cells[0], cells[1:]


def order_data(order):
    """The order as the plain description order_context() reads (see documents.sample_order)."""
    annexes = []
    for annex in order.annexes.order_by(OrderAnnex.position):
        header, rows = split_table(annex.table)
        annexes.append({"title": annex.title, "text": annex.text, "header": header, "rows": rows})
    return {
        "kind": order.kind, "founder": order.founder,
        "organization_name": order.organization.full_name, "order_date": order.order_date,
        "place": order.place, "heading": order.heading, "preamble": order.preamble,
        "clauses": [{"level": c.level, "text": c.text, "executor": c.executor,
                     "deadline": c.deadline}
                    for c in order.clauses.order_by(OrderClause.position)],
        "control_clause": order.control_clause, "signer_position": order.signer_position,
        "signer_name": order.signer_name, "executor_note": order.executor_note,
        "annexes": annexes,
    }


def register_order(order, author):
    """Give the order its number and date, keep the file, lock the draft."""
    if not order.is_draft:
        raise NotEditable()
    data = order_data(order)
    with db.atomic():
        document = documents.register_document(
            "order", order.heading,
            lambda number, on_date: order_context(data, number, on_date), order.order_date,
            author=author, organization=order.organization_id, source=("order", order.id))
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
