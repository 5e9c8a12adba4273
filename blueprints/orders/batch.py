"""«Сформировать пакет приказов»: register a list of draft orders in one background job."""
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import DataRequired

from models import Order

from ..core.forms import BaseForm
from ..jobs.batches import BatchKind, ItemError
from . import services


def _labels(order_ids):
    orders = {order.id: order for order in Order.select().where(Order.id.in_(order_ids))}
    return {order_id: f"{orders[order_id].kind_label} «{orders[order_id].heading}»"
            if order_id in orders else f"Приказ {order_id}" for order_id in order_ids}


def _register(order_id, job):
    """Who may register which draft was checked when the job was started (drafts_for)."""
    order = Order.get_or_none(Order.id == order_id)
    if order is None:
        raise ItemError("Проект приказа удалён.")
    try:
        return services.register_order(order, job.created_by_id)
    except services.NotEditable:
        raise ItemError("Приказ уже зарегистрирован.") from None


ORDERS_REGISTER = BatchKind(key="orders.register", title="Регистрация приказов", labels=_labels,
                            register=_register, back_url="orders.index")


def drafts_for(user):
    """The drafts this user may register in a batch, oldest first (the order numbers follow)."""
    query = Order.visible_to(user).where(Order.document.is_null())
    if user.role != "admin":
        query = query.where(Order.organization == user.organization_id)
    return query.order_by(Order.order_date, Order.id)


class BatchForm(BaseForm):
    orders = SelectMultipleField("Проекты приказов", coerce=int, validators=[
        DataRequired("Отметьте хотя бы один проект.")])
    with_pdf = BooleanField("Сформировать PDF для каждого приказа", default=True)
