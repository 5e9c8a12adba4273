"""Consolidated data of a campaign: the table, .xlsx, open data (CSV, JSON) and the
analytical note."""
from datetime import date
from math import ceil

from flask import (Response, current_app, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from models import GeneratedDocument, MonitoringCampaign, Organization

from ..auth.access import ANONYMOUS, STAFF, access, get_visible_or_404
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.filters import place_of
from ..core.forms import ConfirmForm
from ..core.htmx import wants_fragment
from ..core.pagination import Page
from ..documents import api as documents
from ..documents.requisites import founder_of
from . import consolidated, data_cache, note, note_services, opendata, reads
from .blueprint import bp, campaign_or_404
from .data_forms import CHARTED, DataFilterForm
from .note_documents import results_order
from .note_forms import ResultsOrderForm, note_form

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


# --- the analytical note and the order on the results (H4) ------------------------------------
# Below: the note page (form, preview, registration, versions), its charts, and the order on
# the results prepared from the note. Reads in note.py, writes in note_services.py.

NOTE_ROLES = ("centre", "admin")
ORDER_REGISTRARS = ("admin", "department")  # the department issues orders; the centre drafts


def _note_page(campaign, form, plain, status=200):
    views = [note.indicator_view(i) for i in plain["indicators"]]
    specs = note.chart_specs(plain)
    charts = {}
    for index, spec in enumerate(specs):
        charts.setdefault(spec["code"], []).append((index, f"Рисунок {index + 1} — {spec['title']}"))
    people = plain["participants"]
    return render_template(
        "monitoring/note.html", campaign=campaign, form=form, plain=plain, views=views,
        charts=charts, participants=note.participants_sentence(people["submitted"],
                                                               people["total"]),
        general=note.general_paragraphs(plain), versions=note_services.versions(campaign),
        orders=note_services.results_orders(campaign),
        listed=note.listed_schools(plain)), status


def _form_data(campaign, plain):
    """What the form starts with: the saved form, else the drafts made of the data."""
    saved = note.texts_of(campaign)
    data = {**note.default_texts(plain), **{k: v for k, v in saved.items() if v}}
    if not data.get("signer_position") and not data.get("signer_name"):
        # The centre's head signs its notes: from the directory, as the orders take theirs.
        centre = current_user.organization
        if centre is not None and centre.head_name:
            data["signer_position"], data["signer_name"] = centre.head_position, centre.head_name
        else:
            data["signer_position"] = current_user.position or ""
    if not data.get("executor_name"):
        data["executor_name"] = current_user.full_name
    for code, value in (saved.get("thresholds") or {}).items():
        data[f"threshold_{code}"] = note.figure(value, "decimal").replace("\u00a0", " ")
    return data


@bp.route("/campaigns/<int:campaign_id>/note", methods=["GET", "POST"])
@access(*NOTE_ROLES)
def campaign_note(campaign_id):
    """The analytical note: thresholds, texts with the generated drafts, signer; «Сохранить»,
    «Предпросмотр» (the .docx as it would be), «Зарегистрировать» (a new version after late
    data)."""
    campaign = campaign_or_404(campaign_id)
    plain = note.note_data(campaign)
    if request.method == "GET":
        form = note_form(plain["indicators"], data=_form_data(campaign, plain))
        return _note_page(campaign, form, plain)
    form = note_form(plain["indicators"])
    if not form.validate():
        return _note_page(campaign, form, plain, 422)
    saved = form.saved(plain["indicators"])
    action = request.form.get("action", "save")
    if action == "preview":
        data = documents.render("analytical_note", campaign, saved=saved)
        return send_bytes(data, "Проект аналитической справки.docx")
    if action == "register":
        try:
            document = note_services.register_note(
                campaign, saved, date.today(), current_user.id,
                current_user.organization_id)
        except note_services.NoteError as error:
            form.form_errors.append(str(error))
            return _note_page(campaign, form, note.note_data(campaign, saved), 422)
        audit("monitoring_note_registered", document,
              details=f"{campaign.title}: № {document.number}, версия {document.version}")
        flash(f"Аналитическая справка зарегистрирована: № {document.number}, версия "
              f"{document.version}. Опубликовать её можно на странице документа в реестре.",
              "success")
        return redirect(url_for("monitoring.campaign_note", campaign_id=campaign.id), code=303)
    note_services.save_texts(campaign, saved)
    audit("monitoring_note_saved", campaign, details=campaign.title)
    flash("Тексты справки сохранены.", "success")
    return redirect(url_for("monitoring.campaign_note", campaign_id=campaign.id), code=303)


@bp.route("/campaigns/<int:campaign_id>/note/chart.png")
@access(*STAFF)
def note_chart(campaign_id):
    """Chart `n` of the note (the page shows the pictures the document prints). A chart the
    data no longer has (late data between the page and the picture) is drawn empty."""
    campaign = campaign_or_404(campaign_id)
    # Once per data state (the fingerprint includes the saved note form), not per picture:
    # the page asks for its ten pictures at once, and reading the figures takes ~0.2 s.
    specs = data_cache.get_or_compute(campaign, "note charts",
                                      lambda: note.chart_specs(note.note_data(campaign)))
    index = request.args.get("n", 0, type=int)
    if 0 <= index < len(specs):
        png = note.draw(specs[index])
    else:
        png = note.draw({"kind": "bars", "labels": [], "values": [], "unit": ""})
    response = make_response(png)
    response.headers["Content-Type"] = "image/png"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _department():
    """The organisation issuing the order: the user's department, else the directory's."""
    org = current_user.organization
    if org is not None and org.kind == "department":
        return org
    return (Organization.select().where(Organization.kind == "department")
            .order_by(Organization.id).first()) or org


def _results_order(campaign, plain, issuer, form=None):
    saved = note.texts_of(campaign)
    latest = (GeneratedDocument.get_or_none(GeneratedDocument.id == campaign.note_id)
              if campaign.note_id else None)
    methodist = campaign.methodist.full_name if campaign.methodist_id else ""
    order = results_order(
        plain, issuer.full_name if issuer else "",
        form.order_date.data if form else date.today(),
        latest.number if latest else "", latest.registered_on if latest else None,
        issuer.head_position if issuer else "", issuer.head_name if issuer else "",
        executor_note=", ".join(x for x in (saved.get("executor_name", ""),
                                            saved.get("executor_phone", "")) if x),
        place=place_of(issuer.address) if issuer else "", founder=founder_of(
            issuer.full_name) if issuer else "", methodist=fio_short_reverse(methodist))
    if form is not None:
        order.update(heading=form.heading.data, preamble=form.preamble.data or "",
                     signer_position=form.signer_position.data,
                     signer_name=form.signer_name.data,
                     executor_note=form.executor_note.data or "",
                     control_clause=form.control_clause.data or "",
                     clauses=[{"level": c.level.data or 0, "text": c.text.data,
                               "executor": c.executor.data or "",
                               "deadline": c.deadline.data or ""} for c in form.clauses
                              if (c.text.data or "").strip()])
    return order


@bp.route("/campaigns/<int:campaign_id>/results-order", methods=["GET", "POST"])
@access(*STAFF)
def results_order_form(campaign_id):
    """The order on the results, pre-filled from the note: the centre prepares it and
    downloads the draft, the department registers it; publication goes through the register."""
    campaign = campaign_or_404(campaign_id)
    plain = note.note_data(campaign)
    schools = note.listed_schools(plain)
    issuer = _department()
    may_register = current_user.role in ORDER_REGISTRARS
    if request.method == "GET":
        defaults = _results_order(campaign, plain, issuer)
        form = ResultsOrderForm(formdata=None, data=defaults)
        form.clauses.append_entry()  # room for one more clause
    else:
        form = ResultsOrderForm()
        if form.validate():
            order = _results_order(campaign, plain, issuer, form)
            record = {"order": order, "schools": schools}
            if request.form.get("action") == "preview":
                return send_bytes(documents.render("order_monitoring_results", record),
                                  "Проект приказа об итогах мониторинга.docx")
            if not may_register:
                fail(403, "Зарегистрировать приказ может управление образования; методический "
                          "центр готовит проект.")
            if issuer is None:
                fail(403, "Приказ издаёт организация: привяжите свою учётную запись к "
                          "организации.")
            try:
                document = note_services.register_results_order(
                    campaign, order, schools, current_user.id, issuer.id)
            except note_services.NoteError as error:
                fail(409, str(error))
            audit("monitoring_results_order_registered", document,
                  details=f"{campaign.title}: № {document.number}")
            flash(f"Приказ зарегистрирован: № {document.number} от "
                  f"{document.registered_on:%d.%m.%Y}. Опубликовать его можно на странице "
                  "документа.", "success")
            return redirect(url_for("documents.show", doc_id=document.id), code=303)
    return render_template("monitoring/note_order.html", campaign=campaign, form=form,
                           schools=schools, issuer=issuer, may_register=may_register,
                           orders=note_services.results_orders(campaign)), (
        422 if form.errors else 200)


def fio_short_reverse(full_name):
    """«Смирнова Людмила Александровна» → «Смирнова Л.А.» (an order's executor)."""
    parts = (full_name or "").split()
    if len(parts) < 2:
        return full_name or ""
    return parts[0] + " " + "".join(f"{p[0]}." for p in parts[1:3])
