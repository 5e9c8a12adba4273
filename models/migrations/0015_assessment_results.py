"""Assessment results (ВПР, ОГЭ, ЕГЭ) per school × procedure × subject × grade × year."""
from peewee import CharField, DateTimeField, DecimalField, ForeignKeyField, IntegerField

from ..base import now
from . import existing, frozen_base


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User = existing(db, "organization", "user")

    class AssessmentResult(Base):
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
        mean_score = DecimalField(max_digits=6, decimal_places=2, null=True)
        source = CharField(max_length=255, default="")
        imported_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        imported_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("school", "procedure", "subject", "grade", "year"), True),)

    db.create_tables([AssessmentResult])
