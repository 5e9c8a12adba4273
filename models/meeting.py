"""Collegial bodies (councils) with their members, and their meetings behind a protocol."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from .base import BaseModel, now
from .document import GeneratedDocument
from .organization import Organization
from .user import User

# Order matters: members are listed chair first, then deputies, secretary, members.
MEMBER_ROLES = {
    "chair": "Председатель",
    "deputy": "Заместитель председателя",
    "secretary": "Секретарь",
    "member": "Член",
}


def _staff_only(query, model, user):
    """Staff read every council and meeting; schools keep no protocols here and see none."""
    return query if user.is_staff else query.where(model.id.is_null())


class Body(BaseModel):
    """A council or commission that meets and keeps protocols (координационный совет, …)."""

    organization = ForeignKeyField(Organization, backref="bodies", on_delete="RESTRICT")
    name = CharField(max_length=300)
    # «координационного совета …»: the protocol heading is «заседания <name_genitive>».
    name_genitive = CharField(max_length=300)
    created_at = DateTimeField(default=now)

    def __str__(self):
        return self.name

    @classmethod
    def visible_to(cls, user):
        return _staff_only(cls.select(cls, Organization).join(Organization), cls, user)

    def active_members(self):
        return BodyMember.ordered(self.members.where(BodyMember.is_active == True))  # noqa: E712


class BodyMember(BaseModel):
    body = ForeignKeyField(Body, backref="members", on_delete="CASCADE")
    full_name = CharField(max_length=200)
    job_title = CharField(max_length=300, default="")  # «директор МБОУ «СОШ № 1»»
    role = CharField(max_length=20, default="member")
    # A member who left stays on old meetings but is not offered for new ones.
    is_active = BooleanField(default=True)
    created_at = DateTimeField(default=now)

    def __str__(self):
        return self.full_name

    @property
    def role_label(self):
        return MEMBER_ROLES.get(self.role, self.role)

    @classmethod
    def ordered(cls, query):
        rank = {role: i for i, role in enumerate(MEMBER_ROLES)}
        return sorted(query, key=lambda m: (rank.get(m.role, len(rank)), m.full_name.lower(), m.id))

    @classmethod
    def visible_to(cls, user):
        return _staff_only(cls.select(cls, Body).join(Body), cls, user)

    def is_used(self):
        """Named in any meeting: then it can be marked as left, not deleted."""
        return (Meeting.select().where((Meeting.chair == self.id) | (Meeting.secretary == self.id))
                .exists() or MeetingAttendee.select().where(MeetingAttendee.member == self.id)
                .exists())


class Meeting(BaseModel):
    body = ForeignKeyField(Body, backref="meetings", on_delete="RESTRICT")
    meeting_date = DateField()
    place = CharField(max_length=200, default="")
    chair = ForeignKeyField(BodyMember, null=True, on_delete="RESTRICT", backref="+")
    secretary = ForeignKeyField(BodyMember, null=True, on_delete="RESTRICT", backref="+")
    # The registered protocol; its number is the meeting's number.
    document = ForeignKeyField(GeneratedDocument, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)  # optimistic lock, as for orders
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    @property
    def is_draft(self):
        return self.document_id is None

    @classmethod
    def visible_to(cls, user):
        return _staff_only(cls.select(cls, Body).join(Body), cls, user)


class MeetingAttendee(BaseModel):
    """A member present at the meeting."""

    meeting = ForeignKeyField(Meeting, backref="attendees", on_delete="CASCADE")
    member = ForeignKeyField(BodyMember, on_delete="RESTRICT")

    class Meta:
        indexes = ((("meeting", "member"), True),)


class MeetingGuest(BaseModel):
    """An invited person who is not a member (free text)."""

    meeting = ForeignKeyField(Meeting, backref="guests", on_delete="CASCADE")
    position = IntegerField()
    full_name = CharField(max_length=200)
    job_title = CharField(max_length=300, default="")


class AgendaItem(BaseModel):
    meeting = ForeignKeyField(Meeting, backref="items", on_delete="CASCADE")
    position = IntegerField()
    title = CharField(max_length=1000)
    speaker = CharField(max_length=300, default="")
    heard = TextField(default="")  # СЛУШАЛИ
    spoke = TextField(default="")  # ВЫСТУПИЛИ
    # All three empty: no vote recorded.
    votes_for = IntegerField(null=True)
    votes_against = IntegerField(null=True)
    votes_abstained = IntegerField(null=True)


class Decision(BaseModel):
    """One numbered clause of ПОСТАНОВИЛИ."""

    item = ForeignKeyField(AgendaItem, backref="decisions", on_delete="CASCADE")
    position = IntegerField()
    text = TextField()
    executor = CharField(max_length=300, default="")
    deadline = CharField(max_length=100, default="")
