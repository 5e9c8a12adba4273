"""Consolidated data of a campaign: the table, .xlsx, open data (CSV, JSON) and the
analytical note."""
from math import ceil

from flask import (Response, current_app, flash, redirect, render_template,
                   render_template_string, request, url_for)
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from models import MonitoringCampaign

from ..auth.access import ANONYMOUS, STAFF, access, get_visible_or_404
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.forms import ConfirmForm
from ..core.htmx import wants_fragment
from ..core.pagination import Page
from . import consolidated, data_cache, opendata, reads
from .blueprint import bp, campaign_or_404
from .data_forms import CHARTED, DataFilterForm

PLACEHOLDER = "<p>{{ text }}</p>"  # replaced by the data pages being built
PUBLISHERS = ("centre", "admin")
CHART_KINDS = ("bars", "distribution", "dynamics")
CHART_CAPTIONS = {"bars": "{name}: по школам и среднее по муниципалитету",
                  "distribution": "{name}: распределение школ",
                  "dynamics": "{name}: среднее по муниципалитету по периодам"}
CHART_AGE = 86400  # a chart URL carries the data's version: a new state is a new URL


def _filtered(campaign):
    """The filter form read from the query string, its values (sort, descending, with_change,
    chart code) and the campaign's table sorted by name (cached) for the form's choices."""
    base = consolidated.build(campaign)
    filters = DataFilterForm(request.args)
    values = filters.fill(base["indicators"], bool(campaign.previous_id))
    return filters, values, base


def _page(rows):
    per_page = current_app.config["PER_PAGE"]
    pages = max(1, ceil(len(rows) / per_page))
    number = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    return Page(rows[(number - 1) * per_page:number * per_page], number, per_page, len(rows))


def _sort_url(campaign, filters, code):
    """The header link: sort by `code`, or flip the order when the table is sorted by it."""
    order = "desc" if filters.sort.data == code and filters.order.data == "asc" else "asc"
    return url_for("monitoring.campaign_data", campaign_id=campaign.id, sort=code, order=order,
                   change="y" if filters.change.data else None, chart=filters.chart.data or None)


def _table_html(campaign, filters, values):
    """The table fragment: rows of the page, summary rows and the chosen indicator's charts."""
    sort, descending, with_change, chart = values
    table = consolidated.build(campaign, sort, descending, with_change)
    indicator = next((i for i in table["indicators"] if i.code == chart), None)
    kinds = [k for k in CHART_KINDS if k != "dynamics"
             or table["previous_means"].get(chart) is not None and campaign.previous_id]
    version = data_cache.version(campaign)
    chart_urls = [(CHART_CAPTIONS[kind].format(name=indicator.name) if indicator else "",
                   url_for("monitoring.campaign_data_chart", campaign_id=campaign.id,
                           code=chart, chart=kind, v=version)) for kind in kinds]
    sort_urls = {code: _sort_url(campaign, filters, code)
                 for code in consolidated.sort_keys(table["indicators"])}
    return render_template(
        "monitoring/_data_table.html", campaign=campaign, table=table,
        page=_page(table["rows"]), chart_indicator=indicator,
        chart_urls=chart_urls if indicator else [], sort_url=sort_urls.get)


@bp.route("/campaigns/<int:campaign_id>/data")
@access(*STAFF)
def campaign_data(campaign_id):
    """The consolidated table. Its fragment is rendered once per state of the data and query
    (500 schools × 30 indicators is a large template): sorting and paging come from the cache
    until a report changes."""
    campaign = campaign_or_404(campaign_id)
    filters, values, base = _filtered(campaign)
    key = ("data page", data_cache.fingerprint(campaign), request.query_string)
    filters_html, filters_oob, table_html = data_cache.store("pages").get_or_compute(
        key, lambda: (*(render_template("monitoring/_data_filters.html", campaign=campaign,
                                        filters=filters, oob=oob) for oob in (False, True)),
                      _table_html(campaign, filters, values)))
    if wants_fragment():
        # A header click sorts too: the filters follow it (out of band), so the next change
        # of a select does not bring the old order back.
        if request.headers.get("HX-Trigger") == "data-filters":
            return table_html
        return table_html + filters_oob
    return render_template("monitoring/data.html", campaign=campaign, filters=filters,
                           table=base, filters_html=Markup(filters_html),
                           table_html=Markup(table_html),
                           counted_note=opendata.counted_note(base),
                           can_publish=current_user.role in PUBLISHERS)


@bp.route("/campaigns/<int:campaign_id>/data/charts/<string(maxlength=30):code>/"
          "<string(maxlength=20):chart>.png")
