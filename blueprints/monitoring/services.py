"""Writes of the monitoring feature: the checked rows of an assessment-results import."""
from decimal import Decimal

from models import AssessmentResult, db, now

from .importer import COUNTS


def save_results(rows, source, user_id):
    """Save every checked row in one transaction: a result already stored for the same school,
    procedure, subject, grade and year is replaced, never duplicated. (created, updated)."""
    created = updated = 0
    with db.atomic():
        for row in rows:
            values = {f: row.get(f) for f in COUNTS}
            values.update(mean_score=Decimal(row["mean_score"]) if row.get("mean_score") else None,
                          source=source[:255], imported_by=user_id, imported_at=now())
            key = (AssessmentResult.school == row["school_id"],
                   AssessmentResult.procedure == row["procedure"],
                   AssessmentResult.subject == row["subject"],
                   AssessmentResult.grade == row["grade"], AssessmentResult.year == row["year"])
            if AssessmentResult.update(**values).where(*key).execute():
                updated += 1
            else:
                AssessmentResult.create(school=row["school_id"], procedure=row["procedure"],
                                        subject=row["subject"], grade=row["grade"],
                                        year=row["year"], **values)
                created += 1
    return created, updated
