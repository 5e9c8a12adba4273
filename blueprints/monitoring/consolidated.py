"""The consolidated table of a campaign, built on stats.figures(): a row per school (its
status and a cell per indicator), the summary rows over the counted reports, sorting by any
column and, optionally, the change from the previous period. Read by the data page, its
.xlsx, open data and the analytical note; no writes, no request.

API:
- build(campaign, sort="school", descending=False, with_change=False, figs=None) → {
    "campaign", "indicators": [Indicator], "columns": [Column],
    "rows": [{"school", "report", "counted": bool, "cells": [Cell]}]  (every report; the
        cells of a report not yet submitted/accepted are empty: its values count nowhere),
    "summary": [{"key", "label", "cells": [Cell]}]  (count, total, mean, median, min, max;
        "previous_mean" too with the change),
    "figures": stats.figures(...), "counted": n reports counted, "schools": n reports,
    "sort", "descending"}
  Column = {"code", "name", "unit", "type", "numeric": bool, "header": «Имя, ед.»}
  Cell = {"text": as printed («12,5», «да», the text), "number": Decimal | None (numbers
        only; «да» = 1), "change": stats.change(...) | None}
- sort_keys(indicators) → the valid `sort` values: "school", "status" and indicator codes.
- text_of(value, places=None) → «12 345,5»: a number as the table prints it.
"""
from decimal import Decimal

from models import REPORT_STATUSES

from ..core.filters import number
from . import stats

FIXED_SORTS = {"school": "Школа", "status": "Статус отчёта"}
SUMMARY_ROWS = (
    ("count", "Число школ с данными"),
    ("total", "Итого по муниципалитету"),
    ("mean", "Среднее"),
    ("median", "Медиана"),
    ("min", "Минимум"),
    ("max", "Максимум"),
)
STATUS_ORDER = {status: index for index, status in enumerate(REPORT_STATUSES)}


def text_of(value, places=None):
    """Decimal('12.500000') → «12,5», 12345 → «12 345», None → «»."""
    if value is None:
        return ""
    amount = Decimal(value)
    if places is None:
        amount = amount.normalize()
    return number(amount, places)


def header(indicator):
    """«Доля обучающихся, получивших «2», %» — the name and the unit, as the header prints."""
    unit = (indicator.unit or "").strip()
    if indicator.value_type in ("bool", "choice", "text") or not unit:
        return indicator.name
    return f"{indicator.name}, {unit}"


def column(indicator):
    return {"code": indicator.code, "name": indicator.name, "unit": indicator.unit or "",
            "type": indicator.value_type, "numeric": indicator.value_type in stats.NUMERIC,
            "header": header(indicator)}


def cell(indicator, value, previous=None, with_change=False):
    """A table cell of a ReportValue (or None)."""
    if value is None or (value.number is None and not (value.text or "").strip()):
        return {"text": "", "number": None, "change": None}
    kind = indicator.value_type
    if kind == "bool":
        text = "" if value.number is None else ("да" if value.number else "нет")
        return {"text": text, "number": value.number, "change": None}
    if kind in stats.NUMERIC:
        change = None
        if with_change and previous is not None:
            change = stats.change(value.number, previous.number, indicator)
        return {"text": text_of(value.number), "number": value.number, "change": change}
    return {"text": value.text, "number": None, "change": None}


def sort_keys(indicators):
    return list(FIXED_SORTS) + [i.code for i in indicators]


def _summary_cells(indicators, summary, key):
    cells = []
    for indicator in indicators:
        figures = summary.get(indicator.code)
        value = figures.get(key) if figures else None
        if indicator.value_type == "bool" and figures and key not in ("count",):
            # yes/no: the number of «да» as the total, their share as the mean; no median
            if key == "total":
                value = Decimal(figures["mean"] or 0) * figures["count"] if figures[
                    "count"] else None
                value = None if value is None else value.to_integral_value()
            elif key == "mean" and figures["mean"] is not None:
                cells.append({"text": f"{text_of(figures['mean'] * 100, 0)}\u00a0% «да»",
                              "number": figures["mean"], "change": None})
                continue
            else:
                value = None
        cells.append({"text": text_of(value) if value is not None else "",
                      "number": value, "change": None})
    return cells


def build(campaign, sort="school", descending=False, with_change=False, figs=None):
    figs = figs or stats.figures(campaign)
    indicators = figs["indicators"]
    by_code = {i.code: i for i in indicators}
    rows = []
    for row in figs["rows"]:
        counted = row["report"].status in stats.COUNTED
        cells = [cell(i, row["values"].get(i.code) if counted else None,
                      row["previous"].get(i.code), with_change) for i in indicators]
        rows.append({"school": row["school"], "report": row["report"], "counted": counted,
                     "cells": cells})
    sort = sort if sort in FIXED_SORTS or sort in by_code else "school"
    rows = _sorted(rows, sort, descending, indicators)
    summary = [{"key": key, "label": label,
                "cells": _summary_cells(indicators, figs["summary"], key)}
               for key, label in SUMMARY_ROWS]
    if with_change and campaign.previous_id:
        summary.append({"key": "previous_mean", "label": "Среднее в предыдущем периоде",
                        "cells": _summary_cells(indicators, figs["previous_summary"], "mean")})
    return {"campaign": campaign, "indicators": indicators,
            "columns": [column(i) for i in indicators], "rows": rows, "summary": summary,
            "figures": figs, "counted": sum(1 for r in rows if r["counted"]),
            "schools": len(rows), "sort": sort, "descending": descending}


def _sorted(rows, sort, descending, indicators):
    """Rows by the chosen column; empty cells always last, ties by the school's name."""
    by_name = sorted(rows, key=lambda r: ((r["school"].short_name or "").lower(), r["school"].id))
    if sort == "school":
        return by_name[::-1] if descending else by_name
    if sort == "status":
        return sorted(by_name, key=lambda r: STATUS_ORDER.get(r["report"].status, 99),
                      reverse=descending)
    index = next(n for n, i in enumerate(indicators) if i.code == sort)
    numeric = indicators[index].value_type in stats.NUMERIC

    def key(row):
        value = row["cells"][index]
        return value["number"] if numeric else value["text"].lower()

    filled, empty = [], []
    for row in by_name:
        value = row["cells"][index]
        (filled if (value["number"] is not None if numeric else value["text"]) else
         empty).append(row)
    return sorted(filled, key=key, reverse=descending) + empty
