"""Risk profiles of the listed schools: the year's summary (table and heat map, the summary note),
a school's profile with the centre's levels and confirmation, the school's self-diagnosis with
autosave, the questionnaire and cut-offs as reference data."""
import hashlib
import json
from datetime import date

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from models import (RISK_LEVELS, RiskCutoff, RiskFactor, RiskProfile, RiskQuestion,
                    school_year)
from models.risk import DEFAULT_CUTOFFS, LEVEL_SOURCES

from ..auth.access import ALL_USERS, STAFF, access, get_visible_or_404
from ..core import cache
from ..core.audit import audit
from ..core.autosave import EditConflict, form_version, new_token, status as autosave_status
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.forms import ConfirmForm
from ..documents import api as documents
from . import charts, services, summary
from .forms import DiagnosisForm, FactorForm, YearActionForm, YearForm, levels_form

bp = Blueprint("risks", __name__, url_prefix="/risks")

EDITORS = ("admin", "centre")
AUTOSAVE_TEXTS = {
    "conflict": "Анкета изменена в другой вкладке или другим сотрудником. Нажмите «Сохранить», "
                "чтобы сравнить ответы",
    "locked": "Самодиагностика отправлена: ответы больше не меняются",
    "invalid": "Не сохранено: проверьте ответы ({count})"}


def profile_or_404(profile_id):
    """The profile if `current_user` may see it (a school: only its own)."""
    return get_visible_or_404(RiskProfile.visible_to(current_user), RiskProfile, profile_id)


# --- the year: summary, opening, the note --------------------------------------------------

@bp.route("/")
@access(*ALL_USERS)
def index():
    if current_user.role == "school":
        profiles = (RiskProfile.select().where(RiskProfile.school == current_user.organization_id)
                    .order_by(RiskProfile.year.desc()))
        return render_template("risks/school_index.html", profiles=profiles)
    filters = YearForm(request.args)
    year = filters.chosen()
    data = summary.year_summary(year)
    listed = services.listed_schools(year)
    opened = {p.school_id for p in RiskProfile.select(RiskProfile.school).where(
        RiskProfile.year == year)}
    waiting = [s for s in listed if s.id not in opened]
    return render_template(
        "risks/index.html", filters=filters, year=year, year_label=school_year(year),
        data=data, listed=listed, waiting=waiting,
        levels=RISK_LEVELS, marks=summary.MARKS, action=YearActionForm(year=str(year)),
        can_edit=current_user.role in EDITORS)


@bp.route("/summary.png")
@access(*STAFF)
def summary_chart():
    year = YearForm(request.args).chosen()
    data = summary.year_summary(year)
    # The picture depends only on the summary's data: drawn again only when it changed.
    key = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    png = cache.store("risk heat maps", 16, 600).get_or_compute(
        key, lambda: charts.summary_heat_map(data))
    response = make_response(png)
    response.headers["Content-Type"] = "image/png"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/open", methods=["POST"])
@access(*EDITORS)
def open_year():
    form = YearActionForm()
    year = form.chosen() if form.validate() else None
    if year is None:
        fail(422, "Выберите учебный год из списка.")
    try:
        created = services.open_profiles(year, current_user.id)
    except services.RiskError as error:
        flash(str(error), "danger")
        return redirect(url_for("risks.index", year=year), code=303)
    audit("risks.opened", details=f"{school_year(year)}: профилей {len(created)}")
    flash(f"Самодиагностика открыта для школ: {len(created)}." if created else
          "У всех школ перечня уже есть рисковые профили.", "success" if created else "info")
    return redirect(url_for("risks.index", year=year), code=303)


@bp.route("/summary.docx")
@access(*STAFF)
def summary_download():
    year = YearForm(request.args).chosen()
    return send_bytes(documents.render("risk_summary", year),
                      f"Сводная справка о рисковых профилях {school_year(year)}.docx")


