"""Reads of the risk profiles: one profile as plain rows, the municipal summary of a year
(schools × factors with levels, counts per level per factor) as plain data that the page, the
heat map and the `risk_summary` note all read."""
from models import (PROFILE_STATUSES, RISK_LEVELS, Organization, RiskFactor, RiskLevel,
                    RiskProfile, school_year)
from models.risk import LEVEL_SOURCES

LEVEL_CODES = tuple(RISK_LEVELS)  # high, medium, low, none
MARKS = {"high": "В", "medium": "С", "low": "Н", "none": "—", "": "?"}  # a cell of the table


def profile_rows(profile):
    """[{code, name, level, level_label, computed, computed_label, score, max_score, comment,
    source_label}] of a profile's factors, by code."""
    rows = (RiskLevel.select(RiskLevel, RiskFactor).join(RiskFactor)
            .where(RiskLevel.profile == profile.id).order_by(RiskFactor.code))
    return [{"id": r.factor_id, "code": r.factor.code, "name": r.factor.name, "level": r.level,
             "level_label": r.level_label if r.level else "не оценён",
             "computed": r.computed, "computed_label": r.computed_label, "score": r.score,
             "max_score": r.max_score, "comment": r.comment,
             "source_label": LEVEL_SOURCES.get(r.source, "")} for r in rows]


def counts(levels):
    """{level code: how many} of a list of level codes (every code present, 0 when none)."""
    return {code: sum(1 for level in levels if level == code) for code in LEVEL_CODES}


def year_summary(year):
    """The profiles of a school year as plain data:
    {"year", "year_label", "factors": [{code, name, counts{level: n}}],
     "schools": [{profile_id, school, status, status_label, levels: [code per factor]}],
     "totals": {level: n over all cells}, "confirmed": n}."""
    factors = list(RiskFactor.in_force(year))
    profiles = list(RiskProfile.select(RiskProfile, Organization).join(Organization)
                    .where(RiskProfile.year == year).order_by(Organization.short_name))
    levels = {}
    if profiles:
        for row in RiskLevel.select(RiskLevel.profile, RiskLevel.factor, RiskLevel.level).where(
                RiskLevel.profile.in_([p.id for p in profiles])):
            levels[(row.profile_id, row.factor_id)] = row.level
    schools = [{"profile_id": p.id, "school": p.school.short_name,
                "status": p.status, "status_label": PROFILE_STATUSES.get(p.status, p.status),
                "levels": [levels.get((p.id, f.id), "") for f in factors]} for p in profiles]
    factor_rows = []
    for index, factor in enumerate(factors):
        column = [s["levels"][index] for s in schools]
        factor_rows.append({"code": factor.code, "name": factor.name, "counts": counts(column)})
    every = [level for s in schools for level in s["levels"]]
    return {"year": year, "year_label": school_year(year), "factors": factor_rows,
            "schools": schools, "totals": counts(every),
            "confirmed": sum(1 for s in schools if s["status"] == "confirmed")}


def widespread(summary, limit=3):
    """The factors most often at a high or medium level: [(code, name, n)], most first."""
    ranked = sorted(((f["counts"]["high"] + f["counts"]["medium"], -f["code"], f)
                     for f in summary["factors"]), reverse=True)
    return [(f["code"], f["name"], n) for n, _, f in ranked if n][:limit]
