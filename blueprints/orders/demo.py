"""Demo: the department's registered and published order on quality monitoring."""
from models import Order, Organization, User

from ..documents import api as documents
from . import services
from .documents import sample_order


def load_demo_orders():
    department = Organization.get(Organization.kind == "department")
    author = User.get(User.login == "department")
    data = sample_order()
    data["annexes"] = [{"title": a["title"], "text": "", "table": "\n".join(
        "\t".join(row) for row in [a["header"], *a["rows"]])} for a in data["annexes"]]
    data["version"] = ""
    order = services.save_order(data, department.id, author.id)
    document = services.register_order(Order.get_by_id(order.id), author.id)
    documents.publish(document)
    return order
