"""Risk profiles of the listed (low-result) schools by school year: a level and a comment per
risk factor in force that year, entered by the centre or computed from the school's
self-diagnosis questionnaire (questions per factor, each answer scored, the level by the
factor's cut-offs). The questionnaire and the cut-offs are reference data the centre edits.

`programme_risk_codes` is the read the programmes feature uses to pre-fill a programme's risk
profile (section 3) from the school's profile."""
import json

from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from .base import BaseModel, now
from .curatorship import Curatorship
from .document import GeneratedDocument
from .organization import Organization
from .programme import RiskFactor
from .user import User

# Level codes in the order of severity; the Russian words are what people and documents read.
RISK_LEVELS = {"high": "высокий", "medium": "средний", "low": "низкий", "none": "не выявлен"}
PROFILE_STATUSES = {
    "diagnosis": "Самодиагностика у школы",
    "submitted": "Ждёт подтверждения центра",
    "confirmed": "Подтверждён центром",
}
LEVEL_SOURCES = {"diagnosis": "по самодиагностике", "centre": "установлен центром"}
# Levels a programme works with: pre-filled into its risk profile.
PROGRAMME_LEVELS = ("high", "medium")
DEFAULT_CUTOFFS = (25, 50, 75)  # low, medium, high from: % of the factor's maximum score


class RiskQuestion(BaseModel):
    """A question of the self-diagnosis about one factor; each answer option has a score
    (the more points, the higher the risk)."""

    factor = ForeignKeyField(RiskFactor, backref="+", on_delete="CASCADE")
    position = IntegerField(default=0)
    text = CharField(max_length=1000)
    options = TextField(default="[]")  # [{"text": "…", "score": 0}, …]
    is_active = BooleanField(default=True)

    @property
    def choices(self):
        return json.loads(self.options or "[]")

    @property
    def max_score(self):
        return max((int(o["score"]) for o in self.choices), default=0)

    @classmethod
    def active(cls):
        return (cls.select(cls, RiskFactor).join(RiskFactor)
                .where(cls.is_active == True)  # noqa: E712
                .order_by(RiskFactor.code, cls.position, cls.id))


class RiskCutoff(BaseModel):
    """A factor's cut-offs: the share of its maximum score (%) from which the level is low,
    medium, high; below `low_from` the risk is not found."""

    factor = ForeignKeyField(RiskFactor, unique=True, backref="+", on_delete="CASCADE")
    low_from = IntegerField(default=DEFAULT_CUTOFFS[0])
    medium_from = IntegerField(default=DEFAULT_CUTOFFS[1])
    high_from = IntegerField(default=DEFAULT_CUTOFFS[2])

    @property
    def bounds(self):
        return (self.low_from, self.medium_from, self.high_from)


class RiskProfile(BaseModel):
    school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
    year = IntegerField()  # school year start: 2026 means 2026/2027
    status = CharField(max_length=20, default="diagnosis")  # PROFILE_STATUSES
    answers = TextField(default="{}")  # the self-diagnosis: {question id: option index}
    version = IntegerField(default=0)  # core/autosave.py
    editor_token = CharField(max_length=32, default="")
    submitted_at = DateTimeField(null=True)
    submitted_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    confirmed_at = DateTimeField(null=True)
    confirmed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    document = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("school", "year"), True), (("year", "status"), False))

    @property
    def status_label(self):
        return PROFILE_STATUSES.get(self.status, self.status)

    @property
    def answered(self):
        """{question id: option index} of the self-diagnosis as stored."""
        try:
            stored = json.loads(self.answers or "{}")
        except ValueError:
            return {}
        return {int(k): int(v) for k, v in stored.items()
                if str(k).isdigit() and isinstance(v, int)}

    @property
    def is_fillable(self):
        """The school fills its self-diagnosis until it sends it (or the centre confirms)."""
        return self.status == "diagnosis"

    @classmethod
    def visible_to(cls, user):
        """Staff read every profile; a school its own and, as a curator, those of the schools
        it curates now (read only: `fillable_by`)."""
        query = cls.select(cls, Organization).join(Organization)
        if user.role == "school":
            query = query.where((cls.school == user.organization_id)
                                | cls.school.in_(Curatorship.school_ids_for(user)))
        return query

    def fillable_by(self, user):
        """Only the school itself answers its self-diagnosis (a curator reads it)."""
        return user.role == "school" and self.school_id == user.organization_id


class RiskLevel(BaseModel):
    """One factor of a profile: the level in force, the level the self-diagnosis computed (with
    its score) and the comment."""

    profile = ForeignKeyField(RiskProfile, backref="levels", on_delete="CASCADE")
    factor = ForeignKeyField(RiskFactor, backref="+", on_delete="RESTRICT")
    level = CharField(max_length=10, default="")  # RISK_LEVELS; "" — not assessed yet
    computed = CharField(max_length=10, default="")  # by the self-diagnosis
    score = IntegerField(null=True)
    max_score = IntegerField(null=True)
    source = CharField(max_length=20, default="")  # LEVEL_SOURCES
    comment = CharField(max_length=2000, default="")

    class Meta:
        indexes = ((("profile", "factor"), True),)

    @property
    def level_label(self):
        return RISK_LEVELS.get(self.level, "не оценён")

    @property
    def computed_label(self):
        return RISK_LEVELS.get(self.computed, "")


# --- reads -----------------------------------------------------------------------------------

def level_for(score, maximum, bounds=DEFAULT_CUTOFFS):
    """The level of a factor's `score` out of `maximum` by the cut-offs (low, medium, high from,
    in % of the maximum): 6 of 12 with (25, 50, 75) → "medium"."""
    if not maximum:
        return "none"
    share = 100 * score / maximum
    low, medium, high = bounds
    if share >= high:
        return "high"
    if share >= medium:
        return "medium"
    if share >= low:
        return "low"
    return "none"


def factor_scores(questions, answers):
    """{factor id: (score, maximum, answered, asked)} of the answered questions (an answer that
    names no option of its question counts as unanswered)."""
    result = {}
    for question in questions:
        score, maximum, answered, asked = result.get(question.factor_id, (0, 0, 0, 0))
        choices = question.choices
        index = answers.get(question.id)
        if index is not None and 0 <= index < len(choices):
            score += int(choices[index]["score"])
            answered += 1
        result[question.factor_id] = (score, maximum + question.max_score, answered, asked + 1)
    return result


def cutoffs_by_factor():
    """{factor id: (low, medium, high)} of every factor with its own cut-offs."""
    return {c.factor_id: c.bounds for c in RiskCutoff.select()}


def programme_risk_codes(school_id, first_year, last_year):
    """(profile, [factor code as text]) of the school's latest risk profile for a programme of
    `first_year`…`last_year` (a profile of the school year before the programme counts): the
    factors at a high or medium level. (None, []) when the school has no assessed profile
    (the self-diagnosis not yet sent and no level entered by the centre)."""
    assessed = RiskLevel.select(RiskLevel.profile).where(RiskLevel.level != "")
    profile = (RiskProfile.select().where(
        (RiskProfile.school == school_id) & (RiskProfile.year >= first_year - 1)
        & (RiskProfile.year <= last_year) & RiskProfile.id.in_(assessed))
        .order_by(RiskProfile.year.desc()).first())
    if profile is None:
        return None, []
    codes = [str(row.factor.code) for row in (
        RiskLevel.select(RiskLevel, RiskFactor).join(RiskFactor)
        .where((RiskLevel.profile == profile.id) & RiskLevel.level.in_(PROGRAMME_LEVELS))
        .order_by(RiskFactor.code))]
    return profile, codes
