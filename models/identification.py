"""A school's low-result status by school year, with history. Each change is a new row; the
latest row of a (school, year) is in force. `Organization.is_low_result` mirrors the current
school year for the directory's filter and badge (set only through `set_status`)."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, fn

from .base import BaseModel, counts, now
from .document import GeneratedDocument
from .organization import Organization
from .partnership import current_school_year
from .user import User

STATUS_SOURCES = {
    "directory": "отметка в справочнике",
    "order": "приказ об утверждении перечня",
    "manual": "изменение вручную",
}


class LowResultStatus(BaseModel):
    school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
    year = IntegerField()  # school year start: 2026 means 2026/2027
    is_low_result = BooleanField()
    source = CharField(max_length=20)  # STATUS_SOURCES
    reason = CharField(max_length=1000, default="")
    document = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
    changed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("school", "year", "id"), False), (("year", "id"), False))

    @property
    def source_label(self):
        return STATUS_SOURCES.get(self.source, self.source)

    @classmethod
    def latest(cls, year):
        """The rows in force for a year: the last row of each school."""
        last = (cls.select(fn.MAX(cls.id)).where(cls.year == year).group_by(cls.school))
        return cls.select().where(cls.id.in_(last))

    @classmethod
    def listed_ids(cls, year):
        """Ids of the schools with low results in a school year (by the rows in force)."""
        return {r.school_id for r in cls.latest(year) if r.is_low_result}

    @classmethod
    def listed_query(cls, year):
        """A query of the schools with low results in a school year, or None when the year has
        none. For the current year with no status recorded at all, the directory's flags (which
        the statuses mirror once there are any)."""
        in_force = cls.latest(year).where(cls.is_low_result == True)  # noqa: E712
        schools = Organization.select().where(Organization.kind == "school")
        listed, recorded = counts(  # one round trip: the home page asks on every visit
            in_force.select(fn.COUNT(cls.id)),
            cls.select(fn.COUNT(cls.id)).where(cls.year == year))
        if listed:
            return schools.where(Organization.id.in_(in_force.select(cls.school)))
        if year == current_school_year() and not recorded:
            return schools.where(Organization.is_low_result == True)  # noqa: E712
        return None

    @classmethod
    def listed_schools(cls, year):
        """The schools with low results in a school year, by name."""
        query = cls.listed_query(year)
        return [] if query is None else list(query.order_by(Organization.short_name))

    @classmethod
    def history(cls, school):
        return (cls.select().where(cls.school == school)
                .order_by(cls.year.desc(), cls.id.desc()))


def set_status(school, year, is_low_result, source, reason="", document=None, user=None):
    """Record a school's status for a year (a new history row, only when it changes or the
    source differs) and mirror the current year into the directory's flag."""
    current = (LowResultStatus.select().where((LowResultStatus.school == school)
                                              & (LowResultStatus.year == year))
               .order_by(LowResultStatus.id.desc()).first())
    if current is None or current.is_low_result != is_low_result or current.source != source \
            or (document is not None and current.document_id != getattr(document, "id", None)):
        LowResultStatus.create(school=school, year=year, is_low_result=is_low_result,
                               source=source, reason=reason, document=document, changed_by=user)
    if year == current_school_year():
        Organization.update(is_low_result=is_low_result).where(
            Organization.id == getattr(school, "id", school)).execute()