@bp.route("/summary/register", methods=["POST"])
@access(*EDITORS)
def summary_register():
    form = YearActionForm()
    year = form.chosen() if form.validate() else None
    if year is None:
        fail(422, "Выберите учебный год из списка.")
    if not RiskProfile.select().where(RiskProfile.year == year).exists():
        flash(f"На {school_year(year)} учебный год нет рисковых профилей: справку составлять не "
              "по чему.", "warning")
        return redirect(url_for("risks.index", year=year), code=303)
    document = documents.register(
        "risk_summary", year, title=f"Сводная справка о рисковых профилях ОО на "
        f"{school_year(year)} учебный год", on_date=date.today(), author=current_user.id,
        organization=current_user.organization_id, source=("risk_summary", year))
    audit("risks.summary_registered", document, details=f"№ {document.number}")
    flash(f"Сводная справка зарегистрирована: № {document.number}.", "success")
    return redirect(url_for("documents.show", doc_id=document.id), code=303)


# --- a profile -----------------------------------------------------------------------------

def _profile_page(profile, form=None, errors=None, status=200):
    rows = summary.profile_rows(profile)
    factors = services.factors(profile.year)
    if form is None and current_user.role in EDITORS:
        form = levels_form(factors, data={
            **{f"level-{r['code']}": r["level"] for r in rows},
            **{f"comment-{r['code']}": r["comment"] for r in rows}})
    return render_template(
        "risks/show.html", profile=profile, rows=rows, form=form, errors=errors or [],
        year_label=school_year(profile.year), sources=LEVEL_SOURCES,
        can_edit=current_user.role in EDITORS, confirm=ConfirmForm(),
        answered=len(profile.answered), asked=len(services.questions(profile.year))), status


@bp.route("/profiles/<int:profile_id>")
@access(*ALL_USERS)
def show(profile_id):
    return _profile_page(profile_or_404(profile_id))


@bp.route("/profiles/<int:profile_id>", methods=["POST"])
@access(*EDITORS)
def levels(profile_id):
    """The centre's levels and comments («Сохранить» or «Подтвердить профиль»): all or nothing;
    a factor not in force that year or a level outside the list → 422 with the reason."""
    profile = profile_or_404(profile_id)
    factors = services.factors(profile.year)
    form = levels_form(factors, formdata=request.form)
    values, errors = services.check_levels(profile.year, request.form)
    form_ok = form.validate()
    unknown = [message for name, message in errors.items() if name not in form]
    for name, message in errors.items():
        if name in form:
            form[name].errors = [*form[name].errors, message]
    if errors or not form_ok:
        return _profile_page(profile, form, unknown, 422)
    confirm = request.form.get("action") == "confirm"
    try:
        services.save_levels(profile, values, current_user.id, confirm=confirm)
    except services.RiskError as error:
        for name, message in error.fields.items():
            if name in form:
                form[name].errors = [*form[name].errors, message]
        return _profile_page(profile, form, [str(error)], 422)
    audit("risks.confirmed" if confirm else "risks.levels_saved", profile,
          details=f"{profile.school.short_name}, {school_year(profile.year)}")
    flash("Рисковый профиль подтверждён." if confirm else "Уровни рисков сохранены.", "success")
    return redirect(url_for("risks.show", profile_id=profile.id), code=303)


@bp.route("/profiles/<int:profile_id>/reopen", methods=["POST"])
@access(*EDITORS)
def reopen(profile_id):
    profile = profile_or_404(profile_id)
    if not ConfirmForm().validate():
        fail(400, "Форма устарела: обновите страницу.")
    services.reopen_diagnosis(profile)
    audit("risks.reopened", profile, details=profile.school.short_name)
    flash("Самодиагностика возвращена школе: она может изменить ответы и отправить их снова.",
          "success")
    return redirect(url_for("risks.show", profile_id=profile.id), code=303)


@bp.route("/profiles/<int:profile_id>/document.docx")
@access(*ALL_USERS)
def download(profile_id):
    profile = profile_or_404(profile_id)
    return send_bytes(documents.render("risk_profile", profile),
                      f"Рисковый профиль {profile.school.short_name} {school_year(profile.year)}.docx")


