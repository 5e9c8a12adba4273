"""The partnerships blueprint object, in a leaf module: every view module registers on it and
routes.py gathers them, so nothing imports back."""
from flask import Blueprint
from flask_login import current_user

from models import Partnership

from ..auth.access import get_visible_or_404

bp = Blueprint("partnerships", __name__, url_prefix="/partnerships", cli_group=None)


def partnership_or_404(partnership_id):
    """The pair if `current_user` may see it (a school: only a pair it is party to)."""
    return get_visible_or_404(Partnership.visible_to(current_user), Partnership, partnership_id)
