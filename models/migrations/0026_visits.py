"""Curators of listed schools and their visits: findings per risk factor, recommendations with
deadlines (which may become road-map activities)."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from ..base import now
from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument, RiskFactor, RoadmapActivity = existing(
        db, "organization", "user", "generated_document", "risk_factor", "roadmap_activity")

    class Curatorship(Base):
        curator = ForeignKeyField(User, backref="+", on_delete="CASCADE")
        school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
        date_from = DateField()
        date_to = DateField()
        assigned_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        created_at = DateTimeField(default=now)

        class Meta:
            table_name = "curatorship"
            indexes = ((("curator", "date_to"), False), (("school", "date_to"), False))

    class Visit(Base):
        school = ForeignKeyField(Organization, backref="+", on_delete="RESTRICT")
        curator = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
        visit_date = DateField()
        purpose = TextField()
        participants = TextField(default="")
        lessons = TextField(default="")
        papers_checked = TextField(default="")
        interviews = TextField(default="")
        conclusion = TextField(default="")
        status = CharField(max_length=20, default="planned", index=True)
        version = IntegerField(default=1)
        document = ForeignKeyField(GeneratedDocument, null=True, backref="+",
                                   on_delete="SET NULL")
        created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        created_at = DateTimeField(default=now)
        updated_at = DateTimeField(default=now)

        class Meta:
            table_name = "visit"
            indexes = ((("curator", "visit_date"), False), (("school", "visit_date"), False))

    class VisitFinding(Base):
        visit = ForeignKeyField(Visit, backref="+", on_delete="CASCADE")
        risk_factor = ForeignKeyField(RiskFactor, backref="+", on_delete="RESTRICT")
        text = TextField()

        class Meta:
            table_name = "visit_finding"
            indexes = ((("visit", "risk_factor"), True),)

    class VisitRecommendation(Base):
        visit = ForeignKeyField(Visit, backref="+", on_delete="CASCADE")
        position = IntegerField()
        text = TextField()
        deadline_text = CharField(max_length=500)
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)
        responsible = CharField(max_length=500)
        activity = ForeignKeyField(RoadmapActivity, null=True, backref="+",
                                   on_delete="SET NULL")

        class Meta:
            table_name = "visit_recommendation"

    db.create_tables([Curatorship, Visit, VisitFinding, VisitRecommendation])
