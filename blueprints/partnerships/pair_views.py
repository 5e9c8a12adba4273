"""Views of the pairs for a school year: propose, edit and delete a pair, suggestions from the
directory, the .xlsx import with its preview, and the department's approving order.
Registered on the one blueprint (blueprint.py); routes.py imports this module."""
from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from models import GeneratedDocument, Partnership, school_year

from ..auth.access import STAFF, access, get_visible_or_404
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.forms import ConfirmForm
from ..core.pending import drop_pending, load_pending, save_pending
from ..core.uploads import read_upload
from ..documents import api as documents
from ..documents.requisites import order_issuer
from . import pairs, pairs_import
from .blueprint import bp
from .documents import partnerships_order
from .forms import ImportForm, PairForm, PairsApprovalForm, YearForm
from .services import PartnershipError

MANAGERS = ("admin", "centre")  # propose, edit and delete pairs; publish the order
REGISTRARS = ("admin", "department")  # register the approving order
DOCTYPE = "order_partnerships"


def _pair_or_404(partnership_id):
    return get_visible_or_404(Partnership.visible_to(current_user), Partnership, partnership_id)


def _year_arg():
    """The school year of the query string: «year», or the pair form's own «period_start»
    (the form asks for itself again when the year is changed, for the leaders' loads)."""
    args = request.args
    if "period_start" in args and "year" not in args:
        args = MultiDict({"year": args["period_start"]})
    return YearForm(args).value or pairs.current_year()


def _years_form(year):
    """The «Учебный год» switch of a page, showing the year the page works on."""
    form = YearForm(formdata=None)
    form.year.data = str(year)
    return form


def _pair_form(year, pair=None):
    data = None
    if pair is not None:
        data = {"period_start": str(pair.period_start), "leader": pair.leader_id,
                "partner": pair.partner_id, "directions": pair.direction_keys,
                "coordinator": pair.coordinator_id or 0}
    elif request.method == "GET":
        data = {"period_start": str(year),
                "directions": request.args.getlist("directions") or list(
                    pairs.DEFAULT_DIRECTIONS),
                "leader": request.args.get("leader", 0, type=int) or 0,
                "partner": request.args.get("partner", 0, type=int) or 0}
    form = PairForm(formdata=None, data=data) if request.method == "GET" else PairForm()
    chosen = form.year or year
    form.leader.choices = [(0, "— выберите школу —"), *pairs.leader_choices(chosen)]
    form.partner.choices = [(0, "— выберите школу —"), *pairs.partner_choices()]
    form.coordinator.choices = [(0, "без координатора"), *pairs.coordinator_choices()]
    return form


def _form_page(form, pair, error=None):
    status = 422 if (form.errors or error) else 200
    return render_template("partnerships/pair_form.html", form=form, pair=pair,
                           error=error), status


@bp.route("/new", methods=["GET", "POST"])
@access(*MANAGERS)
def propose():
    form = _pair_form(_year_arg())
    if request.method == "POST" and form.validate():
        try:
            pair = pairs.propose_pair(form.year, form.leader.data, form.partner.data,
                                      form.directions.data, current_user.id,
                                      form.coordinator.data or None)
        except PartnershipError as error:
            return _form_page(form, None, str(error))
        audit("partnership_proposed", pair, details=pairs.describe(pair))
        flash(f"Пара предложена: {pairs.describe(pair)}.", "success")
        return redirect(url_for("partnerships.index", year=pair.period_start), code=303)
    return _form_page(form, None)


def _proposed_or_409(pair):
    if pair.status != "proposed":
        fail(409, "Пара уже утверждена приказом: изменить или удалить её нельзя.")


@bp.route("/<int:partnership_id>/edit-pair", methods=["GET", "POST"])
@access(*MANAGERS)
def edit_pair(partnership_id):
    pair = _pair_or_404(partnership_id)
    _proposed_or_409(pair)
    form = _pair_form(pair.period_start, pair if request.method == "GET" else None)
    if request.method == "POST" and form.validate():
        before = pairs.describe(pair)
        try:
            pair = pairs.update_pair(pair, form.year, form.leader.data, form.partner.data,
                                     form.directions.data, form.coordinator.data or None)
        except PartnershipError as error:
            return _form_page(form, pair, str(error))
        audit("partnership_updated", pair, details=f"{before} ⇒ {pairs.describe(pair)}; "
                                                   f"направления: {', '.join(pair.direction_labels)}")
        flash("Пара изменена.", "success")
        return redirect(url_for("partnerships.index", year=pair.period_start), code=303)
    return _form_page(form, pair)


