"""Organisation writes."""
from models import Organization, User, current_school_year, db, set_status

FIELDS = ("kind", "full_name", "short_name", "municipality", "address", "inn", "kpp", "phone",
          "email", "head_position", "head_name", "is_leader", "is_low_result")


class OrganizationInUse(Exception):
    pass


def _apply(org, data):
    for name in FIELDS:
        value = data.get(name)
        setattr(org, name, "" if value is None else value)  # an absent text field is empty
    if org.kind != "school":  # the flags describe schools only
        org.is_leader = org.is_low_result = False
    return org


def save_organization(data, org=None):
    """Create (org=None) or update an organisation from validated form data."""
    was_low = bool(org and org.is_low_result)
    org = _apply(org or Organization(), data)
    with db.atomic():
        org.save()
        # The checkbox is the current school year's status: its change joins the history.
        if org.kind == "school" and bool(org.is_low_result) != was_low:
            set_status(org, current_school_year(), bool(org.is_low_result), "directory")
    return org


def delete_organization(org):
    """Delete an organisation that no account belongs to."""
    with db.atomic():
        if User.select().where(User.organization == org.id).exists():
            raise OrganizationInUse()
        org.delete_instance()


def import_organizations(rows):
    """Create every row in one transaction: all rows are saved, or none."""
    with db.atomic():
        return [save_organization(row) for row in rows]
