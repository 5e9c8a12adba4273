"""Assessment results (ВПР, ОГЭ, ЕГЭ) of a school: one row per procedure × subject × grade ×
year, with the counts of each mark (ВПР, ОГЭ) or of those below the minimum threshold (ЕГЭ)."""
from decimal import Decimal

from peewee import CharField, DateTimeField, DecimalField, ForeignKeyField, IntegerField

from .base import BaseModel, now
from .organization import Organization
from .user import User

PROCEDURES = {"vpr": "ВПР", "oge": "ОГЭ", "ege": "ЕГЭ"}
# Procedures graded by the threshold rather than by marks.
THRESHOLD_PROCEDURES = ("ege",)


class AssessmentResult(BaseModel):
    school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
    procedure = CharField(max_length=10)
    subject = CharField(max_length=100)
    grade = IntegerField()
    year = IntegerField(index=True)
    participants = IntegerField()
    mark2 = IntegerField(null=True)
    mark3 = IntegerField(null=True)
    mark4 = IntegerField(null=True)
    mark5 = IntegerField(null=True)
    below_min = IntegerField(null=True)
    mean_score = DecimalField(max_digits=6, decimal_places=2, null=True, auto_round=True)
    source = CharField(max_length=255, default="")
    imported_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    imported_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("school", "procedure", "subject", "grade", "year"), True),)

    @property
    def procedure_label(self):
        return PROCEDURES.get(self.procedure, self.procedure)

    @property
    def by_threshold(self):
        return self.procedure in THRESHOLD_PROCEDURES

    @property
    def failed(self):
        """Those who got «2» (ВПР, ОГЭ) or stayed below the minimum threshold (ЕГЭ)."""
        return self.below_min if self.by_threshold else self.mark2

    @property
    def share_2(self):
        """The share of «2» (or below the minimum), in %, to 0.1; None without participants."""
        if not self.participants or self.failed is None:
            return None
        return (Decimal(self.failed) * 100 / self.participants).quantize(Decimal("0.1"))

    @property
    def quality_share(self):
        """The share of «4» and «5», in %, to 0.1; None for ЕГЭ or without participants."""
        if not self.participants or self.by_threshold or None in (self.mark4, self.mark5):
            return None
        return (Decimal(self.mark4 + self.mark5) * 100 / self.participants).quantize(Decimal("0.1"))

    @classmethod
    def visible_to(cls, user):
        """A school sees its own results; staff every school's."""
        query = cls.select()
        if user.role == "school":
            query = query.where(cls.school == user.organization_id)
        return query
