"""Risk profile writes: open the profiles of the listed schools for a year, keep the school's
self-diagnosis answers (autosave), send it (the levels computed by the cut-offs), the centre's
levels and comments and its confirmation, the questionnaire and cut-offs as reference data.
Each in one transaction: a wrong value saves nothing. No request access here."""
import json
from datetime import date

from models import (RISK_LEVELS, GeneratedDocument, LowResultStatus, RiskCutoff, RiskFactor,
                    RiskLevel, RiskProfile, RiskQuestion, User, db, now,
                    school_year)
from models.risk import DEFAULT_CUTOFFS, factor_scores, level_for

from ..core.autosave import save_versioned
from ..core.notify import notify
from ..documents import api as documents

LIMIT_COMMENT = 2000
MAX_OPTIONS, MAX_SCORE, MAX_QUESTIONS = 8, 100, 20


class RiskError(Exception):
    """A write refused; `message` is Russian, `fields` {field name: message} for the form."""

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.fields = fields or {}


class NotFillable(Exception):
    """The self-diagnosis was sent (or the profile confirmed): the school cannot change it."""


def factors(year):
    return list(RiskFactor.in_force(year))


def questions(year):
    """The active questions of the factors in force in `year`, by factor code and position."""
    codes = [f.id for f in factors(year)]
    return list(RiskQuestion.active().where(RiskQuestion.factor.in_(codes)))


def listed_schools(year):
    return LowResultStatus.listed_schools(year)


# --- the profiles of a year ------------------------------------------------------------------

def open_profiles(year, author=None, schools=None):
    """A profile (self-diagnosis for the school to fill) for every listed school of `year` (or
    of `schools`) that has none; the schools' users are told. Returns the profiles created."""
    in_force = factors(year)
    if not in_force:
        raise RiskError(f"На {school_year(year)} учебный год не действует ни один фактор риска: "
                        "проверьте справочник факторов.")
    existing = {p.school_id for p in RiskProfile.select(RiskProfile.school)
                .where(RiskProfile.year == year)}
    created = []
    with db.atomic():
        for school in listed_schools(year) if schools is None else schools:
            if school.id in existing:
                continue
            profile = RiskProfile.create(school=school, year=year)
            RiskLevel.insert_many([{"profile": profile.id, "factor": f.id}
                                   for f in in_force]).execute()
            created.append(profile)
    for profile in created:
        notify(_users(profile.school_id), "reminder",
               f"Заполните самодиагностику рисков на {school_year(year)} учебный год: по ней "
               "составляется рисковый профиль школы.", f"/risks/profiles/{profile.id}/diagnosis",
               key=f"risk-diagnosis-{profile.id}")
    return created


def _users(organization_id):
    return list(User.select().where((User.organization == organization_id)
                                    & (User.is_active == True)))  # noqa: E712


# --- the school's self-diagnosis ---------------------------------------------------------------

def read_answers(year, posted):
    """{question id: option index} from the posted form (`q-<id>` → index), and
    {field name: message} of what is wrong: an option that does not exist, a question that is
    not in this year's questionnaire."""
    asked = {q.id: q for q in questions(year)}
    answers, errors = {}, {}
    for name, value in posted.items():
        if not name.startswith("q-"):
            continue
        key = name[2:]
        question = asked.get(int(key)) if key.isdigit() and len(key) < 10 else None
        if question is None:
            errors[name] = "Такого вопроса нет в анкете этого года."
            continue
        if value == "":
            continue
        if not value.isdigit() or not int(value) < len(question.choices):
            errors[name] = "Выберите один из вариантов ответа."
            continue
        answers[question.id] = int(value)
    return answers, errors


def save_answers(profile, answers, version, token):
    """Keep the answers so far (autosave); the new version. EditConflict when another tab or
    person saved in between, NotFillable once the self-diagnosis is sent."""
    with db.atomic():
        if not RiskProfile.update(updated_at=now()).where(
                (RiskProfile.id == profile.id) & (RiskProfile.status == "diagnosis")).execute():
            raise NotFillable()
        return save_versioned(RiskProfile, RiskProfile.id == profile.id, version, token,
                              answers=json.dumps({str(k): v for k, v in answers.items()}))


