"""Orders: draft form with clause rows, preview download, registration."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Order, OrderAnnex, OrderClause

from ..auth.access import STAFF, access, get_visible_or_404
from ..core.downloads import send_bytes
from ..core.audit import audit
from ..core.errors import fail
from ..core.filters import place_of, preamble_text
from ..core.forms import ConfirmForm
from ..core.htmx import render_page_or_fragment
from ..core.pagination import paginate
from ..core.rows import apply_action, parse_action
from ..documents import api as documents
from ..jobs import engine as jobs
from . import services
from .batch import ORDERS_REGISTER, BatchForm, drafts_for
from .documents import KIND_TITLES, clause_rows, order_data
from .forms import OrderForm

bp = Blueprint("orders", __name__, url_prefix="/orders")

AUTHORS = ("admin", "centre", "department")
BLANK_ROWS = {"clauses": lambda: {"level": 0, "text": "", "executor": "", "deadline": ""},
              "annexes": lambda: {"title": "", "text": "", "table": ""}}


def _visible():
    return Order.visible_to(current_user)


def _editable_or_404(order_id):
    order = get_visible_or_404(_visible(), Order, order_id)
    if not order.editable_by(current_user):
        fail(403, "Этот приказ нельзя изменить: он зарегистрирован или издан другой организацией.")
    return order


@bp.route("/")
@access(*STAFF)
def index():
    query = _visible().order_by(Order.order_date.desc(), Order.id.desc())
    status = request.args.get("status", "")
    if status == "draft":
        query = query.where(Order.document.is_null())
    elif status == "registered":
        query = query.where(Order.document.is_null(False))
    page = paginate(query, request.args.get("page", 1, type=int), current_app.config["PER_PAGE"])
    return render_template("orders/index.html", page=page, status=status,
                           can_create=current_user.role in AUTHORS)


def _prefilled_form():
    org = current_user.organization
    form = OrderForm(formdata=None, data={
        "order_date": date.today(), "place": place_of(org.address if org else ""),
        "control_clause":
        "Контроль за исполнением настоящего приказа оставляю за собой.",
        "signer_position": org.head_position if org else "",
        "signer_name": org.head_name if org else "",
        "executor_note": f"{current_user.full_name}, {org.phone}" if org and org.phone else "",
        "clauses": [BLANK_ROWS["clauses"]()], "annexes": [], "version": ""})
    return form


def _form_response(form, order, status=200):
    return render_page_or_fragment("orders/form.html", "orders/_form.html", status=status,
                                   form=form, order=order)


def _row_action(form, order):
    """Apply an add / remove / move button to the posted rows; nothing is saved."""
    parsed = parse_action(request.form.get("action"))
    if parsed is None or parsed[1] not in BLANK_ROWS:
        return None
    op, name, index = parsed
    data = form.data
    data[name] = apply_action(data[name], op, index, BLANK_ROWS[name])
    data.pop("csrf_token", None)
    return _form_response(OrderForm(formdata=None, data=data), order)


@bp.route("/new", methods=["GET", "POST"])
@access(*AUTHORS)
def create():
    if current_user.organization is None:
        fail(403, "Приказ издаёт организация: привяжите свою учётную запись к организации.")
    form = OrderForm() if request.method == "POST" else _prefilled_form()
    if request.method == "POST":
        moved = _row_action(form, None)
        if moved is not None:
            return moved
        if form.validate():
            order = services.save_order(form.data, current_user.organization_id, current_user.id)
            audit("order_created", order)
            flash("Проект приказа сохранён.", "success")
            return redirect(url_for("orders.show", order_id=order.id), code=303)
    return _form_response(form, None, 422 if form.errors else 200)


@bp.route("/batch", methods=["GET", "POST"])
@access(*AUTHORS)
def batch():
    """«Сформировать пакет приказов»: register the chosen drafts in one background job, numbers
    in the listed order, with PDFs and one .zip; the job page shows the progress."""
    drafts = list(drafts_for(current_user))
    form = BatchForm()
    form.orders.choices = [(o.id, f"{o.order_date:%d.%m.%Y} {o.kind_label} «{o.heading}»")
                           for o in drafts]
    if request.method == "GET":
        form.orders.data = [o.id for o in drafts]
    elif form.validate():
        chosen = set(form.orders.data)
        ids = [o.id for o in drafts if o.id in chosen]  # the listed order, not the posted one
        job = jobs.start(ORDERS_REGISTER.key, ids, current_user,
                         title=f"Пакет приказов ({len(ids)})", with_pdf=form.with_pdf.data)
        audit("job_started", details=f"{job.id} {job.title}")
        return redirect(url_for("jobs.show", job_id=job.id), code=303)
    return render_template("orders/batch.html", form=form, drafts=drafts), \
        422 if form.errors else 200


@bp.route("/<int:order_id>")
@access(*STAFF)
def show(order_id):
    order = get_visible_or_404(_visible(), Order, order_id)
    clauses = [{"level": c.level, "text": c.text, "executor": c.executor,
                "deadline": c.deadline} for c in order.clauses.order_by(OrderClause.position)]
    # Numbered and worded as the document will print them (1., 1.1., «ПРИКАЗЫВАЮ:»).
    rows, last = clause_rows(clauses)
    imperative = KIND_TITLES.get(order.kind, KIND_TITLES["order"])[2]
    return render_template("orders/show.html", order=order, form=ConfirmForm(), clauses=rows,
                           imperative=imperative, control_number=f"{last + 1}.",
                           preamble=preamble_text(order.preamble, bool(imperative)),
                           annexes=order.annexes.order_by(OrderAnnex.position),
                           can_edit=order.editable_by(current_user))


@bp.route("/<int:order_id>/edit", methods=["GET", "POST"])
@access(*AUTHORS)
def edit(order_id):
    order = _editable_or_404(order_id)
    if request.method == "GET":
        data = order_data(order)
        data.update(version=str(order.version), annexes=[
            {"title": a.title, "text": a.text, "table": a.table}
            for a in order.annexes.order_by(OrderAnnex.position)])
        return _form_response(OrderForm(formdata=None, data=data), order)
    form = OrderForm()
    moved = _row_action(form, order)
    if moved is not None:
        return moved
    if form.validate():
        try:
            services.save_order(form.data, order.organization_id, current_user.id, order)
        except services.EditConflict:
            flash("Приказ уже изменил другой пользователь. Ваши изменения не сохранены: "
                  "скопируйте нужный текст и откройте приказ заново.", "danger")
            return _form_response(form, order, 409)
        audit("order_updated", order)
        flash("Изменения сохранены.", "success")
        return redirect(url_for("orders.show", order_id=order.id), code=303)
    return _form_response(form, order, 422)


@bp.route("/<int:order_id>/preview.docx")
@access(*STAFF)
def preview(order_id):
    order = get_visible_or_404(_visible(), Order, order_id)
    return send_bytes(documents.render("order", order), f"Проект приказа {order.id}.docx")


@bp.route("/<int:order_id>/register", methods=["GET", "POST"])
@access(*AUTHORS)
def register(order_id):
    order = _editable_or_404(order_id)
    if request.method == "GET":  # asks first: a registered order gets its number for good
        return render_template(
            "core/confirm.html", form=ConfirmForm(), heading=f"Зарегистрировать «{order.heading}»?",
            details="Приказ получит очередной номер и дату; изменить его после этого нельзя — "
                    "только выпустить новую редакцию.",
            warning="Проверьте текст в проекте (.docx) перед регистрацией.",
            button="Да, зарегистрировать", button_class="btn-primary",
            action=url_for("orders.register", order_id=order.id),
            cancel=url_for("orders.show", order_id=order.id))
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    try:
        document = services.register_order(order, current_user.id)
    except services.NotEditable:
        flash("Приказ уже зарегистрирован.", "warning")
        return redirect(url_for("orders.show", order_id=order.id), code=303)
    audit("order_registered", document, details=f"№ {document.number}")
    flash(f"Приказ зарегистрирован: № {document.number} от "
          f"{document.registered_on:%d.%m.%Y}.", "success")
    return redirect(url_for("orders.show", order_id=order.id), code=303)


@bp.route("/<int:order_id>/delete", methods=["GET", "POST"])
@access(*AUTHORS)
def delete(order_id):
    order = _editable_or_404(order_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_order(order)
        audit("order_deleted", details=f"{order.id} {order.heading}")
        flash("Проект приказа удалён.", "success")
        return redirect(url_for("orders.index"), code=303)
    return render_template(
        "core/confirm.html", form=form, heading=f"Удалить проект «{order.heading}»?",
        details="", button="Да, удалить",
        warning="Проект и все его пункты будут удалены без возможности восстановления.",
        action=url_for("orders.delete", order_id=order.id),
        cancel=url_for("orders.show", order_id=order.id))
