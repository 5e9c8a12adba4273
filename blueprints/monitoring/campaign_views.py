"""Campaigns: the list, the form, launch with its order, copy from the previous period,
completeness and reminders."""
from flask import render_template_string

from ..auth.access import ALL_USERS, STAFF, access
from .blueprint import bp, campaign_or_404

PLACEHOLDER = "<p>{{ text }}</p>"  # replaced by the campaign pages being built


@bp.route("/campaigns")
@access(*ALL_USERS)
def campaigns():
    return render_template_string(PLACEHOLDER, text="Мониторинговые кампании")


@bp.route("/campaigns/<int:campaign_id>")
@access(*STAFF)
def campaign(campaign_id):
    return render_template_string(PLACEHOLDER, text=campaign_or_404(campaign_id).title)
