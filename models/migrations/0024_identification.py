"""Identification of low-result schools: methodologies (versioned criteria), the school context
data of the ШФНСУ criterion, and the lists (runs) with their rows."""
from peewee import (BooleanField, CharField, DateTimeField, DecimalField, ForeignKeyField,
                    IntegerField, TextField)

from ..base import now
from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument = existing(db, "organization", "user",
                                                     "generated_document")

    class Methodology(Base):
        family = IntegerField(null=True, index=True)
        version = IntegerField(default=1)
        name = CharField(max_length=300)
        description = TextField(default="")
        criteria_json = TextField(default="[]")
        min_met = IntegerField(default=1)
        near_margin = DecimalField(max_digits=5, decimal_places=1, default=5)
        is_frozen = BooleanField(default=False)
        is_current = BooleanField(default=True)
        is_published = BooleanField(default=False)
        created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        created_at = DateTimeField(default=now)

        class Meta:
            table_name = "methodology"

    class SchoolContext(Base):
        school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
        year = IntegerField()
        is_rural = BooleanField(default=False)
        students = IntegerField(default=0)
        low_income = DecimalField(max_digits=5, decimal_places=1, default=0)
        single_parent = DecimalField(max_digits=5, decimal_places=1, default=0)
        preventive = DecimalField(max_digits=5, decimal_places=1, default=0)
        special_needs = DecimalField(max_digits=5, decimal_places=1, default=0)
        non_native = DecimalField(max_digits=5, decimal_places=1, default=0)
        updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        updated_at = DateTimeField(default=now)

        class Meta:
            table_name = "school_context"
            indexes = ((("school", "year"), True),)

    class IdentificationRun(Base):
        methodology = ForeignKeyField(Methodology, backref="+", on_delete="RESTRICT")
        year = IntegerField(index=True)
        status = CharField(max_length=20, default="draft")
        listed_count = IntegerField(default=0)
        entered_count = IntegerField(default=0)
        left_count = IntegerField(default=0)
        near_count = IntegerField(default=0)
        version = IntegerField(default=1)
        document = ForeignKeyField(GeneratedDocument, null=True, backref="+",
                                   on_delete="SET NULL")
        created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        created_at = DateTimeField(default=now)

        class Meta:
            table_name = "identification_run"

    class IdentificationRow(Base):
        run = ForeignKeyField(IdentificationRun, backref="+", on_delete="CASCADE")
        school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
        school_name = CharField(max_length=200)
        computed = BooleanField()
        listed = BooleanField()
        met_count = IntegerField(default=0)
        near = BooleanField(default=False)
        change = CharField(max_length=10, default="")
        details_json = TextField(default="[]")
        manual = CharField(max_length=10, default="")
        reason = CharField(max_length=1000, default="")
        manual_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        manual_at = DateTimeField(null=True)

        class Meta:
            table_name = "identification_row"
            indexes = ((("run", "school"), True), (("run", "listed", "school_name"), False))

    db.create_tables([Methodology, SchoolContext, IdentificationRun, IdentificationRow])