@bp.route("/<int:partnership_id>/delete-pair", methods=["GET", "POST"])
@access(*MANAGERS)
def delete_pair(partnership_id):
    pair = _pair_or_404(partnership_id)
    _proposed_or_409(pair)
    form = ConfirmForm()
    label = pairs.describe(pair)
    if request.method == "POST" and form.validate_on_submit():
        try:
            pairs.delete_pair(pair)
        except PartnershipError as error:
            fail(409, str(error))
        audit("partnership_deleted", details=f"{pair.id} {label}")
        flash(f"Пара удалена: {label}.", "success")
        return redirect(url_for("partnerships.index", year=pair.period_start), code=303)
    return render_template(
        "core/confirm.html", form=form, heading="Удалить предложенную пару?", details=label,
        button="Да, удалить", warning="Пара исчезнет из списка. Это действие нельзя отменить.",
        action=url_for("partnerships.delete_pair", partnership_id=pair.id),
        cancel=url_for("partnerships.index", year=pair.period_start))


# --- suggestions from the directory -----------------------------------------------------------

@bp.route("/suggest", methods=["GET", "POST"])
@access(*MANAGERS)
def suggest():
    year = _year_arg()
    rows = pairs.suggestions(year)
    error, chosen = None, set()
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            fail(400, "Форма устарела: обновите страницу.")
        leaders = {school.id: leader.id for school, leader, _ in rows if leader is not None}
        chosen = {int(v) for v in request.form.getlist("pick") if v.isascii() and v.isdigit()
                  and int(v) in leaders}
        if not chosen:
            error = "Отметьте хотя бы одну пару."
        else:
            items = [(leaders[s], s, list(pairs.DEFAULT_DIRECTIONS), None) for s in
                     sorted(chosen)]
            try:
                created = pairs.create_pairs(year, items, current_user.id)
            except PartnershipError as problem:
                error = str(problem)
            else:
                for pair in created:
                    audit("partnership_proposed", pair, details=pairs.describe(pair))
                flash(f"Создано пар: {len(created)}.", "success")
                return redirect(url_for("partnerships.index", year=year), code=303)
    return render_template("partnerships/suggest.html", rows=rows, year=year, error=error,
                           chosen=chosen, form=ConfirmForm(), years=_years_form(year)), (
        422 if error else 200)


# --- import from .xlsx ------------------------------------------------------------------------

@bp.route("/import", methods=["GET", "POST"])
@access(*MANAGERS)
def import_file():
    form = ImportForm() if request.method == "POST" else ImportForm(
        formdata=None, data={"period_start": str(_year_arg())})
    if request.method == "POST" and form.validate():
        upload = read_upload(form.file, "Выберите файл .xlsx.")
        if upload is not None:
            filename, data = upload
            try:
                rows = pairs_import.read_rows(data)
            except pairs_import.ImportProblem as problem:
                form.file.errors.append(str(problem))
            else:
                token = save_pending(current_app.config["STORAGE_DIR"], current_user.id,
                                     filename, {"year": form.year, "rows": rows})
                return _preview(pairs_import.check(rows, form.year), form.year, token, filename)
    return render_template("partnerships/import.html", form=form), 422 if form.errors else 200


def _preview(rows, year, token, filename):
    bad = [r for r in rows if r["errors"]]
    return render_template("partnerships/import_preview.html", rows=rows, bad=bad, year=year,
                           token=token, filename=filename, form=ConfirmForm()), (
        422 if bad else 200)


@bp.route("/import/<token>", methods=["POST"])
@access(*MANAGERS)
def import_confirm(token):
    folder = current_app.config["STORAGE_DIR"]
    pending = load_pending(folder, current_user.id, token)
    if pending is None or not ConfirmForm().validate_on_submit():
        flash("Предпросмотр устарел. Загрузите файл ещё раз.", "warning")
        return redirect(url_for("partnerships.import_file"), code=303)
    year = pending["data"]["year"]
    rows = pairs_import.check(pending["data"]["rows"], year)  # the directory may have changed
    if any(r["errors"] for r in rows):
        return _preview(rows, year, token, pending["filename"])
    try:
        created = pairs.create_pairs(year, [(r["leader_id"], r["partner_id"],
                                             r["direction_keys"], r["coordinator_id"])
                                            for r in rows], current_user.id)
    except PartnershipError as error:
        fail(409, str(error))
    drop_pending(folder, token)
    audit("partnerships_imported", details=f"{pending['filename']}: {len(created)} пар на "
                                           f"{school_year(year)}")
    flash(f"Загружено пар: {len(created)}.", "success")
    return redirect(url_for("partnerships.index", year=year), code=303)


