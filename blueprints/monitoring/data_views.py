"""Consolidated data of a campaign: the table, .xlsx, open data (CSV, JSON) and the
analytical note."""
from datetime import date

from flask import (flash, make_response, redirect, render_template, render_template_string,
                   request, url_for)
from flask_login import current_user

from models import GeneratedDocument, Organization

from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.filters import place_of
from ..documents import api as documents
from ..documents.requisites import founder_of
from . import note, note_services
from .note_documents import results_order
from .note_forms import ResultsOrderForm, note_form

from ..auth.access import STAFF, access
from .blueprint import bp, campaign_or_404

PLACEHOLDER = "<p>{{ text }}</p>"  # replaced by the data pages being built


@bp.route("/campaigns/<int:campaign_id>/data")
@access(*STAFF)
def campaign_data(campaign_id):
    return render_template_string(PLACEHOLDER, text=campaign_or_404(campaign_id).title)


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
    if not data.get("signer_position"):
        data["signer_position"] = current_user.position or ""
        data["signer_name"] = data.get("signer_name") or ""
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
    specs = note.chart_specs(note.note_data(campaign))
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
