"""The figures of a campaign: a row per school with its numbers, the municipal summary per
indicator, and the change from the previous period. Read by the consolidated table, its
.xlsx and open data, the campaign page and the analytical note; no writes, no request."""
from decimal import Decimal
from statistics import median

from . import reads

COUNTED = ("submitted", "accepted")  # the reports whose values count in the figures
NUMERIC = ("int", "percent", "decimal", "bool")


def summary(numbers, value_type):
    """{"count", "total", "mean", "median", "min", "max"} of the non-empty numbers; the
    total only where a sum means something (counts), the mean to 0.1."""
    numbers = [Decimal(n) for n in numbers if n is not None]
    if not numbers:
        return {"count": 0, "total": None, "mean": None, "median": None, "min": None,
                "max": None}
    mean = (sum(numbers) / len(numbers)).quantize(Decimal("0.1"))
    return {"count": len(numbers), "total": sum(numbers) if value_type == "int" else None,
            "mean": mean, "median": Decimal(median(numbers)), "min": min(numbers),
            "max": max(numbers)}


def change(current, previous, indicator):
    """{"delta", "arrow", "better", "unit"}: the difference (for a share, in п. п.), ▲ or ▼
    and whether it went the good way; None when either side is missing."""
    if current is None or previous is None:
        return None
    # normalize(): PostgreSQL returns the column's six decimal places («7,500000» on a page).
    delta = (Decimal(current) - Decimal(previous)).normalize()
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    better = None if delta == 0 else (delta > 0) == indicator.higher_is_better
    unit = "п. п." if indicator.value_type == "percent" else indicator.unit
    return {"delta": delta, "arrow": arrow, "better": better, "unit": unit}


def figures(campaign, counted=COUNTED):
    """The campaign's numbers in one pass:
    {"indicators": [Indicator], "rows": [{"school", "report", "values": {code: ReportValue},
    "previous": {code: ReportValue}}], "summary": {code: summary}, "previous_summary": {code:
    summary}} — rows for every report; summaries over the reports in `counted` statuses."""
    indicators = reads.form_indicators(campaign.id)
    reports = reads.reports(campaign.id)
    values = reads.values_of([r.id for r in reports])
    previous = reads.previous_values(campaign, [r.school_id for r in reports])
    rows = [{"school": r.school, "report": r, "values": values[r.id],
             "previous": previous.get(r.school_id, {})} for r in reports]
    counted_rows = [row for row in rows if row["report"].status in counted]
    result = {"indicators": indicators, "rows": rows, "summary": {}, "previous_summary": {}}
    for indicator in indicators:
        if indicator.value_type not in NUMERIC:
            continue
        code = indicator.code
        result["summary"][code] = summary(
            [_number(row["values"].get(code)) for row in counted_rows], indicator.value_type)
        result["previous_summary"][code] = summary(
            [_number(row["previous"].get(code)) for row in rows], indicator.value_type)
    return result


def _number(value):
    return None if value is None else value.number
