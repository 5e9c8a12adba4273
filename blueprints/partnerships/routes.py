"""Partnerships: pairs of schools for a school year, the approving order, the agreement and
the interaction plan both sides confirm, the signed scan, plan execution and bulk agreements.

The views live in modules by concern, all on the one blueprint (blueprint.py); importing them
here registers them."""
from flask import current_app, request
from flask_login import current_user

from models import PARTNERSHIP_STATUSES, Organization

from ..auth.access import ALL_USERS, STAFF, access
from ..core.forms import choices
from ..core.htmx import render_page_or_fragment
from ..core.pagination import int_arg, paginate
# Importing the view modules registers their views on bp.
from . import agreement_views, cli, execution_views, pair_views, pairs  # noqa: F401
from .blueprint import bp, partnership_or_404
from .forms import FilterForm, parse_year
from .pairs import current_year, year_choices

cli.register(bp)

# What a school does next with a pair, by status (the list's hint line).
SCHOOL_NEXT_STEP = {
    "proposed": "Пара предложена методическим центром и ждёт приказа управления образования.",
    "approved": "Откройте пару: заполните соглашение и план взаимодействия вместе со второй "
                "школой и подтвердите их со своей стороны.",
    "registered": "Соглашение зарегистрировано: подпишите его и загрузите скан.",
    "signed": "Соглашение подписано: отмечайте выполнение мероприятий плана.",
}

__all__ = ["bp"]


@bp.route("/")
@access(*ALL_USERS)
def index():
    """The pairs of a school year (the current one by default), filtered and paged; a school
    sees only the pairs it is party to."""
    filters = FilterForm(request.args)
    municipalities = Organization.municipalities()
    filters.municipality.choices = choices([("", "Все")] + [(m, m) for m in municipalities])
    filters.year.choices = [("all", "Все годы"), *year_choices()]
    filters.validate()
    values = {name: (field.data or "") if not field.errors else ""
              for name, field in filters._fields.items()}
    year = None if values["year"] == "all" else (parse_year(values["year"]) or current_year())
    filters.year.data = "all" if year is None else str(year)
    status = values["status"] if values["status"] in PARTNERSHIP_STATUSES else ""
    # Only a municipality of the directory (anything else, NUL included, filters nothing).
    municipality = values["municipality"] if values["municipality"] in municipalities else ""
    is_staff = current_user.role in STAFF  # a school is not shown other schools' loads
    query = pairs.listing(current_user, year, status, municipality, values["q"],
                          with_load=is_staff)
    page = paginate(query, int_arg("page", 1), current_app.config["PER_PAGE"],
                    count_query=pairs.counted(query))
    rows = pairs.table_rows(page.items)
    return render_page_or_fragment(
        "partnerships/index.html", "partnerships/_pairs_table.html", page=page, rows=rows,
        filters=filters, year=year or current_year(), all_years=year is None,
        is_staff=is_staff, is_school=current_user.role == "school",
        can_manage=current_user.role in ("admin", "centre"),
        filtered=bool(status or municipality or values["q"]),
        next_step=SCHOOL_NEXT_STEP)


@bp.route("/<int:partnership_id>")
@access(*ALL_USERS)
def show(partnership_id):
    """The pair page: parties, status, what to do next, the terms, the plan, both sides'
    confirmations and the registered files."""
    return agreement_views.render_page(partnership_or_404(partnership_id))