def computed_levels(year, answers):
    """{factor id: (level, score, maximum)} of the answers by each factor's cut-offs."""
    cutoffs = {c.factor_id: c.bounds for c in RiskCutoff.select()}
    scores = factor_scores(questions(year), answers)
    return {factor_id: (level_for(score, maximum, cutoffs.get(factor_id, DEFAULT_CUTOFFS)),
                        score, maximum)
            for factor_id, (score, maximum, _, _) in scores.items()}


def submit_diagnosis(profile, answers, version, token, author):
    """Save the answers and send them: every question answered, the levels computed by the
    cut-offs (a level the centre already set stays), the profile waits for the centre."""
    missing = [q for q in questions(profile.year) if q.id not in answers]
    if missing:
        raise RiskError(f"Ответьте на все вопросы анкеты: без ответа — {len(missing)}.",
                        {f"q-{q.id}": "Выберите ответ." for q in missing})
    levels = computed_levels(profile.year, answers)
    with db.atomic():
        save_answers(profile, answers, version, token)
        for row in _level_rows(profile):
            level, score, maximum = levels.get(row.factor_id, ("none", 0, 0))
            row.computed, row.score, row.max_score = level, score, maximum
            if row.source != "centre" or not row.level:
                row.level, row.source = level, "diagnosis"
            row.save()
        RiskProfile.update(status="submitted", submitted_at=now(), submitted_by=author,
                           updated_at=now()).where(RiskProfile.id == profile.id).execute()
    return levels


def _level_rows(profile):
    """The profile's level rows for every factor in force in its year (missing ones added: a
    factor put in force after the profile was opened)."""
    rows = {r.factor_id: r for r in RiskLevel.select().where(RiskLevel.profile == profile.id)}
    for factor in factors(profile.year):
        if factor.id not in rows:
            rows[factor.id] = RiskLevel.create(profile=profile.id, factor=factor.id)
    return [rows[f.id] for f in factors(profile.year)]


# --- the centre's levels ---------------------------------------------------------------------

def check_levels(year, posted):
    """{factor code: (level, comment)} of the posted `level-<code>` / `comment-<code>` fields
    and {field name: message} of what is wrong: a factor not in force that year, a level not in
    the list, a comment too long."""
    in_force = {str(f.code): f for f in factors(year)}
    values, errors = {}, {}
    for name in posted:
        if name.startswith(("level-", "comment-")):
            code = name.split("-", 1)[1]
            if code not in in_force:
                label = f"№ {code[:10]}"
                known = RiskFactor.get_or_none(RiskFactor.code == int(code)) \
                    if code.isdigit() and len(code) < 10 else None
                if known is not None:
                    label = f"«{known.name}»"
                errors[name] = (f"Фактор риска {label} не действует в {school_year(year)} "
                                "учебном году: уровень по нему не указывается.")
    for code, factor in in_force.items():
        level = (posted.get(f"level-{code}") or "").strip()
        comment = (posted.get(f"comment-{code}") or "").replace("\r\n", "\n").strip()
        if level and level not in RISK_LEVELS:
            errors[f"level-{code}"] = ("Выберите уровень из списка: "
                                       + ", ".join(RISK_LEVELS.values()) + ".")
        if len(comment) > LIMIT_COMMENT:
            errors[f"comment-{code}"] = f"Не длиннее {LIMIT_COMMENT} символов."
        values[code] = (level, comment)
    return values, errors


def save_levels(profile, values, author, confirm=False):
    """Store the centre's levels and comments ({factor code: (level, comment)}, checked by
    `check_levels`); with `confirm` every factor needs a level and the profile is confirmed."""
    if confirm:
        missing = [code for code, (level, _) in values.items() if not level]
        if missing:
            raise RiskError("Чтобы подтвердить профиль, укажите уровень по каждому фактору.",
                            {f"level-{code}": "Укажите уровень." for code in missing})
    by_code = {str(f.code): f.id for f in factors(profile.year)}
    with db.atomic():
        for row in _level_rows(profile):
            code = next(c for c, fid in by_code.items() if fid == row.factor_id)
            level, comment = values.get(code, (row.level, row.comment))
            if level != row.level:
                row.source = "diagnosis" if level and level == row.computed else "centre"
            row.level, row.comment = level, comment
            row.save()
        changes = {"updated_at": now()}
        if confirm:
            changes.update(status="confirmed", confirmed_at=now(), confirmed_by=author)
        RiskProfile.update(**changes).where(RiskProfile.id == profile.id).execute()


