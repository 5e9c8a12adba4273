"""Partnerships: pairs of schools for a school year, the approving order, the agreement and
the interaction plan both sides confirm, the signed scan, plan execution and bulk agreements.

The views live in modules by concern, all on the one blueprint (blueprint.py); importing them
here registers them."""
from flask import render_template
from flask_login import current_user

from models import Organization, Partnership, PlanRow, school_year

from ..auth.access import ALL_USERS, access, get_visible_or_404
from .blueprint import bp

__all__ = ["bp"]


def partnership_or_404(partnership_id):
    """The pair if `current_user` may see it (a school: only a pair it is party to)."""
    return get_visible_or_404(Partnership.visible_to(current_user), Partnership, partnership_id)


@bp.route("/")
@access(*ALL_USERS)
def index():
    pairs = list(Partnership.visible_to(current_user).order_by(
        Partnership.period_start.desc(), Partnership.id))
    names = {o.id: o for o in Organization.select(Organization.id, Organization.short_name)}
    return render_template("partnerships/index.html", pairs=pairs, names=names,
                           school_year=school_year)


@bp.route("/<int:partnership_id>")
@access(*ALL_USERS)
def show(partnership_id):
    pair = partnership_or_404(partnership_id)
    rows = list(PlanRow.select().where(PlanRow.partnership == pair.id).order_by(
        PlanRow.position, PlanRow.id))
    return render_template("partnerships/show.html", pair=pair, rows=rows,
                           side=pair.side_of(current_user))


# The views of the other concerns, on the same blueprint (imported last: they use the helpers
# above).
from . import execution_views  # noqa: E402,F401
