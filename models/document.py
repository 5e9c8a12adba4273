"""The document register: generated documents, their numbering series and template versions."""
import json

from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from .base import BaseModel, now
from .organization import Organization
from .search import index_text
from .user import User

STATUSES = {
    "draft": "Проект",
    "registered": "Зарегистрирован",
    "published": "Опубликован",
    "withdrawn": "Отозван",
    "superseded": "Заменён новой версией",
}
PUBLIC_STATUSES = ("published", "withdrawn")  # shown on the public site


class TemplateVersion(BaseModel):
    """An uploaded .docx for a doctype; with none active the built-in file is used."""

    doctype = CharField(max_length=50, index=True)
    version = IntegerField()
    sha256 = CharField(max_length=64)
    size = IntegerField()
    filename = CharField(max_length=255, default="")
    note = CharField(max_length=500, default="")
    uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    uploaded_at = DateTimeField(default=now)
    is_active = BooleanField(default=False)

    class Meta:
        indexes = ((("doctype", "version"), True),)

    @classmethod
    def active(cls, doctype):
        return cls.get_or_none((cls.doctype == doctype) & (cls.is_active == True))  # noqa: E712


class NumberSeries(BaseModel):
    """The last number used per series and calendar year, and how numbers are written."""

    series = CharField(max_length=50)
    year = IntegerField()
    last_number = IntegerField(default=0)
    pattern = CharField(max_length=50, default="{n}")

    class Meta:
        indexes = ((("series", "year"), True),)


class GeneratedDocument(BaseModel):
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
    previous = ForeignKeyField("self", null=True, backref="corrections", on_delete="RESTRICT")
    slug = CharField(max_length=200, null=True, unique=True)
    published_at = DateTimeField(null=True)
    withdrawn_at = DateTimeField(null=True)
    withdrawal_reason = TextField(default="")
    pdf_sha256 = CharField(max_length=64, default="")
    pdf_status = CharField(max_length=20, default="")
    # The signed copy (a scan both sides signed), kept beside the generated file.
    signed_sha256 = CharField(max_length=64, default="")
    signed_size = IntegerField(default=0)
    signed_on = DateField(null=True)
    signed_public = BooleanField(default=False)  # the centre published the signed copy
    created_at = DateTimeField(default=now)
    search_text = TextField(default="")  # models/search.py; kept by save()
    # {doctype key: title}, set when the doctypes are installed: «приказ 2» finds order № 2.
    kind_titles = {}

    def save(self, *args, **kwargs):
        self.search_text = index_text(self.kind_titles.get(self.doctype, ""), self.title,
                                      self.number)
        return super().save(*args, **kwargs)

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def context(self):
        return json.loads(self.context_json)

    @classmethod
    def public(cls):
        """What anonymous visitors may see: published documents and withdrawn ones (with the reason)."""
        return cls.select().where(cls.status.in_(PUBLIC_STATUSES))

    @classmethod
    def from_source(cls, source_type, source_id, doctype=None):
        """The documents registered from one record (`source` of documents.api.register),
        newest first."""
        query = cls.select().where((cls.source_type == source_type) & (cls.source_id == source_id))
        if doctype is not None:
            query = query.where(cls.doctype == doctype)
        return query.order_by(cls.id.desc())

    @classmethod
    def visible_to(cls, user):
        """The register: a school reads its own organisation's documents, staff every one.
        Pickers and anything accepting a document id use this same query."""
        query = cls.select()
        if user.role == "school":
            query = query.where(cls.organization == user.organization_id)
        return query

    @classmethod
    def citable_to(cls, user):
        """Documents whose title and number may be shown to `user` where another record cites
        them (a road map's evidence): the register's own rule, plus whatever is public."""
        return cls.select().where(cls.id.in_(cls.visible_to(user).select(cls.id))
                                  | cls.status.in_(PUBLIC_STATUSES))
