"""The home page (the user's work inbox, core/inbox.py, then the figures of the role) and the
register-document picker every evidence form shares."""
from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user

from peewee import Case, fn

from models import Organization, User

from ..auth.access import ALL_USERS, access
from . import evidence, inbox

bp = Blueprint("core", __name__)


def _school_counts():
    """All the directory counts in one query (each peewee query costs more to build than to run)."""
    school = Organization.kind == "school"

    def share(condition):
        return fn.SUM(Case(None, [(condition, 1)], 0))

    total, schools, low, leaders = Organization.select(
        fn.COUNT(Organization.id), share(school),
        share(school & (Organization.is_low_result == True)),  # noqa: E712
        share(school & (Organization.is_leader == True)),  # noqa: E712
    ).tuples().get()
    return {"organizations": total, "schools": schools or 0, "low_result": low or 0,
            "leaders": leaders or 0}


@bp.route("/evidence-documents")
@access(*ALL_USERS)
def evidence_documents():
    """htmx: register documents the user may cite, matching the typed number or title — the
    one picker of every evidence form (road maps, plan rows, report attachments)."""
    documents = evidence.registered_documents(current_user, request.args.get("q", ""))
    return render_template("core/_evidence_documents.html", documents=documents)


@bp.route("/")
@access(*ALL_USERS)
def index():
    today = date.today()
    cards = {"items": inbox.collect(current_user, today), "today": today}
    if current_user.role == "school":
        cards["organization"] = current_user.organization
        cards["colleagues"] = (User.select()
                               .where(User.organization == current_user.organization_id)
                               .order_by(User.full_name))
    else:
        cards.update(_school_counts())
    if current_user.role == "admin":
        cards["users"], cards["inactive_users"] = User.select(
            fn.COUNT(User.id), fn.SUM(Case(None, [(User.is_active == False, 1)], 0)),  # noqa: E712
        ).tuples().get()
        cards["inactive_users"] = cards["inactive_users"] or 0
    return render_template("core/index.html", **cards)
