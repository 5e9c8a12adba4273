"""Organisations: the methodological centre, the education department, schools."""
from peewee import BooleanField, CharField, DateTimeField

from .base import BaseModel, now
from .search import index_text, matches

KINDS = {
    "centre": "Методический центр",
    "department": "Управление образования",
    "school": "Школа",
}


class Organization(BaseModel):
    kind = CharField(max_length=20, index=True)
    full_name = CharField(max_length=500)
    short_name = CharField(max_length=200)
    municipality = CharField(max_length=200, index=True)
    address = CharField(max_length=500, default="")
    inn = CharField(max_length=12, default="")
    kpp = CharField(max_length=9, default="")
    phone = CharField(max_length=50, default="")
    email = CharField(max_length=254, default="")
    head_position = CharField(max_length=200, default="")
    head_name = CharField(max_length=200, default="")
    is_leader = BooleanField(default=False)
    is_low_result = BooleanField(default=False)
    # Lower-cased in Python: SQLite's LOWER() and LIKE fold only ASCII, not Cyrillic.
    search_text = CharField(max_length=1500, default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("kind", "short_name", "id"), False),)  # the directory's order

    def save(self, *args, **kwargs):
        self.search_text = index_text(self.short_name, self.full_name, self.inn, self.head_name,
                                      limit=1500)
        self.updated_at = now()
        return super().save(*args, **kwargs)

    def __str__(self):
        return self.short_name

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @classmethod
    def centre(cls):
        """The methodological centre of the directory (the first, if ever several), or None."""
        return cls.select().where(cls.kind == "centre").order_by(cls.id).first()

    @classmethod
    def visible_to(cls, user):
        """Organisations a user may see: a school only its own card, staff all."""
        query = cls.select()
        if user.role == "school":
            query = query.where(cls.id == user.organization_id)
        return query

    @classmethod
    def search(cls, query, text="", municipality="", kind="", leader=""):
        condition = matches(cls, text)
        if condition is not None:
            query = query.where(condition)
        if municipality:
            query = query.where(cls.municipality == municipality)
        if kind:
            query = query.where(cls.kind == kind)
        # Only what the list shows: the long search text and timestamps are not loaded.
        query = query.select(cls.id, cls.kind, cls.short_name, cls.municipality, cls.head_name,
                             cls.inn, cls.is_leader, cls.is_low_result)
        if leader == "leader":
            query = query.where(cls.is_leader == True)  # noqa: E712 (peewee expression)
        elif leader == "low":
            query = query.where(cls.is_low_result == True)  # noqa: E712
        return query.order_by(cls.kind, cls.short_name, cls.id)

    @classmethod
    def municipalities(cls):
        rows = cls.select(cls.municipality).distinct().order_by(cls.municipality)
        return [r.municipality for r in rows if r.municipality]
