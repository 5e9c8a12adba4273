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
    "means": {code: Decimal mean}, "previous_means": {code: …} (numeric indicators),
    "counted": n reports counted, "schools": n reports, "sort", "descending"}
  Without `figs` the unsorted table is cached per campaign until its reports change
  (data_cache.py): stats.figures() reads every value (≈ 1 s for 500 × 30).
  Column = {"code", "name", "unit", "type", "numeric": bool, "header": «Имя, ед.»}
  Cell = {"text": as printed («12,5», «да», the text), "number": Decimal | None (numbers
        only; «да» = 1), "change": stats.change(...) + {"text": «2,6»} | None}
- sort_keys(indicators) → the valid `sort` values: "school", "status" and indicator codes.
- text_of(value, places=None) → «12 345,5»: a number as the table prints it.
- series(table, code) → (names, values): the counted schools' values of one indicator.
- periods(campaign, code, limit=4) → (labels, means): the municipal mean over the chain of
  previous periods, oldest first (for charts.dynamics).
"""
from decimal import Decimal

from models import REPORT_STATUSES, MonitoringCampaign

from ..core.filters import number
from . import stats
from . import data_cache as cache

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


def unit_of(indicator):
    """The unit a header prints: «%», «чел.»; «» for yes/no, a choice or a text."""
    if indicator.value_type in ("bool", "choice", "text"):
        return ""
    return (indicator.unit or "").strip()


def header(indicator):
    """«Доля обучающихся, получивших «2», %» — the name and the unit, as the header prints."""
    unit = unit_of(indicator)
    return f"{indicator.name}, {unit}" if unit else indicator.name


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
            if change is not None:  # «2,6»: the difference as the table prints it
                change["text"] = text_of(abs(change["delta"]))
        return {"text": text_of(value.number), "number": value.number, "change": change}
    return {"text": value.text, "number": None, "change": None}


def sort_keys(indicators):
    return list(FIXED_SORTS) + [i.code for i in indicators]


def _summary_cells(indicators, summary, key, yes):
    """The cells of one summary row; `yes` = {code: number of «да»} for yes/no indicators
    (stats rounds the mean to 0,1, too coarse for a share of answers)."""
    cells = []
    for indicator in indicators:
        figures = summary.get(indicator.code)
        value = figures.get(key) if figures else None
        if indicator.value_type == "bool" and figures and key != "count":
            # yes/no: the number of «да» as the total, their share as the mean; no median
            count = figures["count"]
            value = None
            if key == "total" and count:
                value = Decimal(yes.get(indicator.code, 0))
            elif key == "mean" and count:
                share = Decimal(yes.get(indicator.code, 0)) / count
                cells.append({"text": f"{text_of(share * 100, 0)}\u00a0% «да»",
                              "number": share, "change": None})
                continue
        cells.append({"text": text_of(value) if value is not None else "",
                      "number": value, "change": None})
    return cells


def _yes(indicators, rows, side):
    """{code: number of «да»} of the yes/no indicators in `side` ("values" or "previous")."""
    codes = [i.code for i in indicators if i.value_type == "bool"]
    return {code: sum(1 for row in rows if getattr(row[side].get(code), "number", None))
            for code in codes}


def compute(campaign, with_change=False, figs=None):
    """The table in the order of the school names, straight from stats.figures()."""
    figs = figs or stats.figures(campaign)
    indicators = figs["indicators"]
    rows = []
    for row in figs["rows"]:
        counted = row["report"].status in stats.COUNTED
        cells = [cell(i, row["values"].get(i.code) if counted else None,
                      row["previous"].get(i.code), with_change) for i in indicators]
        rows.append({"school": row["school"], "report": row["report"], "counted": counted,
                     "cells": cells})
    rows.sort(key=_by_name)
    counted_rows = [row for row in figs["rows"] if row["report"].status in stats.COUNTED]
    yes = _yes(indicators, counted_rows, "values")
    summary = [{"key": key, "label": label,
                "cells": _summary_cells(indicators, figs["summary"], key, yes)}
               for key, label in SUMMARY_ROWS]
    if with_change and campaign.previous_id:
        summary.append({"key": "previous_mean", "label": "Среднее в предыдущем периоде",
                        "cells": _summary_cells(indicators, figs["previous_summary"], "mean",
                                                _yes(indicators, figs["rows"], "previous"))})
    means = {code: figures["mean"] for code, figures in figs["summary"].items()}
    previous_means = {code: figures["mean"] for code, figures in
                      figs["previous_summary"].items()}
    return {"campaign": campaign, "indicators": indicators,
            "columns": [column(i) for i in indicators], "rows": rows, "summary": summary,
            "means": means, "previous_means": previous_means,
            "counted": sum(1 for r in rows if r["counted"]), "schools": len(rows)}


def build(campaign, sort="school", descending=False, with_change=False, figs=None):
    """The table sorted by `sort` (an unknown key sorts by school); without `figs` it comes
    from the cache while the campaign's reports are unchanged (see cache.py)."""
    if figs is not None:
        table = compute(campaign, with_change, figs)
    else:
        table = cache.get_or_compute(campaign, with_change,
                                     lambda: compute(campaign, with_change))
    by_code = {i.code for i in table["indicators"]}
    sort = sort if sort in FIXED_SORTS or sort in by_code else "school"
    rows = table["rows"]  # compute() keeps the schools' order by name
    if sort != "school" or descending:
        rows = _sorted(rows, sort, descending, table["indicators"])
    return dict(table, campaign=campaign, sort=sort, descending=descending, rows=rows)


def _by_name(row):
    return ((row["school"].short_name or "").lower(), row["school"].id)


def _sorted(rows, sort, descending, indicators):
    """Rows by the chosen column; empty cells always last, ties by the school's name."""
    by_name = sorted(rows, key=_by_name)
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


def series(table, code):
    """(names, values as floats) of the counted reports for one indicator, by school name:
    what the charts of the data page draw."""
    index = next(n for n, i in enumerate(table["indicators"]) if i.code == code)
    rows = sorted((r for r in table["rows"] if r["counted"]), key=_by_name)
    return ([r["school"].short_name for r in rows],
            [None if r["cells"][index]["number"] is None else float(r["cells"][index]["number"])
             for r in rows])


def periods(campaign, code, limit=4):
    """([period labels], [municipal means]) of one indicator over the campaign and the
    campaigns before it (`previous`, then its `previous`…), oldest first, at most `limit`
    periods; each mean over that period's own counted reports (None where the indicator was
    not asked). Each earlier table comes from the cache like this one."""
    chain, seen = [campaign], {campaign.id}
    while len(chain) < limit and chain[-1].previous_id and chain[-1].previous_id not in seen:
        earlier = MonitoringCampaign.get_or_none(id=chain[-1].previous_id)
        if earlier is None:
            break
        chain.append(earlier)
        seen.add(earlier.id)
    chain.reverse()
    return ([c.period_label for c in chain],
            [build(c)["means"].get(code) for c in chain])