@bp.route("/profiles/<int:profile_id>/register", methods=["POST"])
@access(*EDITORS)
def register(profile_id):
    profile = profile_or_404(profile_id)
    if not ConfirmForm().validate():
        fail(400, "Форма устарела: обновите страницу.")
    try:
        document = services.register_profile(profile, current_user.id)
    except services.RiskError as error:
        fail(409, str(error))
    audit("risks.profile_registered", document,
          details=f"№ {document.number}, версия {document.version}")
    flash(f"Рисковый профиль зарегистрирован: № {document.number}.", "success")
    return redirect(url_for("risks.show", profile_id=profile.id), code=303)


# --- the self-diagnosis ----------------------------------------------------------------------

def _diagnosis_page(profile, form=None, answers=None, errors=None, message="", status=200):
    questions = services.questions(profile.year)
    factors = {f.id: f for f in services.factors(profile.year)}
    groups = []
    for question in questions:
        if not groups or groups[-1][0].id != question.factor_id:
            groups.append((factors[question.factor_id], []))
        groups[-1][1].append(question)
    editable = profile.is_fillable and profile.fillable_by(current_user)
    if form is None:
        form = DiagnosisForm(formdata=None, data={"version": str(profile.version),
                                                  "token": new_token()})
    return render_template(
        "risks/diagnosis.html", profile=profile, groups=groups, form=form,
        answers=profile.answered if answers is None else answers, errors=errors or {},
        message=message, editable=editable, year_label=school_year(profile.year),
        autosave_texts=AUTOSAVE_TEXTS), status


@bp.route("/profiles/<int:profile_id>/diagnosis")
@access(*ALL_USERS)
def diagnosis(profile_id):
    return _diagnosis_page(profile_or_404(profile_id))


def _fillable_or_fail(profile_id):
    profile = profile_or_404(profile_id)
    if not profile.fillable_by(current_user):
        fail(403, "Самодиагностику заполняет сама школа; куратор её только читает.")
    if not profile.is_fillable:
        fail(409, f"Самодиагностика уже отправлена ({profile.status_label.lower()}): ответы не "
                  "меняются, пока центр не вернёт её школе.")
    return profile


@bp.route("/profiles/<int:profile_id>/diagnosis", methods=["POST"])
@access("school")
def diagnosis_save(profile_id):
    """«Сохранить» or «Отправить в центр»: the answers whole or not at all."""
    profile = _fillable_or_fail(profile_id)
    form = DiagnosisForm()
    answers, errors = services.read_answers(profile.year, request.form)
    if not form.validate() or errors:
        return _diagnosis_page(profile, form, answers, errors,
                               "Ответы не сохранены: проверьте отмеченные вопросы.", 422)
    version, token = form_version(form.version.data), form.token.data or ""
    sending = request.form.get("action") == "submit"
    try:
        if sending:
            services.submit_diagnosis(profile, answers, version, token, current_user.id)
        else:
            services.save_answers(profile, answers, version, token)
    except services.RiskError as error:
        return _diagnosis_page(profile, form, answers, error.fields, str(error), 422)
    except EditConflict:
        return _diagnosis_page(profile, form, answers, {}, "Анкету за это время изменили в "
                               "другой вкладке: ответы ниже — ваши, проверьте их и сохраните "
                               "ещё раз.", 409)
    except services.NotFillable:
        fail(409, "Самодиагностика уже отправлена: ответы не сохранены.")
    if sending:
        audit("risks.diagnosis_submitted", profile, details=school_year(profile.year))
        flash("Самодиагностика отправлена в методический центр. Уровни рисков рассчитаны — "
              "они появятся в программе школы после проверки центром или сразу, если центр их "
              "не изменит.", "success")
        return redirect(url_for("risks.show", profile_id=profile.id), code=303)
    flash("Ответы сохранены.", "success")
    return redirect(url_for("risks.diagnosis", profile_id=profile.id), code=303)


