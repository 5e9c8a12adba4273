"""Partnerships: a leader school and a low-result school paired for a school year, their
agreement and interaction plan confirmed by both sides, registered, signed and carried out."""
import json
from datetime import date

from peewee import (CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from .base import BaseModel, now
from .curatorship import Curatorship
from .document import GeneratedDocument
from .evidence import Evidence
from .organization import Organization
from .user import User

PARTNERSHIP_STATUSES = {
    "proposed": "Предложена",  # by the centre; awaits the department's order
    "approved": "Утверждена",  # by the order; the schools fill the agreement and the plan
    "registered": "Соглашение зарегистрировано",  # both sides confirmed
    "signed": "Подписано обеими сторонами",  # the signed scan is uploaded
}
# The reference list of directions of interaction (DOMAIN.md, «Partnership agreement»).
INTERACTION_DIRECTIONS = {
    "consulting": "консультирование",
    "lesson_visits": "взаимопосещение уроков",
    "joint_mo": "совместные методические объединения",
    "mentoring": "наставничество",
    "resources": "обмен ресурсами",
    "student_events": "совместные мероприятия для обучающихся",
    "training": "повышение квалификации педагогов",
    "diagnostics": "совместная диагностика и анализ результатов",
}
SIDES = {"leader": "школа-лидер", "partner": "школа-партнёр"}
PLAN_ROW_STATUSES = {"planned": "Запланировано", "done": "Выполнено"}


def school_year(start):
    """«2026/2027» for 2026."""
    return f"{start}/{start + 1}"


def current_school_year(today=None):
    """The school year under way (September to August): 2026 from 1.09.2026 to 31.08.2027."""
    today = today or date.today()
    return today.year if today.month >= 9 else today.year - 1


def year_bounds(start):
    """The school year `start`/`start + 1`: 1 September to 31 August."""
    return date(start, 9, 1), date(start + 1, 8, 31)


class Partnership(BaseModel):
    """One pair for one school year: the leader school helps the partner school."""

    period_start = IntegerField(index=True)  # 2026 for 2026/2027
    leader = ForeignKeyField(Organization, backref="+", on_delete="RESTRICT")
    partner = ForeignKeyField(Organization, backref="+", on_delete="RESTRICT")
    coordinator = ForeignKeyField(Organization, null=True, backref="+", on_delete="SET NULL")
    directions = TextField(default="[]")  # JSON list of INTERACTION_DIRECTIONS keys
    status = CharField(max_length=20, default="proposed", index=True)
    approval = ForeignKeyField(GeneratedDocument, null=True, backref="+",
                               on_delete="SET NULL")  # the order approving the list of pairs
    terms = TextField(default="{}")  # the agreement's per-pair fields (JSON)
    version = IntegerField(default=1)  # bumped by every change of terms or plan rows
    agreement = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
    plan = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        # A low-result school has one leader per school year.
        indexes = ((("period_start", "partner"), True), (("leader", "period_start"), False))

    @property
    def status_label(self):
        return PARTNERSHIP_STATUSES.get(self.status, self.status)

    @property
    def period_label(self):
        return school_year(self.period_start)

    @property
    def direction_keys(self):
        return json.loads(self.directions or "[]")

    @property
    def direction_labels(self):
        return [INTERACTION_DIRECTIONS.get(key, key) for key in self.direction_keys]

    @property
    def terms_values(self):
        return json.loads(self.terms or "{}")

    def side_of(self, user):
        """'leader', 'partner' or None: which side a school user speaks for."""
        if user.role != "school":
            return None
        if user.organization_id == self.leader_id:
            return "leader"
        if user.organization_id == self.partner_id:
            return "partner"
        return None

    @classmethod
    def visible_to(cls, user):
        """A school sees only the pairs it is party to and, as a curator, the pairs of the
        schools it curates now (read only: writes check `side_of`); staff see every pair."""
        query = cls.select()
        if user.role == "school":
            query = query.where((cls.leader == user.organization_id)
                                | (cls.partner == user.organization_id)
                                | cls.partner.in_(Curatorship.school_ids_for(user)))
        return query


class PartnershipConfirmation(BaseModel):
    """One side's «Согласовано»: the content it confirmed (for the diff when a later change
    clears it) and when it was cleared, by whom."""

    partnership = ForeignKeyField(Partnership, backref="confirmations", on_delete="CASCADE")
    side = CharField(max_length=10)  # leader, partner
    version = IntegerField()  # Partnership.version confirmed
    content = TextField(default="{}")  # what was confirmed: terms and plan rows
    confirmed_at = DateTimeField(null=True)  # None: cleared by a later change
    confirmed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    cleared_at = DateTimeField(null=True)
    cleared_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("partnership", "side"), True),)

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def snapshot(self):
        return json.loads(self.content or "{}")


class PlanRow(BaseModel):
    """A row of the interaction plan."""

    partnership = ForeignKeyField(Partnership, backref="plan_rows", on_delete="CASCADE")
    position = IntegerField()
    title = TextField(default="")  # мероприятие
    form = CharField(max_length=300, default="")  # форма проведения
    deadline_text = CharField(max_length=500, default="")  # as written: «октябрь 2026»
    starts_on = DateField(null=True)
    ends_on = DateField(null=True, index=True)
    leader_responsible = CharField(max_length=500, default="")
    partner_responsible = CharField(max_length=500, default="")
    expected_result = TextField(default="")
    status = CharField(max_length=20, default="planned")
    execution = TextField(default="")  # отметка о выполнении
    done_on = DateField(null=True)
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)

    @property
    def status_label(self):
        return PLAN_ROW_STATUSES.get(self.status, self.status)

    def is_overdue(self, today=None):
        return (self.ends_on is not None and self.ends_on < (today or date.today())
                and self.status != "done")


class PlanRowEvidence(Evidence):
    """Proof that a plan row was carried out (the shared evidence fields)."""

    row = ForeignKeyField(PlanRow, backref="evidence", on_delete="CASCADE")
