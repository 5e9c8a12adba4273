"""Road maps: sections and activities with deadlines, responsible organisations, execution
information, evidence and the history of every change."""
from datetime import date

from peewee import (BooleanField, Case, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField, fn)

from .base import BaseModel, now
from .evidence import Evidence
from .organization import Organization
from .search import index_text
from .user import User

ACTIVITY_STATUSES = {
    "planned": "Запланировано",
    "in_progress": "В работе",
    "done": "Выполнено",
    "failed": "Не выполнено",
    "postponed": "Перенесено",
    "cancelled": "Отменено",
}
# Never overdue: finished, cancelled, or moved to a later date («Перенесено» is not a failure).
CLOSED = ("done", "cancelled", "postponed")
ROADMAP_STATUSES = {"active": "Действует", "closed": "Завершена"}


class Roadmap(BaseModel):
    title = CharField(max_length=1000)
    organization = ForeignKeyField(Organization, on_delete="RESTRICT")  # whose road map
    period_start = IntegerField()
    period_end = IntegerField()
    approved_by = CharField(max_length=500, default="")  # «приказом управления образования …»
    approved_number = CharField(max_length=50, default="")
    approved_on = DateField(null=True)
    status = CharField(max_length=20, default="active")
    revision = IntegerField(default=0)  # bumped by every change: the page's cache key
    source_filename = CharField(max_length=255, default="")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    @property
    def status_label(self):
        return ROADMAP_STATUSES.get(self.status, self.status)

    @classmethod
    def visible_to(cls, user):
        """Everyone signed in reads road maps: a school reads the whole plan it takes part in."""
        return cls.select()


class RoadmapSection(BaseModel):
    roadmap = ForeignKeyField(Roadmap, backref="sections", on_delete="CASCADE")
    position = IntegerField()
    number = CharField(max_length=20, default="")
    title = CharField(max_length=1000, default="")

    @property
    def heading(self):
        return f"{self.number}. {self.title}" if self.number else self.title


class RoadmapActivity(BaseModel):
    roadmap = ForeignKeyField(Roadmap, backref="activities", on_delete="CASCADE")
    section = ForeignKeyField(RoadmapSection, backref="activities", on_delete="CASCADE")
    position = IntegerField()
    number = CharField(max_length=20, default="")
    title = TextField()
    deadline_text = CharField(max_length=500, default="")
    starts_on = DateField(null=True)
    ends_on = DateField(null=True, index=True)
    recurrence = CharField(max_length=100, default="")
    deadline_read = BooleanField(default=True)
    responsible = TextField(default="")  # as written
    audience = TextField(default="")
    expected_result = TextField(default="")
    status = CharField(max_length=20, default="planned", index=True)
    execution = TextField(default="")
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)
    search_text = TextField(default="")  # models/search.py; kept by save() and search_update()
    SEARCHED = ("number", "title", "responsible", "expected_result", "execution")

    def save(self, *args, **kwargs):
        self.search_text = index_text(*(getattr(self, f) for f in self.SEARCHED))
        return super().save(*args, **kwargs)

    def search_update(self, changes):
        """{"search_text": …} to add to an UPDATE that changes searched fields, else {}."""
        if not any(f in changes for f in self.SEARCHED):
            return {}
        return {"search_text": index_text(*(changes.get(f, getattr(self, f))
                                            for f in self.SEARCHED))}

    @property
    def status_label(self):
        return ACTIVITY_STATUSES.get(self.status, self.status)

    def is_overdue(self, today=None):
        return (self.ends_on is not None and self.ends_on < (today or date.today())
                and self.status not in CLOSED)

    @classmethod
    def progress(cls, today):
        """Per road map: activities, done and overdue (as is_overdue() counts), in one query."""
        overdue = (cls.ends_on < today) & cls.status.not_in(CLOSED)
        return cls.select(cls.roadmap, fn.COUNT(cls.id).alias("total"),
                          fn.SUM(Case(None, [(cls.status == "done", 1)], 0)).alias("done"),
                          fn.SUM(Case(None, [(overdue, 1)], 0)).alias("overdue")
                          ).group_by(cls.roadmap)


class ActivityOrganization(BaseModel):
    """A directory organisation named among an activity's responsible."""

    activity = ForeignKeyField(RoadmapActivity, backref="organizations", on_delete="CASCADE")
    organization = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")

    class Meta:
        indexes = ((("activity", "organization"), True), (("organization",), False))


class ActivityEvidence(Evidence):
    """Proof of an activity's execution (the shared evidence fields: models/evidence.py)."""

    activity = ForeignKeyField(RoadmapActivity, backref="evidence", on_delete="CASCADE")


class ActivityChange(BaseModel):
    """One change of an activity: who, when, which field, from what to what."""

    activity = ForeignKeyField(RoadmapActivity, backref="changes", on_delete="CASCADE")
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    changed_at = DateTimeField(default=now)
    field = CharField(max_length=50)
    old = TextField(default="")
    new = TextField(default="")


def add_activities(roadmap, section_title, rows, user, organizations=()):
    """Append activities to the road map's section titled `section_title` (made at the end if
    there is none), with `organizations` among each one's responsible, a «created» history line
    each and the road map marked changed. `rows`: RoadmapActivity field values, deadlines
    already read (the deadline reader is blueprints/core/deadlines.py). Shared by the features
    that turn their rows into road-map activities (visits' recommendations); the caller holds
    the transaction."""
    section = RoadmapSection.get_or_none((RoadmapSection.roadmap == roadmap.id)
                                         & (RoadmapSection.title == section_title))
    if section is None:
        count = RoadmapSection.select().where(RoadmapSection.roadmap == roadmap.id).count()
        section = RoadmapSection.create(roadmap=roadmap.id, position=count,
                                        number=str(count + 1), title=section_title)
    position = RoadmapActivity.select().where(RoadmapActivity.section == section.id).count()
    activities = []
    for values in rows:
        position += 1
        activity = RoadmapActivity.create(roadmap=roadmap.id, section=section,
                                          position=position - 1,
                                          number=f"{section.number}.{position}"
                                          if section.number else "", **values)
        for organization in organizations:
            ActivityOrganization.create(activity=activity, organization=organization)
        ActivityChange.create(activity=activity, user=user, field="created", old="",
                              new=values.get("title", ""))
        activities.append(activity)
    Roadmap.update(revision=Roadmap.revision + 1, updated_at=now()).where(
        Roadmap.id == roadmap.id).execute()
    return activities