@bp.route("/profiles/<int:profile_id>/diagnosis/autosave", methods=["POST"])
@access("school")
def diagnosis_autosave(profile_id):
    """htmx on each answer: keep the answers so far, answer the indicator."""
    profile = profile_or_404(profile_id)
    if not profile.is_fillable or not profile.fillable_by(current_user):
        return autosave_status("locked", AUTOSAVE_TEXTS), 409
    form = DiagnosisForm()
    answers, errors = services.read_answers(profile.year, request.form)
    if not form.validate() or errors:
        return autosave_status("invalid", AUTOSAVE_TEXTS, count=len(errors) or 1), 422
    try:
        version = services.save_answers(profile, answers, form_version(form.version.data),
                                        form.token.data or "")
    except EditConflict:
        return autosave_status("conflict", AUTOSAVE_TEXTS), 409
    except services.NotFillable:
        return autosave_status("locked", AUTOSAVE_TEXTS), 409
    return autosave_status("saved", AUTOSAVE_TEXTS, version=version)


# --- the questionnaire -------------------------------------------------------------------------

@bp.route("/questionnaire")
@access(*STAFF)
def questionnaire():
    year = YearForm(request.args).chosen()
    factors = services.factors(year)
    by_factor = {}
    for question in RiskQuestion.active():
        by_factor.setdefault(question.factor_id, []).append(question)
    cutoffs = {c.factor_id: c.bounds for c in RiskCutoff.select()}
    return render_template("risks/questionnaire.html", factors=factors, by_factor=by_factor,
                           cutoffs=cutoffs, default=DEFAULT_CUTOFFS, year_label=school_year(year),
                           can_edit=current_user.role in EDITORS)


@bp.route("/questionnaire/<int:factor_id>", methods=["GET", "POST"])
@access(*EDITORS)
def edit_factor(factor_id):
    factor = RiskFactor.get_or_none(RiskFactor.id == factor_id)
    if factor is None:
        fail(404, "Такого фактора риска нет.")
    if request.method == "GET":
        questions = list(RiskQuestion.active().where(RiskQuestion.factor == factor.id))
        cutoff = RiskCutoff.get_or_none(RiskCutoff.factor == factor.id)
        low, medium, high = cutoff.bounds if cutoff else DEFAULT_CUTOFFS
        rows = [{"question_id": str(q.id), "text": q.text,
                 "options": services.options_text(q)} for q in questions]
        form = FactorForm(formdata=None, data={
            "low_from": low, "medium_from": medium, "high_from": high,
            "questions": rows + [{"question_id": "", "text": "", "options": ""}]})
        return render_template("risks/factor.html", factor=factor, form=form)
    form = FactorForm()
    items, ok = [], form.validate()
    for row in form.questions:
        text, options = row.form.text.data or "", row.form.options.data or ""
        if not text and not options:
            continue  # the empty row for a new question
        if not text:
            row.form.text.errors = [*row.form.text.errors, "Напишите вопрос."]
            ok = False
            continue
        try:
            parsed = services.parse_options(options)
        except ValueError as error:
            row.form.options.errors = [*row.form.options.errors, str(error)]
            ok = False
            continue
        qid = row.form.question_id.data or ""
        items.append((int(qid) if qid.isdigit() and len(qid) < 10 else None, text, parsed))
    problem = ""
    if ok:
        try:
            services.save_questionnaire(factor, (form.low_from.data, form.medium_from.data,
                                                 form.high_from.data), items)
        except services.RiskError as error:
            problem, ok = str(error), False
    if not ok:
        return render_template("risks/factor.html", factor=factor, form=form,
                               problem=problem or "Анкета не сохранена: исправьте отмеченные "
                                                  "поля."), 422
    audit("risks.questionnaire_saved", factor, details=f"{factor.code}. {factor.name}")
    flash(f"Анкета по фактору «{factor.name}» сохранена.", "success")
    return redirect(url_for("risks.questionnaire"), code=303)

