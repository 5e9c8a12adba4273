"""School reports: the form with in-place checks and autosave, submission, review with
remarks, acceptance, filling on a school's behalf, the .xlsx template and import of many
schools' values."""
from flask import render_template_string

from ..auth.access import ALL_USERS, access
from .blueprint import bp, report_or_404

PLACEHOLDER = "<p>{{ text }}</p>"  # replaced by the report form being built


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@access(*ALL_USERS)
def report(report_id):
    return render_template_string(PLACEHOLDER, text=report_or_404(report_id).status_label)
