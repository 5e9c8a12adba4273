"""Monitoring campaigns: the indicators of the form, one report per school with its values,
the centre's remarks and attachments."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, DecimalField,
                    ForeignKeyField, IntegerField, TextField)

from ..base import now
from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument, Indicator = existing(
        db, "organization", "user", "generated_document", "indicator")

    class MonitoringCampaign(Base):
        title = CharField(max_length=500)
        period_label = CharField(max_length=100)
        period_start = DateField()
        period_end = DateField()
        deadline = DateField()
        scope = CharField(max_length=20, default="low_result")
        status = CharField(max_length=10, default="draft", index=True)
        previous = ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
        methodist = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        order = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
        note = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
        note_texts = TextField(default="{}")
        is_published = BooleanField(default=False)
        created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        created_at = DateTimeField(default=now)
        updated_at = DateTimeField(default=now)

    class CampaignIndicator(Base):
        campaign = ForeignKeyField(MonitoringCampaign, backref="+", on_delete="CASCADE")
        indicator = ForeignKeyField(Indicator, backref="+", on_delete="RESTRICT")
        section = CharField(max_length=300, default="")
        position = IntegerField(default=0)

        class Meta:
            indexes = ((("campaign", "indicator"), True),)

    class MonitoringReport(Base):
        campaign = ForeignKeyField(MonitoringCampaign, backref="+", on_delete="CASCADE")
        school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
        status = CharField(max_length=12, default="not_started", index=True)
        version = IntegerField(default=0)
        editor_token = CharField(max_length=32, default="")
        revision = IntegerField(default=0)
        filled_by_centre = BooleanField(default=False)
        updated_at = DateTimeField(null=True)
        updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        submitted_at = DateTimeField(null=True)
        accepted_at = DateTimeField(null=True)
        reminded_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("campaign", "school"), True),)

    class ReportValue(Base):
        report = ForeignKeyField(MonitoringReport, backref="+", on_delete="CASCADE")
        indicator = ForeignKeyField(Indicator, backref="+", on_delete="RESTRICT")
        text = CharField(max_length=2000, default="")
        number = DecimalField(max_digits=21, decimal_places=6, null=True, auto_round=True)
        comment = TextField(default="")

        class Meta:
            indexes = ((("report", "indicator"), True),)

    class ReportRemark(Base):
        field = CharField(max_length=100, default="")
        field_label = CharField(max_length=300, default="")
        text = TextField()
        revision = IntegerField()
        author = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        created_at = DateTimeField(default=now)
        is_answered = BooleanField(default=False)
        answer = TextField(default="")
        answered_at = DateTimeField(null=True)
        answered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        report = ForeignKeyField(MonitoringReport, backref="+", on_delete="CASCADE")

    class ReportEvidence(Base):
        kind = CharField(max_length=10)
        document = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="CASCADE")
        url = CharField(max_length=2000, default="")
        title = CharField(max_length=500, default="")
        file_sha256 = CharField(max_length=64, default="")
        file_size = IntegerField(default=0)
        added_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        added_at = DateTimeField(default=now)
        organization = ForeignKeyField(Organization, null=True, backref="+", on_delete="SET NULL")
        report = ForeignKeyField(MonitoringReport, backref="+", on_delete="CASCADE")

    db.create_tables([MonitoringCampaign, CampaignIndicator, MonitoringReport, ReportValue,
                      ReportRemark, ReportEvidence])
