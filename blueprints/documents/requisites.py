"""Requisites an order takes from the register: the founder line over the issuer's name."""
from models import Order, Organization


def founder_of(organization_name):
    """The founder line over an organisation's name: the one its last order carried, else
    «Администрация …» read from «Управление образования администрации …»; «» when unknown."""
    if not organization_name:
        return ""
    last = (Order.select(Order.founder)
            .join(Organization, on=(Order.organization == Organization.id))
            .where((Organization.full_name == organization_name) & (Order.founder != ""))
            .order_by(Order.order_date.desc(), Order.id.desc()).first())
    if last is not None:
        return last.founder
    _, found, rest = organization_name.partition(" администрации ")
    return f"Администрация {rest.strip()}" if found and rest.strip() else ""


def executor_line(name, phone):
    """«Белова Наталья Сергеевна, 8 (39145) 2-11-22»: the executor requisite (ГОСТ Р 7.0.97,
    requisite 27) at the foot of a document, of the parts there are."""
    return ", ".join(part for part in ((name or "").strip(), (phone or "").strip()) if part)


def order_issuer(organization):
    """The organisation issuing a feature's order (pairs, a monitoring campaign): the user's own
    when it is the education department, otherwise the directory's department (the centre and
    the admin prepare its orders); the user's organisation when there is none."""
    if organization is not None and organization.kind == "department":
        return organization
    return (Organization.select().where(Organization.kind == "department")
            .order_by(Organization.id).first()) or organization