@bp.route("/import/template.xlsx")
@access(*MANAGERS)
def import_template():
    return send_bytes(pairs_import.template_xlsx(), "Шаблон загрузки пар.xlsx")


# --- the approving order ----------------------------------------------------------------------

def _order_defaults(year, issuer):
    order = partnerships_order(issuer.full_name if issuer else "", date.today(), year,
                               issuer.head_position if issuer else "",
                               issuer.head_name if issuer else "")
    return {name: order[name] for name in ("order_date", "heading", "preamble",
                                           "signer_position", "signer_name", "executor_note")}


def _department():
    """The organisation issuing the order: the user's, or for the centre and admin the
    education department of the directory."""
    return order_issuer(current_user.organization)


@bp.route("/approve", methods=["GET", "POST"])
@access(*STAFF)
def approve():
    """The order approving the proposed pairs of a school year: the centre prepares it (and
    downloads the draft), the department registers it."""
    year = _year_arg()
    waiting = pairs.proposed(year)
    issuer = _department()
    defaults = dict(_order_defaults(year, issuer), pairs=[p.id for p in waiting])
    form = PairsApprovalForm() if request.method == "POST" else PairsApprovalForm(
        formdata=None, data=defaults)
    may_register = current_user.role in REGISTRARS
    if request.method == "POST" and form.validate():
        chosen = [p for p in waiting if p.id in set(form.pairs.data)]
        if len(chosen) != len(set(form.pairs.data)):
            form.pairs.errors = ["Часть отмеченных пар уже не ждёт утверждения: обновите "
                                 "страницу."]
        elif request.form.get("preview"):
            data = documents.render(DOCTYPE, {"order": form.order(partnerships_order, issuer, year),
                                              "pairs": chosen})
            return send_bytes(data, f"Проект приказа об утверждении пар {year}-{year + 1}.docx")
        elif not may_register:
            fail(403, "Зарегистрировать приказ может управление образования; методический "
                      "центр готовит проект.")
        elif issuer is None:
            fail(403, "Приказ издаёт организация: привяжите свою учётную запись к организации.")
        else:
            order = form.order(partnerships_order, issuer, year)
            try:
                document = pairs.approve_pairs(chosen, order, current_user.id, issuer.id)
            except PartnershipError as error:
                fail(409, str(error))
            audit("partnerships_approved", document, details=f"№ {document.number}: " + ", ".join(
                f"{p.leader_name} → {p.partner_name}" for p in chosen))
            flash(f"Приказ зарегистрирован: № {document.number} от "
                  f"{document.registered_on:%d.%m.%Y}. Пары утверждены.", "success")
            return redirect(url_for("partnerships.approval", pairs_order_id=document.id),
                            code=303)
    return render_template("partnerships/approve.html", form=form, waiting=waiting, year=year,
                           years=_years_form(year), may_register=may_register,
                           issuer=issuer), (422 if form.errors else 200)


def _order_or_404(pairs_order_id):
    document = GeneratedDocument.get_or_none((GeneratedDocument.id == pairs_order_id)
                                             & (GeneratedDocument.doctype == DOCTYPE))
    if document is None:
        raise NotFound()
    return document


@bp.route("/approvals/<int:pairs_order_id>")
@access(*STAFF)
def approval(pairs_order_id):
    document = _order_or_404(pairs_order_id)
    approved = pairs.table_rows(pairs.listing(current_user).where(
        Partnership.approval == document.id))
    return render_template("partnerships/approval.html", document=document, pairs=approved,
                           form=ConfirmForm(), can_publish=current_user.role in MANAGERS)


@bp.route("/approvals/<int:pairs_order_id>/publish", methods=["POST"])
@access(*MANAGERS)
def publish_approval(pairs_order_id):
    document = _order_or_404(pairs_order_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    pairs.publish_approval(document)
    audit("partnerships_order_published", document, details=f"№ {document.number}")
    flash("Приказ об утверждении пар опубликован на сайте.", "success")
    return redirect(url_for("partnerships.approval", pairs_order_id=document.id), code=303)

