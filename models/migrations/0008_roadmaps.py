"""Road maps with sections, activities, responsible organisations, evidence and history."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument = existing(db, "organization", "user",
                                                     "generated_document")

    class Roadmap(Base):
        title = CharField(max_length=1000)
        organization = ForeignKeyField(Organization, on_delete="RESTRICT")
        period_start = IntegerField()
        period_end = IntegerField()
        approved_by = CharField(max_length=500, default="")
        approved_number = CharField(max_length=50, default="")
        approved_on = DateField(null=True)
        status = CharField(max_length=20, default="active")
        revision = IntegerField(default=0)
        source_filename = CharField(max_length=255, default="")
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        updated_at = DateTimeField()

    class RoadmapSection(Base):
        roadmap = ForeignKeyField(Roadmap, on_delete="CASCADE")
        position = IntegerField()
        number = CharField(max_length=20, default="")
        title = CharField(max_length=1000, default="")

    class RoadmapActivity(Base):
        roadmap = ForeignKeyField(Roadmap, on_delete="CASCADE")
        section = ForeignKeyField(RoadmapSection, on_delete="CASCADE")
        position = IntegerField()
        number = CharField(max_length=20, default="")
        title = TextField()
        deadline_text = CharField(max_length=500, default="")
        starts_on = DateField(null=True)
        ends_on = DateField(null=True, index=True)
        recurrence = CharField(max_length=100, default="")
        deadline_read = BooleanField(default=True)
        responsible = TextField(default="")
        audience = TextField(default="")
        expected_result = TextField(default="")
        status = CharField(max_length=20, default="planned", index=True)
        execution = TextField(default="")
        version = IntegerField(default=1)
        updated_at = DateTimeField()

    class ActivityOrganization(Base):
        activity = ForeignKeyField(RoadmapActivity, on_delete="CASCADE")
        organization = ForeignKeyField(Organization, on_delete="CASCADE")

        class Meta:
            indexes = ((("activity", "organization"), True), (("organization",), False))

    class ActivityEvidence(Base):
        activity = ForeignKeyField(RoadmapActivity, on_delete="CASCADE")
        kind = CharField(max_length=10)
        document = ForeignKeyField(GeneratedDocument, null=True, on_delete="CASCADE")
        url = CharField(max_length=2000, default="")
        title = CharField(max_length=500, default="")
        file_sha256 = CharField(max_length=64, default="")
        file_size = IntegerField(default=0)
        added_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        added_at = DateTimeField()

    class ActivityChange(Base):
        activity = ForeignKeyField(RoadmapActivity, on_delete="CASCADE")
        user = ForeignKeyField(User, null=True, on_delete="SET NULL")
        changed_at = DateTimeField()
        field = CharField(max_length=50)
        old = TextField(default="")
        new = TextField(default="")

    db.create_tables([Roadmap, RoadmapSection, RoadmapActivity, ActivityOrganization,
                      ActivityEvidence, ActivityChange])
