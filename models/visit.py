"""Curators and visits: the centre assigns a curator (a centre methodist or a staff member of a
leader school) to a listed school for a period (models/curatorship.py); the curator plans
visits and writes them up: what was seen, findings per risk factor, recommendations with
deadlines."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel, now
from .document import GeneratedDocument
from .organization import Organization
from .programme import RiskFactor
from .roadmap import RoadmapActivity
from .user import User

VISIT_STATUSES = {
    "planned": "Запланирован",
    "written": "Справка составлена",
    "registered": "Справка зарегистрирована",
    "published": "Справка опубликована",
}
VISIT_EDITABLE = ("planned", "written")
# A registered report may still be corrected (a new version under its number) until published.
VISIT_CORRECTABLE = ("registered",)
class Visit(BaseModel):
    school = ForeignKeyField(Organization, backref="+", on_delete="RESTRICT")
    curator = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    visit_date = DateField()
    purpose = TextField()
    participants = TextField(default="")
    lessons = TextField(default="")  # посещённые уроки, занятия
    papers_checked = TextField(default="")
    interviews = TextField(default="")  # беседы, собеседования
    conclusion = TextField(default="")  # выводы
    status = CharField(max_length=20, default="planned", index=True)
    version = IntegerField(default=1)  # bumped by every save of the write-up
    document = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("curator", "visit_date"), False), (("school", "visit_date"), False))

    @property
    def status_label(self):
        return VISIT_STATUSES.get(self.status, self.status)

    @property
    def is_editable(self):
        return self.status in VISIT_EDITABLE

    @property
    def is_correctable(self):
        return self.status in VISIT_CORRECTABLE

    @classmethod
    def visible_to(cls, user):
        """Staff read every visit; a curator (a school user too) only their own."""
        query = cls.select(cls, Organization).join(Organization, on=(cls.school == Organization.id))
        if not user.is_staff:
            query = query.where(cls.curator == user.id)
        return query


class VisitFinding(BaseModel):
    """What the visit found about one risk factor."""

    visit = ForeignKeyField(Visit, backref="findings", on_delete="CASCADE")
    risk_factor = ForeignKeyField(RiskFactor, backref="+", on_delete="RESTRICT")
    text = TextField()

    class Meta:
        indexes = ((("visit", "risk_factor"), True),)


class VisitRecommendation(BaseModel):
    visit = ForeignKeyField(Visit, backref="recommendations", on_delete="CASCADE")
    position = IntegerField()
    text = TextField()
    deadline_text = CharField(max_length=500)
    starts_on = DateField(null=True)
    ends_on = DateField(null=True)
    responsible = CharField(max_length=500)
    # The road-map activity it became («Добавить рекомендации в дорожную карту»).
    activity = ForeignKeyField(RoadmapActivity, null=True, backref="+", on_delete="SET NULL")
