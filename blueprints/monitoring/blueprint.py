"""The monitoring blueprint object, in a leaf module: every view module registers on it and
routes.py gathers them, so nothing imports back."""
from flask import Blueprint
from flask_login import current_user

from models import MonitoringCampaign, MonitoringReport

from ..auth.access import get_visible_or_404

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring", cli_group=None)


def campaign_or_404(campaign_id):
    """The campaign if `current_user` may see it (a school: a launched one it reports in)."""
    return get_visible_or_404(MonitoringCampaign.visible_to(current_user), MonitoringCampaign,
                              campaign_id)


def report_or_404(report_id):
    """The report if `current_user` may see it (a school: only its own)."""
    return get_visible_or_404(MonitoringReport.visible_to(current_user), MonitoringReport,
                              report_id)
