"""Read models of the assessment results: a school's results by year and the schools' list
with their latest shares of «2» (or below the minimum threshold)."""
from decimal import Decimal

from models import PROCEDURES, AssessmentResult, Organization

ORDER = list(PROCEDURES)


def _share(failed, participants):
    if not participants:
        return None
    return (Decimal(failed) * 100 / participants).quantize(Decimal("0.1"))


def change(share, previous):
    """The change from the previous year in percentage points, or None."""
    if share is None or previous is None:
        return None
    return share - previous


def school_table(results):
    """(years, groups): a group per procedure × subject × grade, in the order ВПР, ОГЭ, ЕГЭ,
    each with a cell per year {"result", "share", "change", "quality"} (None where absent)."""
    results = list(results)
    years = sorted({r.year for r in results})
    groups = {}
    for r in results:
        groups.setdefault((ORDER.index(r.procedure) if r.procedure in ORDER else 99,
                           r.procedure, r.subject, r.grade), {})[r.year] = r
    out = []
    for (_, procedure, subject, grade), by_year in sorted(groups.items()):
        cells, previous = [], None
        for year in years:
            r = by_year.get(year)
            if r is None:
                cells.append(None)
                continue
            share = r.share_2
            cells.append({"result": r, "share": share, "change": change(share, previous),
                          "quality": r.quality_share})
            previous = share
        out.append({"procedure": procedure, "procedure_label": PROCEDURES.get(procedure, procedure),
                    "by_threshold": procedure == "ege", "subject": subject, "grade": grade,
                    "cells": cells})
    return years, out


def filtered(query, procedure="", subject="", year=None):
    if procedure:
        query = query.where(AssessmentResult.procedure == procedure)
    if subject:
        query = query.where(AssessmentResult.subject == subject)
    if year:
        query = query.where(AssessmentResult.year <= year)
    return query


def schools_query(procedure="", subject="", year=None):
    """Schools with results that match the filters, by name."""
    having = filtered(AssessmentResult.select(AssessmentResult.school), procedure, subject)
    if year:
        having = having.where(AssessmentResult.year == year)
    return (Organization.select(Organization.id, Organization.short_name,
                                Organization.is_low_result)
            .where(Organization.kind == "school", Organization.id.in_(having))
            .order_by(Organization.short_name, Organization.id))


def latest_shares(school_ids, procedure="", subject="", year=None):
    """{school_id: {procedure: {"year", "share", "change", "participants"}}}: per procedure,
    every subject and grade of the latest year (or the chosen one) taken together, and the
    change from the year before."""
    query = filtered(AssessmentResult.select().where(AssessmentResult.school.in_(school_ids)),
                     procedure, subject, year)
    totals = {}
    for r in query:
        slot = totals.setdefault(r.school_id, {}).setdefault(r.procedure, {}).setdefault(
            r.year, [0, 0])
        slot[0] += r.failed or 0
        slot[1] += r.participants
    out = {}
    for school_id, procedures in totals.items():
        for proc, by_year in procedures.items():
            years = sorted(by_year)
            last = years[-1]
            share = _share(*by_year[last])
            previous = _share(*by_year[years[-2]]) if len(years) > 1 else None
            out.setdefault(school_id, {})[proc] = {
                "year": last, "share": share, "change": change(share, previous),
                "participants": by_year[last][1]}
    return out


def subjects():
    return [r.subject for r in AssessmentResult.select(AssessmentResult.subject).distinct()
            .order_by(AssessmentResult.subject)]


def years():
    return [r.year for r in AssessmentResult.select(AssessmentResult.year).distinct()
            .order_by(AssessmentResult.year.desc())]