def reopen_diagnosis(profile):
    """Give the self-diagnosis back to the school (the levels entered stay)."""
    RiskProfile.update(status="diagnosis", updated_at=now(), confirmed_at=None,
                       confirmed_by=None).where(RiskProfile.id == profile.id).execute()


def register_profile(profile, author):
    """Register the confirmed profile as `risk_profile`; a profile registered before (then
    reopened and confirmed again) gets a new version under the same number."""
    if profile.status != "confirmed":
        raise RiskError("Зарегистрировать можно только профиль, подтверждённый центром.")
    if profile.document_id:
        document = documents.correct(GeneratedDocument.get_by_id(profile.document_id), profile,
                                     author=author)
    else:
        document = documents.register(
            "risk_profile", profile, title=f"Рисковый профиль {profile.school.short_name} на "
            f"{school_year(profile.year)} учебный год", on_date=date.today(), author=author,
            organization=profile.school_id, source=("risk_profile", profile.id))
    RiskProfile.update(document=document, updated_at=now()).where(
        RiskProfile.id == profile.id).execute()
    return document


# --- the questionnaire (reference data) ------------------------------------------------------

def parse_options(text):
    """«Ответ = балл» lines → [{"text", "score"}]; ValueError with a Russian message."""
    options = []
    for number, line in enumerate((text or "").replace("\r\n", "\n").split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        answer, sep, score = line.rpartition("=")
        answer, score = answer.strip(), score.strip()
        if not sep or not answer:
            raise ValueError(f"Строка {number}: запишите ответ и балл через «=», например "
                             "«Да, полностью = 0».")
        if not score.isdigit() or int(score) > MAX_SCORE:
            raise ValueError(f"Строка {number}: балл — целое число от 0 до {MAX_SCORE}.")
        if len(answer) > 300:
            raise ValueError(f"Строка {number}: ответ не длиннее 300 символов.")
        options.append({"text": answer, "score": int(score)})
    if len(options) < 2:
        raise ValueError("Нужно хотя бы два варианта ответа.")
    if len(options) > MAX_OPTIONS:
        raise ValueError(f"Не больше {MAX_OPTIONS} вариантов ответа.")
    return options


def options_text(question):
    return "\n".join(f"{o['text']} = {o['score']}" for o in question.choices)


def save_questionnaire(factor, bounds, items):
    """Replace a factor's cut-offs and questions: `bounds` (low, medium, high from, %), `items`
    [(question id or None, text, options)] in order; questions left out are retired (kept for
    the answers already given)."""
    low, medium, high = bounds
    if not 0 < low < medium < high <= 100:
        raise RiskError("Пороги должны расти: 0 < «низкий» < «средний» < «высокий» ≤ 100 %.",
                        {"low_from": "Проверьте пороги."})
    if not items:
        raise RiskError("В анкете по фактору нужен хотя бы один вопрос.")
    if len(items) > MAX_QUESTIONS:
        raise RiskError(f"Не больше {MAX_QUESTIONS} вопросов по одному фактору.")
    with db.atomic():
        cutoff, _ = RiskCutoff.get_or_create(factor=factor.id)
        cutoff.low_from, cutoff.medium_from, cutoff.high_from = low, medium, high
        cutoff.save()
        current = {q.id: q for q in RiskQuestion.select().where(
            (RiskQuestion.factor == factor.id) & (RiskQuestion.is_active == True))}  # noqa: E712
        kept = set()
        for position, (question_id, text, options) in enumerate(items):
            encoded = json.dumps(options, ensure_ascii=False)
            question = current.get(question_id)
            if question is not None and question.choices == options:
                question.text, question.position = text, position
                question.save()
                kept.add(question.id)
            else:  # a changed scale is a new question: answers given keep their meaning
                RiskQuestion.create(factor=factor.id, position=position, text=text,
                                    options=encoded)
        RiskQuestion.update(is_active=False).where(
            RiskQuestion.id.in_([qid for qid in current if qid not in kept])).execute()
