"""Councils with members; meetings with attendees, guests, agenda items and decisions."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument = existing(db, "organization", "user",
                                                     "generated_document")

    class Body(Base):
        organization = ForeignKeyField(Organization, on_delete="RESTRICT")
        name = CharField(max_length=300)
        name_genitive = CharField(max_length=300)
        created_at = DateTimeField()

    class BodyMember(Base):
        body = ForeignKeyField(Body, on_delete="CASCADE")
        full_name = CharField(max_length=200)
        job_title = CharField(max_length=300, default="")
        role = CharField(max_length=20, default="member")
        is_active = BooleanField(default=True)
        created_at = DateTimeField()

    class Meeting(Base):
        body = ForeignKeyField(Body, on_delete="RESTRICT")
        meeting_date = DateField()
        place = CharField(max_length=200, default="")
        chair = ForeignKeyField(BodyMember, null=True, on_delete="RESTRICT", backref="+")
        secretary = ForeignKeyField(BodyMember, null=True, on_delete="RESTRICT", backref="+")
        document = ForeignKeyField(GeneratedDocument, null=True, on_delete="SET NULL")
        version = IntegerField(default=1)
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        updated_at = DateTimeField()

    class MeetingAttendee(Base):
        meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
        member = ForeignKeyField(BodyMember, on_delete="RESTRICT")

        class Meta:
            indexes = ((("meeting", "member"), True),)

    class MeetingGuest(Base):
        meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
        position = IntegerField()
        full_name = CharField(max_length=200)
        job_title = CharField(max_length=300, default="")

    class AgendaItem(Base):
        meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
        position = IntegerField()
        title = CharField(max_length=1000)
        speaker = CharField(max_length=300, default="")
        heard = TextField(default="")
        spoke = TextField(default="")
        votes_for = IntegerField(null=True)
        votes_against = IntegerField(null=True)
        votes_abstained = IntegerField(null=True)

    class Decision(Base):
        item = ForeignKeyField(AgendaItem, on_delete="CASCADE")
        position = IntegerField()
        text = TextField()
        executor = CharField(max_length=300, default="")
        deadline = CharField(max_length=100, default="")

    db.create_tables([Body, BodyMember, Meeting, MeetingAttendee, MeetingGuest, AgendaItem,
                      Decision])
