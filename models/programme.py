"""School programmes for improving education quality, their reference data and review."""
import json

from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from .base import BaseModel, now
from .curatorship import Curatorship
from .document import GeneratedDocument
from .indicator import DIRECTIONS, Indicator  # noqa: F401 (the catalogue lived here)
from .organization import Organization
from .partnership import Partnership
from .remark import Remark
from .user import User

PROGRAMME_STATUSES = {
    "draft": "Черновик",
    "submitted": "На рассмотрении",
    "returned": "На доработке",
    "agreed": "Согласована",
    "approved": "Утверждена",
    "published": "Опубликована",
}
# A pair in force: approved by the department's order, then registered and signed.
PAIR_IN_FORCE = ("approved", "registered", "signed")


def partners_led_by(organization_id):
    """A subquery of the partner schools the organisation leads in a pair in force."""
    return Partnership.select(Partnership.partner).where(
        (Partnership.leader == organization_id) & Partnership.status.in_(PAIR_IN_FORCE))


class RiskFactor(BaseModel):
    """A risk factor of a school's risk profile (the 2021 list and later editions)."""

    code = IntegerField(unique=True)
    name = CharField(max_length=500)
    valid_from = IntegerField(null=True)  # first year it applies; None — always
    valid_to = IntegerField(null=True)  # last year it applies; None — still in force

    @classmethod
    def in_force(cls, year):
        return cls.select().where(
            (cls.valid_from.is_null() | (cls.valid_from <= year))
            & (cls.valid_to.is_null() | (cls.valid_to >= year))).order_by(cls.code)


class Programme(BaseModel):
    school = ForeignKeyField(Organization, backref="programmes", on_delete="RESTRICT")
    title = CharField(max_length=500, default="")
    period_start = IntegerField()
    period_end = IntegerField()
    status = CharField(max_length=20, default="draft", index=True)
    revision = IntegerField(default=0)  # submissions so far
    status_changed_at = DateTimeField(default=now)
    approval = ForeignKeyField(GeneratedDocument, null=True, on_delete="SET NULL",
                               backref="approved_programmes")  # the department's order
    document = ForeignKeyField(GeneratedDocument, null=True, on_delete="SET NULL")  # registered
    agreed_on = DateField(null=True)
    agreed_by = CharField(max_length=500, default="")  # the centre, for the title page stamp
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    @property
    def status_label(self):
        return PROGRAMME_STATUSES.get(self.status, self.status)

    @property
    def years(self):
        return list(range(self.period_start, self.period_end + 1))

    @property
    def is_editable(self):
        """The school edits a draft or a returned programme, nothing after submission."""
        return self.status in ("draft", "returned")

    @classmethod
    def visible_to(cls, user):
        """What the user may read: staff every school's programmes; a school its own and, as
        the leader of a pair in force, its partner schools'; a curator the schools curated now
        (read only: `editable_by`)."""
        query = cls.select(cls, Organization).join(Organization)
        if user.role == "school":
            query = query.where((cls.school == user.organization_id)
                                | cls.school.in_(partners_led_by(user.organization_id))
                                | cls.school.in_(Curatorship.school_ids_for(user)))
        return query

    @classmethod
    def editable_by(cls, user):
        """What the user may change (sections, submission, answers, review): a school only its
        own programmes, never a partner's it reads; staff any (the routes gate by role)."""
        query = cls.select(cls, Organization).join(Organization)
        if user.role == "school":
            query = query.where(cls.school == user.organization_id)
        return query


class ProgrammeSection(BaseModel):
    """One section's entered values as the form's flat field names → text, with its own version,
    so two people editing different sections never collide."""

    programme = ForeignKeyField(Programme, backref="sections", on_delete="CASCADE")
    key = CharField(max_length=20)
    data = TextField(default="{}")
    version = IntegerField(default=0)
    editor_token = CharField(max_length=32, default="")  # the form (tab) that saved last
    updated_at = DateTimeField(default=now)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("programme", "key"), True),)

    @property
    def values(self):
        return json.loads(self.data or "{}")


class ProgrammeRevision(BaseModel):
    """The whole programme frozen at a submission, for the field-by-field comparison."""

    programme = ForeignKeyField(Programme, backref="revisions", on_delete="CASCADE")
    number = IntegerField()
    content = TextField()  # {section key: {field name: value}}
    submitted_at = DateTimeField(default=now)
    submitted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("programme", "number"), True),)

    @property
    def sections(self):
        return json.loads(self.content)


class ProgrammeComment(Remark):
    """The centre's remark on a section or on one field; the school marks it answered."""

    programme = ForeignKeyField(Programme, backref="comments", on_delete="CASCADE")
    section = CharField(max_length=20)
