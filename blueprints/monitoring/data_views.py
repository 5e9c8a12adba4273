"""Consolidated data of a campaign: the table, .xlsx, open data (CSV, JSON) and the
analytical note."""
from flask import render_template_string

from ..auth.access import STAFF, access
from .blueprint import bp, campaign_or_404

PLACEHOLDER = "<p>{{ text }}</p>"  # replaced by the data pages being built


@bp.route("/campaigns/<int:campaign_id>/data")
@access(*STAFF)
def campaign_data(campaign_id):
    return render_template_string(PLACEHOLDER, text=campaign_or_404(campaign_id).title)


@bp.route("/campaigns/<int:campaign_id>/note", methods=["GET", "POST"])
@access("centre", "admin")
def campaign_note(campaign_id):
    return render_template_string(PLACEHOLDER, text=campaign_or_404(campaign_id).title)
