"""Curatorships: a curator (a centre methodist or a staff member of a leader school) assigned
to a listed school for a period. A leaf of the models: programme, partnership, monitoring and
risk models read `Curatorship.school_ids_for` in their `visible_to`, and visit.py (which
imports programme.py for the risk factors) builds on it."""
from datetime import date

from peewee import DateField, DateTimeField, ForeignKeyField

from .base import BaseModel, now
from .organization import Organization
from .user import User

CURATOR_ROLES = ("centre", "school")  # a school user only of a leader school (may_curate)


def may_curate(user):
    """A centre methodist or a staff member of a leader school, with an active account."""
    if user is None or not user.is_active:
        return False
    if user.role == "centre":
        return True
    return (user.role == "school" and user.organization_id is not None
            and user.organization.is_leader)


class Curatorship(BaseModel):
    curator = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
    date_from = DateField()
    date_to = DateField()
    assigned_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("curator", "date_to"), False), (("school", "date_to"), False))

    def is_current(self, today=None):
        today = today or date.today()
        return self.date_from <= today <= self.date_to

    @classmethod
    def current(cls, today=None):
        today = today or date.today()
        return cls.select().where((cls.date_from <= today) & (cls.date_to >= today))

    @classmethod
    def school_ids_for(cls, user, today=None):
        """A subquery of the schools `user` curates today: the one rule every model's
        `visible_to` adds for reading («or the school is curated by this user now»)."""
        today = today or date.today()
        return cls.select(cls.school).where(
            (cls.curator == user.id) & (cls.date_from <= today) & (cls.date_to >= today))

    @classmethod
    def curates(cls, user, school_id, today=None):
        return cls.school_ids_for(user, today).where(cls.school == school_id).exists()
