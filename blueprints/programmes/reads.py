"""Reading a programme through its section forms: stored values, what the forms need from
the rest of the programme, and what is still missing before submission."""
from models import Indicator, ProgrammeSection, RiskFactor, RiskLevel, school_year
from models.risk import RISK_LEVELS, programme_risk_codes

from . import sections as S


def stored_values(programme, keys=None):
    """{section key: flat values} of every section (or of `keys` only)."""
    rows = ProgrammeSection.select(ProgrammeSection.key, ProgrammeSection.data).where(
        ProgrammeSection.programme == programme.id)
    if keys is not None:
        rows = rows.where(ProgrammeSection.key.in_(keys))
    values = {row.key: row.values for row in rows}
    return {s.key: values.get(s.key, {}) for s in S.SECTIONS if keys is None or s.key in keys}


def binding(programme, values=None, needs=("risks", "indicators", "tasks")):
    """What the section forms need from the rest of the programme (only what `needs` names:
    the autosave of one section stays a handful of queries)."""
    values = values if values is not None else stored_values(programme)
    goals = values.get("goals", {})
    tasks = sorted({k.split("-")[1] for k in goals if k.startswith("tasks-")}, key=int)
    risks = indicators = []
    if "risks" in needs:
        risks = list(RiskFactor.in_force(programme.period_start)) or list(
            RiskFactor.select().order_by(RiskFactor.code))
    if "indicators" in needs:
        indicators = list(Indicator.select().where(Indicator.is_active == True)  # noqa: E712
                          .order_by(Indicator.id))
    return {"period": (programme.period_start, programme.period_end), "risks": risks,
            "indicators": indicators, "tasks": tasks,
            "chosen": tuple(values.get("analysis", {}).get("risks", []))}


def section_form(programme, section, values=None, bound=None, formdata=None, **extra):
    if values is None:
        values = stored_values(programme, (section.key, "goals", "analysis"))
    bound = bound or binding(programme, values, section.needs)
    return S.load_form(section, values.get(section.key, {}), formdata=formdata, **bound, **extra)


def all_forms(programme, values=None):
    """{key: bound form} of every section, as stored (or as in `values`, e.g. a revision)."""
    values = values if values is not None else stored_values(programme)
    bound = binding(programme, values)
    return {s.key: S.load_form(s, values.get(s.key, {}), **bound) for s in S.SECTIONS}


def missing_by_section(programme, forms=None):
    """[(section, [(field name, label, message)])] of what must be filled before submission;
    `forms` when the caller has already loaded them."""
    forms = forms or all_forms(programme)
    report = []
    for section in S.SECTIONS:
        form = forms[section.key]
        items = [(f.name, S.field_label(form, f), message)
                 for f, message in S.missing_fields(section, form)]
        items += [(f.name, S.field_label(form, f), " ".join(f.errors))
                  for f in S.leaf_fields(form) if f.errors]
        if items:
            report.append((section, items))
    return report


def risk_prefill(programme):
    """What the school's risk profile puts in section 3 («Факторы риска»): {"codes" (factor
    codes at a high or medium level), "labels" ({code: level}), "year_label", "status_label",
    "profile_id"}; None when the school has no assessed profile for the programme's years."""
    profile, codes = programme_risk_codes(programme.school_id, programme.period_start,
                                          programme.period_end)
    if profile is None:
        return None
    levels = {str(r.factor.code): RISK_LEVELS.get(r.level, "") for r in RiskLevel.select(
        RiskLevel, RiskFactor).join(RiskFactor).where(RiskLevel.profile == profile.id)}
    return {"codes": codes, "labels": {c: levels.get(c, "") for c in codes},
            "year_label": school_year(profile.year), "status_label": profile.status_label,
            "profile_id": profile.id}
