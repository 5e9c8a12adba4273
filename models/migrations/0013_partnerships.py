"""Partnerships: pairs of schools per school year, both sides' confirmations, interaction
plan rows with their evidence; the register keeps a document's signed copy."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)
from playhouse.migrate import migrate

from ..base import now
from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument = existing(db, "organization", "user",
                                                     "generated_document")

    class Partnership(Base):
        period_start = IntegerField(index=True)
        leader = ForeignKeyField(Organization, backref="+", on_delete="RESTRICT")
        partner = ForeignKeyField(Organization, backref="+", on_delete="RESTRICT")
        coordinator = ForeignKeyField(Organization, null=True, backref="+", on_delete="SET NULL")
        directions = TextField(default="[]")
        status = CharField(max_length=20, default="proposed", index=True)
        approval = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
        terms = TextField(default="{}")
        version = IntegerField(default=1)
        agreement = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
        plan = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
        created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        created_at = DateTimeField(default=now)
        updated_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("period_start", "partner"), True), (("leader", "period_start"), False))

    class PartnershipConfirmation(Base):
        partnership = ForeignKeyField(Partnership, backref="+", on_delete="CASCADE")
        side = CharField(max_length=10)
        version = IntegerField()
        content = TextField(default="{}")
        confirmed_at = DateTimeField(null=True)
        confirmed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        cleared_at = DateTimeField(null=True)
        cleared_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")

        class Meta:
            indexes = ((("partnership", "side"), True),)

    class PlanRow(Base):
        partnership = ForeignKeyField(Partnership, backref="+", on_delete="CASCADE")
        position = IntegerField()
        title = TextField(default="")
        form = CharField(max_length=300, default="")
        deadline_text = CharField(max_length=500, default="")
        starts_on = DateField(null=True)
        ends_on = DateField(null=True, index=True)
        leader_responsible = CharField(max_length=500, default="")
        partner_responsible = CharField(max_length=500, default="")
        expected_result = TextField(default="")
        status = CharField(max_length=20, default="planned")
        execution = TextField(default="")
        done_on = DateField(null=True)
        version = IntegerField(default=1)
        updated_at = DateTimeField(default=now)

    class PlanRowEvidence(Base):
        kind = CharField(max_length=10)
        document = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="CASCADE")
        url = CharField(max_length=2000, default="")
        title = CharField(max_length=500, default="")
        file_sha256 = CharField(max_length=64, default="")
        file_size = IntegerField(default=0)
        added_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        added_at = DateTimeField(default=now)
        organization = ForeignKeyField(Organization, null=True, backref="+", on_delete="SET NULL")
        row = ForeignKeyField(PlanRow, backref="+", on_delete="CASCADE")

    db.create_tables([Partnership, PartnershipConfirmation, PlanRow, PlanRowEvidence])
    migrate(
        migrator.add_column("generated_document", "signed_sha256",
                            CharField(max_length=64, default="")),
        migrator.add_column("generated_document", "signed_size", IntegerField(default=0)),
        migrator.add_column("generated_document", "signed_on", DateField(null=True)),
        migrator.add_column("generated_document", "signed_public", BooleanField(default=False)),
    )
