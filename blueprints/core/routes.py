"""The home dashboard: what each role needs to see first."""
from flask import Blueprint, render_template
from flask_login import current_user

from models import Organization, User

from ..auth.access import ALL_USERS, access

bp = Blueprint("core", __name__)


def _school_counts():
    schools = Organization.select().where(Organization.kind == "school")
    return {
        "schools": schools.count(),
        "low_result": schools.where(Organization.is_low_result == True).count(),  # noqa: E712
        "leaders": schools.where(Organization.is_leader == True).count(),  # noqa: E712
    }


@bp.route("/")
@access(*ALL_USERS)
def index():
    cards = {}
    if current_user.role == "school":
        cards["organization"] = current_user.organization
        cards["colleagues"] = (User.select()
                               .where(User.organization == current_user.organization_id)
                               .order_by(User.full_name))
    else:
        cards.update(_school_counts())
        cards["organizations"] = Organization.select().count()
    if current_user.role == "admin":
        cards["users"] = User.select().count()
        cards["inactive_users"] = User.select().where(User.is_active == False).count()  # noqa: E712
    return render_template("core/index.html", **cards)
