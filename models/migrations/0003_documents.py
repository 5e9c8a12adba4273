"""The document register: template versions, numbering series, generated documents."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    User, Organization = existing(db, "user", "organization")

    class TemplateVersion(Base):
        doctype = CharField(max_length=50, index=True)
        version = IntegerField()
        sha256 = CharField(max_length=64)
        size = IntegerField()
        filename = CharField(max_length=255, default="")
        note = CharField(max_length=500, default="")
        uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        uploaded_at = DateTimeField()
        is_active = BooleanField(default=False)

        class Meta:
            indexes = ((("doctype", "version"), True),)

    class NumberSeries(Base):
        series = CharField(max_length=50)
        year = IntegerField()
        last_number = IntegerField(default=0)
        pattern = CharField(max_length=50, default="{n}")

        class Meta:
            indexes = ((("series", "year"), True),)

    class GeneratedDocument(Base):
        doctype = CharField(max_length=50, index=True)
        title = CharField(max_length=500)
        status = CharField(max_length=20, default="draft", index=True)
        number = CharField(max_length=50, null=True)
        serial = IntegerField(null=True)
        year = IntegerField(null=True, index=True)
        registered_on = DateField(null=True)
        author = ForeignKeyField(User, null=True, on_delete="SET NULL")
        organization = ForeignKeyField(Organization, null=True, on_delete="RESTRICT")
        source_type = CharField(max_length=50, default="")
        source_id = IntegerField(null=True)
        template_version = ForeignKeyField(TemplateVersion, null=True, on_delete="RESTRICT")
        template_sha256 = CharField(max_length=64, default="")
        context_json = TextField(default="{}")
        sha256 = CharField(max_length=64)
        size = IntegerField(default=0)
        version = IntegerField(default=1)
        previous = ForeignKeyField("self", null=True, on_delete="RESTRICT")
        slug = CharField(max_length=200, null=True, unique=True)
        published_at = DateTimeField(null=True)
        withdrawn_at = DateTimeField(null=True)
        withdrawal_reason = TextField(default="")
        pdf_sha256 = CharField(max_length=64, default="")
        pdf_status = CharField(max_length=20, default="")
        created_at = DateTimeField()

    db.create_tables([TemplateVersion, NumberSeries, GeneratedDocument])