@access(*STAFF)
def campaign_data_chart(campaign_id, code, chart):
    """A chart of one numeric indicator as PNG: drawn once per state of the data (cached in the
    process, and in the browser under the versioned URL)."""
    campaign = campaign_or_404(campaign_id)
    fingerprint = data_cache.fingerprint(campaign)
    indicator = next((i for i in reads.form_indicators(campaign.id)
                      if i.code == code and i.value_type in CHARTED), None)
    if indicator is None or chart not in CHART_KINDS:
        raise NotFound()

    def draw():
        from . import charts  # matplotlib loads on the first chart, not with every worker or CLI
        if chart == "dynamics":  # the mean over this period and up to three before it
            labels, means = consolidated.periods(campaign, code)
            return charts.dynamics(labels, [("Среднее по муниципалитету", means)],
                                   unit=indicator.unit or "")
        table = consolidated.build(campaign)
        names, values = consolidated.series(table, code)
        return charts.indicator_set(campaign, indicator, names, values,
                                    table["means"].get(code), kinds=(chart,))[0][2]

    png = data_cache.store("images").get_or_compute((fingerprint, code, chart), draw)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = f"private, max-age={CHART_AGE}"
    response.set_etag(data_cache.version(campaign) + code + chart)
    return response.make_conditional(request)


@bp.route("/campaigns/<int:campaign_id>/data.xlsx")
@access(*STAFF)
def campaign_data_xlsx(campaign_id):
    campaign = campaign_or_404(campaign_id)
    _, (sort, descending, with_change, _), _ = _filtered(campaign)
    table = consolidated.build(campaign, sort, descending, with_change)
    return send_bytes(opendata.xlsx_bytes(table), opendata.file_name(campaign, "xlsx"))


def _publication(campaign_id, publish):
    """The confirmation page (GET) and the change (POST) of publishing the campaign's data."""
    campaign = campaign_or_404(campaign_id)
    back = redirect(url_for("monitoring.campaign_data", campaign_id=campaign.id), code=303)
    if campaign.is_published == publish:
        flash("Данные уже опубликованы." if publish else "Данные не опубликованы.", "info")
        return back
    table = consolidated.build(campaign)
    if publish and (campaign.status == "draft" or not table["counted"]):
        flash("Публиковать пока нечего: ни одна школа не отправила отчёт.", "warning")
        return back
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash("Форма устарела: обновите страницу и повторите.", "warning")
            return back
        campaign = opendata.set_published(campaign, publish)
        audit("monitoring_data_published" if publish else "monitoring_data_withdrawn", campaign,
              details=campaign.title)
        flash("Данные опубликованы на сайте в разделе «Открытые данные» (CSV и JSON)."
              if publish else "Данные сняты с публикации: на сайте их больше нет.", "success")
        return back
    return render_template("monitoring/data_publish.html", campaign=campaign, form=form,
                           publish=publish, counted_note=opendata.counted_note(table))


@bp.route("/campaigns/<int:campaign_id>/data/publish", methods=["GET", "POST"])
@access(*PUBLISHERS)
def campaign_data_publish(campaign_id):
    return _publication(campaign_id, True)


@bp.route("/campaigns/<int:campaign_id>/data/withdraw", methods=["GET", "POST"])
@access(*PUBLISHERS)
def campaign_data_withdraw(campaign_id):
    return _publication(campaign_id, False)


# --- open data on the public site ----------------------------------------------------------

def _published_or_404(dataset_id):
    """A campaign whose data the centre published; any other id answers 404 to everyone."""
    return get_visible_or_404(opendata.published(), MonitoringCampaign, dataset_id)


def _open_response(data, mimetype, campaign, extension):
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"inline; filename=\"monitoring-{campaign.id}.{extension}\"")
    response.headers["Cache-Control"] = "public, max-age=300"  # withdrawn data go in 5 min
    return response


@bp.route("/open-data/")
@access(ANONYMOUS)
def open_data():
    return render_template("monitoring/data_open.html", campaigns=list(opendata.published()))


def _open_file(campaign, extension):
    """The file's bytes, made once per state of the data (public URLs are asked often)."""
    make = opendata.csv_bytes if extension == "csv" else opendata.json_bytes
    return data_cache.store("pages").get_or_compute(
        ("open data", data_cache.fingerprint(campaign), extension),
        lambda: make(consolidated.build(campaign)))


@bp.route("/open-data/<int:dataset_id>.csv")
@access(ANONYMOUS)
def open_data_csv(dataset_id):
    campaign = _published_or_404(dataset_id)
    return _open_response(_open_file(campaign, "csv"), "text/csv; charset=utf-8", campaign,
                          "csv")


@bp.route("/open-data/<int:dataset_id>.json")
@access(ANONYMOUS)
def open_data_json(dataset_id):
    campaign = _published_or_404(dataset_id)
    return _open_response(_open_file(campaign, "json"), "application/json", campaign, "json")


@bp.route("/campaigns/<int:campaign_id>/note", methods=["GET", "POST"])
@access("centre", "admin")
def campaign_note(campaign_id):
    return render_template_string(PLACEHOLDER, text=campaign_or_404(campaign_id).title)
