"""Monitoring campaigns: the centre asks the schools for a set of indicators over a period;
each school answers in a report (values, comments, attachments) that the centre reviews."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, DecimalField,
                    ForeignKeyField, IntegerField, TextField)

from .base import BaseModel, now
from .document import GeneratedDocument
from .evidence import Evidence
from .indicator import Indicator
from .organization import Organization
from .remark import Remark
from .user import User
from .curatorship import Curatorship

CAMPAIGN_STATUSES = {
    "draft": "Готовится",  # the centre sets it up; schools do not see it yet
    "open": "Идёт сбор",  # launched: schools fill their reports
    "closed": "Сбор завершён",  # no more submissions; the note is written
}
# Which schools a campaign asks (the list is stored as reports; the scope is how it was made).
CAMPAIGN_SCOPES = {
    "low_result": "все школы с низкими результатами",
    "all": "все школы",
    "partners": "школы, участвующие в партнёрствах",
    "chosen": "выбранные школы",
}
REPORT_STATUSES = {
    "not_started": "Не начат",
    "draft": "Черновик",
    "submitted": "Отправлен",
    "returned": "Возвращён",
    "accepted": "Принят",
}
REPORT_EDITABLE = ("not_started", "draft", "returned")


class MonitoringCampaign(BaseModel):
    title = CharField(max_length=500)
    period_label = CharField(max_length=100)  # «I полугодие 2026/2027»
    period_start = DateField()
    period_end = DateField()
    deadline = DateField()
    scope = CharField(max_length=20, default="low_result")
    status = CharField(max_length=10, default="draft", index=True)
    # The same campaign of the period before: its values are shown beside this one's.
    previous = ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    methodist = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    order = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
    note = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
    note_texts = TextField(default="{}")  # JSON: the methodist's conclusions, recommendations…
    is_published = BooleanField(default=False)  # the consolidated data as open data
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    @property
    def status_label(self):
        return CAMPAIGN_STATUSES.get(self.status, self.status)

    @property
    def scope_label(self):
        return CAMPAIGN_SCOPES.get(self.scope, self.scope)

    @classmethod
    def visible_to(cls, user):
        """Staff see every campaign; a school only launched ones it reports in."""
        query = cls.select()
        if user.role == "school":
            query = query.where((cls.status != "draft") & cls.id.in_(
                MonitoringReport.select(MonitoringReport.campaign).where(
                    MonitoringReport.school == user.organization_id)))
        return query


class CampaignIndicator(BaseModel):
    """An indicator of a campaign's form, in its section and order."""

    campaign = ForeignKeyField(MonitoringCampaign, backref="indicators", on_delete="CASCADE")
    indicator = ForeignKeyField(Indicator, backref="+", on_delete="RESTRICT")
    section = CharField(max_length=300, default="")
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("campaign", "indicator"), True),)


class MonitoringReport(BaseModel):
    """One school's answer to a campaign."""

    campaign = ForeignKeyField(MonitoringCampaign, backref="reports", on_delete="CASCADE")
    school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
    status = CharField(max_length=12, default="not_started", index=True)
    version = IntegerField(default=0)  # bumped by every save: conflicts, like programmes
    editor_token = CharField(max_length=32, default="")
    revision = IntegerField(default=0)  # submissions so far; remarks belong to one
    filled_by_centre = BooleanField(default=False)
    updated_at = DateTimeField(null=True)
    updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    submitted_at = DateTimeField(null=True)
    accepted_at = DateTimeField(null=True)
    reminded_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("campaign", "school"), True),)

    @property
    def status_label(self):
        return REPORT_STATUSES.get(self.status, self.status)

    @property
    def is_editable(self):
        return self.status in REPORT_EDITABLE

    @classmethod
    def visible_to(cls, user):
        """A school sees its own reports of launched campaigns and, as a curator, those of the
        schools it curates now (read only: `fillable_by`); staff see every report."""
        query = cls.select().join(MonitoringCampaign)
        if user.role == "school":
            query = query.where(((cls.school == user.organization_id)
                                 | cls.school.in_(Curatorship.school_ids_for(user)))
                                & (MonitoringCampaign.status != "draft"))
        return query

    def fillable_by(self, user):
        """Who may write the report (values, files, answers to remarks): the school itself or
        the centre; a curator reading it (visible_to) never."""
        return user.role in ("centre", "admin") or (
            user.role == "school" and self.school_id == user.organization_id)


class ReportValue(BaseModel):
    """A value as typed (`text`), its number for tables and charts, and the school's comment."""

    report = ForeignKeyField(MonitoringReport, backref="values", on_delete="CASCADE")
    indicator = ForeignKeyField(Indicator, backref="+", on_delete="RESTRICT")
    text = CharField(max_length=2000, default="")
    number = DecimalField(max_digits=21, decimal_places=6, null=True, auto_round=True)
    comment = TextField(default="")

    class Meta:
        indexes = ((("report", "indicator"), True),)


class ReportRemark(Remark):
    """The centre's remark on a report's value (field = the indicator code) or on all of it."""

    report = ForeignKeyField(MonitoringReport, backref="remarks", on_delete="CASCADE")


class ReportEvidence(Evidence):
    """A file, link or registered document attached to a report (the shared evidence fields)."""

    report = ForeignKeyField(MonitoringReport, backref="evidence", on_delete="CASCADE")
