"""Charts of monitoring figures as PNG bytes at print resolution, for the data page and the
analytical note (docxtpl InlineImage). Drawn with matplotlib's object API (Figure + the Agg
canvas, never pyplot): no global figure state, so requests in threads do not share a chart.

API (every function returns PNG bytes; `None` values are left out and counted in a note):
- bars(names, values, unit="", mean=None, higher_is_better=True, title="", limit=30)
    a horizontal bar per school with the municipal mean line; more than `limit` schools →
    the best and the worst `limit // 2` with a note «Показаны … из N».
- comparison(names, current, previous, labels=("…", "…"), unit="", title="", limit=30)
    a pair of bars per school: this period and the previous one.
- dynamics(periods, series, unit="", title="")
    a line per series over the periods: series = [(label, [value per period])].
- distribution(values, unit="", mean=None, title="", bins=None)
    a histogram: how many schools fall in each range of values.
- indicator_charts(campaign, figs, indicator) → [(kind, caption, PNG)]: the set for one
    indicator of stats.figures(campaign) (bars, distribution, dynamics of the mean).
- indicator_set(campaign, indicator, names, values, mean, previous_mean) → the same from lists.
- decimal_comma(value, places=None) → «12,5»: the label text every chart uses.
Size: WIDTH_CM × HEIGHT_CM at DPI (16 × 9 cm, 200 dpi); bars grow taller with the count of
schools so each name stays readable. Font: Liberation Serif (Times New Roman's metrics).
"""
import io
import json
import math
from decimal import ROUND_HALF_UP, Decimal

import matplotlib

matplotlib.use("Agg")  # before anything draws: no display on a server

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from .stats import COUNTED  # noqa: E402

DPI = 200
WIDTH_CM, HEIGHT_CM = 16, 9
ROW_CM = 0.42  # the height of one school's bar row: 8-pt names do not overlap
FONT_SIZE = 8
NAME_LIMIT = 38  # characters of a school's name on an axis
BAR, PREVIOUS, MEAN, GOOD, BAD = "#4c72b0", "#b0b8c4", "#c44e52", "#55a868", "#c44e52"
# Set once at import (constant, so threads see the same): fonts with Cyrillic, Times-like first.
matplotlib.rcParams.update({
    "font.family": "serif",
    "font.serif": ["Liberation Serif", "Times New Roman", "DejaVu Serif"],
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.unicode_minus": True,
})


def decimal_comma(value, places=None):
    """12.5 → «12,5», 3.0 → «3», −0.25 → «−0,25»; `places` fixes the digits after the comma
    (otherwise up to two, trailing zeros dropped). Thousands are not grouped: short labels."""
    if value is None:
        return ""
    number = float(value)
    if not math.isfinite(number):
        return ""
    # half up, as the tables round (a float's 0.125 is 0.12 by f-string rounding)
    exponent = Decimal(1).scaleb(-(places if places is not None else 2))
    text = f"{Decimal(repr(number)).quantize(exponent, ROUND_HALF_UP):f}"
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if float(text) == 0:  # «−0» after rounding a tiny negative
        text = text.lstrip("-")
    return text.replace(".", ",").replace("-", "−")


def _value_label(value, unit):
    """A bar's value to 0.1, as the tables print it: «12,4 %», «3»."""
    text = decimal_comma(round(float(value), 1))
    return f"{text}\u00a0%" if unit == "%" else text


def _figure(height_cm=HEIGHT_CM):
    figure = Figure(figsize=(WIDTH_CM / 2.54, height_cm / 2.54), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure):
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _tick_formatter(axis):
    axis.set_major_formatter(FuncFormatter(lambda value, _: decimal_comma(value)))


def _axis_label(unit):
    return {"%": "%", "": ""}.get(unit, unit)


def _short(name):
    """A name within NAME_LIMIT, cut in the middle: «МБОУ «Средняя о…школа № 12»» keeps the
    number that tells schools apart."""
    name = " ".join(str(name or "").split())
    if len(name) <= NAME_LIMIT:
        return name
    tail = NAME_LIMIT * 3 // 5
    return name[:NAME_LIMIT - tail - 1].rstrip() + "…" + name[-tail:].lstrip()


def _numbers(values):
    return [None if v is None else float(v) for v in values]


def _legend(figure, ax, notes=()):
    """The legend (mean line, periods) and the notes under the chart, outside the bars so it
    never hides one; the notes are legend rows without a mark."""
    handles, labels = ax.get_legend_handles_labels()
    for note in notes:
        handles.append(Line2D([], [], linestyle="none"))
        labels.append(note)
    if handles:
        figure.legend(handles, labels, loc="outside lower center", fontsize=FONT_SIZE - 1,
                      frameon=False, ncols=1 if notes else min(len(handles), 3),
                      handlelength=1.8 if len(handles) > len(notes) else 0)


def _chosen(names, values, limit, higher_is_better):
    """(rows [(name, value)], note): every school with a value, in the order of the values
    (best at the top); over `limit` only the best and the worst halves."""
    rows = [(n, v) for n, v in zip(names, _numbers(values)) if v is not None]
    missing = len(names) - len(rows)
    rows.sort(key=lambda row: row[1], reverse=higher_is_better)
    notes = []
    if len(rows) > limit:
        half = limit // 2
        notes.append(f"Показаны {half} школ с лучшими и {half} с худшими значениями "
                     f"из {len(rows)}.")
        rows = rows[:half] + [(None, None)] + rows[-half:]
    if missing:
        notes.append(f"Нет данных: {missing} {_schools_word(missing)}.")
    return rows, notes


def _schools_word(count):
    if count % 10 == 1 and count % 100 != 11:
        return "школа"
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return "школы"
    return "школ"


def bars(names, values, unit="", mean=None, higher_is_better=True, title="", limit=30):
    """Horizontal bars by school (best at the top), the value at each bar's end and the
    municipal mean as a vertical line."""
    rows, notes = _chosen(list(names), list(values), limit, higher_is_better)
    height = max(HEIGHT_CM, ROW_CM * len(rows) + 2.8 + 0.35 * len(notes))
    figure = _figure(height)
    ax = figure.add_subplot()
    positions = list(range(len(rows)))[::-1]  # the first row at the top
    shown = [(p, n, v) for p, (n, v) in zip(positions, rows) if v is not None]
    ax.barh([p for p, _, _ in shown], [v for _, _, v in shown], color=BAR, height=0.7)
    ax.set_yticks(positions, [_short(n) if n is not None else "…" for n, _ in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    top = max([v for _, _, v in shown] + [float(mean) if mean is not None else 0, 0])
    low = min([v for _, _, v in shown] + [0])
    ax.set_xlim(low * 1.15 if low < 0 else 0, (top or 1) * 1.15)
    for position, _, value in shown:
        ax.annotate(_value_label(value, unit), (value, position), xytext=(2, 0),
                    textcoords="offset points", va="center", fontsize=FONT_SIZE - 1)
    if mean is not None:
        ax.axvline(float(mean), color=MEAN, linestyle="--", linewidth=1,
                   label=f"Среднее по муниципалитету: {_value_label(float(mean), unit)}")
    _tick_formatter(ax.xaxis)
    ax.set_xlabel(_axis_label(unit))
    ax.grid(axis="x", linewidth=0.3, alpha=0.6)
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title)
    if not shown:
        ax.text(0.5, 0.5, "Нет данных", transform=ax.transAxes, ha="center", va="center")
    _legend(figure, ax, notes)
    return _png(figure)


def comparison(names, current, previous, labels=("Текущий период", "Предыдущий период"),
               unit="", title="", limit=30):
    """A pair of horizontal bars per school: this period (dark) and the previous (light);
    schools without a current value are left out; over `limit` the first `limit` by name."""
    rows = [(n, c, p) for n, c, p in zip(names, _numbers(current), _numbers(previous))
            if c is not None]
    notes = []
    if len(rows) > limit:
        notes.append(f"Показаны {limit} школ из {len(rows)}.")
        rows = rows[:limit]
    height = max(HEIGHT_CM, ROW_CM * 1.4 * len(rows) + 2.8)
    figure = _figure(height)
    ax = figure.add_subplot()
    positions = list(range(len(rows)))[::-1]
    ax.barh([p + 0.18 for p in positions], [c for _, c, _ in rows], height=0.36, color=BAR,
            label=labels[0])
    earlier = [(p, e) for p, (_, _, e) in zip(positions, rows) if e is not None]
    ax.barh([p - 0.18 for p, _ in earlier], [e for _, e in earlier], height=0.36,
            color=PREVIOUS, label=labels[1])
    for position, (_, value, before) in zip(positions, rows):
        ax.annotate(_value_label(value, unit), (value, position + 0.18), xytext=(2, 0),
                    textcoords="offset points", va="center", fontsize=FONT_SIZE - 2)
        if before is not None:
            ax.annotate(_value_label(before, unit), (before, position - 0.18), xytext=(2, 0),
                        textcoords="offset points", va="center", fontsize=FONT_SIZE - 2,
                        color="#555555")
    ax.set_yticks(positions, [_short(n) for n, _, _ in rows])
    top = max([max(c, e or 0) for _, c, e in rows] + [1])
    ax.set_xlim(0, top * 1.18)
    _tick_formatter(ax.xaxis)
    ax.set_xlabel(_axis_label(unit))
    ax.grid(axis="x", linewidth=0.3, alpha=0.6)
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title)
    _legend(figure, ax, notes)
    return _png(figure)


def dynamics(periods, series, unit="", title=""):
    """Lines over the periods (oldest first), a labelled point per period; `series` =
    [(label, [value per period])] — e.g. the municipal mean and a school."""
    figure = _figure()
    ax = figure.add_subplot()
    positions = list(range(len(periods)))
    colours = [BAR, MEAN, GOOD, "#8172b2", "#ccb974", "#64b5cd"]
    for index, (label, values) in enumerate(series):
        points = [(p, v) for p, v in zip(positions, _numbers(values)) if v is not None]
        if not points:
            continue
        ax.plot([p for p, _ in points], [v for _, v in points], marker="o", linewidth=1.5,
                markersize=4, color=colours[index % len(colours)], label=label)
        for position, value in points:
            ax.annotate(_value_label(value, unit), (position, value), xytext=(0, 5),
                        textcoords="offset points", ha="center", fontsize=FONT_SIZE - 1)
    ax.set_xticks(positions, [str(p) for p in periods])
    ax.set_xlim(-0.5, len(periods) - 0.5)
    drawn = [v for _, values in series for v in _numbers(values) if v is not None]
    if drawn and min(drawn) >= 0:  # from zero: a change of 0,7 must not look like a collapse
        ax.set_ylim(0, max(drawn) * 1.2 or 1)
    else:
        ax.margins(y=0.2)
    ax.yaxis.set_major_locator(MaxNLocator(6))
    _tick_formatter(ax.yaxis)
    ax.set_ylabel(_axis_label(unit))
    ax.grid(axis="y", linewidth=0.3, alpha=0.6)
    if title:
        ax.set_title(title)
    if len(series) > 1:
        _legend(figure, ax)
    return _png(figure)


def distribution(values, unit="", mean=None, title="", bins=None):
    """A histogram of the schools' values with the count over each bar and the mean line."""
    numbers = [v for v in _numbers(values) if v is not None]
    figure = _figure()
    ax = figure.add_subplot()
    if numbers:
        low, high = min(numbers), max(numbers)
        if bins is None:  # Sturges' count, at most 12, on round edges («0, 2,5, 5 …»)
            count = min(12, max(3, math.ceil(math.log2(len(numbers)) + 1)))
            if low == high:
                bins = [low - 0.5, low + 0.5]
            else:
                bins = MaxNLocator(nbins=count, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
                bins = [e for e in bins if e <= high] + [e for e in bins if e > high][:1]
                if bins[-1] == high:  # the last range includes its right edge anyway
                    bins = bins if len(bins) > 1 else [high - 0.5, high + 0.5]
        counts, edges, patches = ax.hist(numbers, bins=bins, color=BAR, edgecolor="white")
        for count, patch in zip(counts, patches):
            if count:
                ax.annotate(str(int(count)), (patch.get_x() + patch.get_width() / 2, count),
                            xytext=(0, 2), textcoords="offset points", ha="center",
                            fontsize=FONT_SIZE - 1)
        ax.set_xticks(edges if len(edges) <= 13 else edges[::2])
        ax.tick_params(axis="x", labelrotation=45 if len(edges) > 8 else 0)
        ax.margins(y=0.15)
    else:
        ax.text(0.5, 0.5, "Нет данных", transform=ax.transAxes, ha="center", va="center")
    if mean is not None and numbers:
        ax.axvline(float(mean), color=MEAN, linestyle="--", linewidth=1,
                   label=f"Среднее по муниципалитету: {_value_label(float(mean), unit)}")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _tick_formatter(ax.xaxis)
    ax.set_xlabel(_axis_label(unit) or "Значение")
    ax.set_ylabel("Число школ")
    ax.grid(axis="y", linewidth=0.3, alpha=0.6)
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title)
    _legend(figure, ax)
    return _png(figure)


def from_spec(spec):
    """The PNG of a chart spec (note.chart_specs): {"kind": bars | dynamics | distribution,
    "labels", "values", "unit", "mean", "higher_is_better"}."""
    if spec["kind"] == "bars":
        return bars(spec["labels"], spec["values"], unit=spec["unit"], mean=spec.get("mean"),
                    higher_is_better=spec.get("higher_is_better", True))
    if spec["kind"] == "dynamics":
        return dynamics(spec["labels"], [("Среднее по ОО", spec["values"])], unit=spec["unit"])
    return distribution(spec["values"], unit=spec["unit"], mean=spec.get("mean"))


def from_spec_json(key):
    """from_spec of a spec as JSON text: what the chart pool's processes are sent."""
    return from_spec(json.loads(key))


def as_float(value):
    """A Decimal/int/None for the charts' lists."""
    return None if value is None else float(Decimal(value))


def indicator_charts(campaign, figs, indicator, kinds=("bars", "distribution", "dynamics")):
    """[(kind, caption, PNG)] for one numeric indicator of stats.figures(campaign): the bars by
    school with the mean, the distribution and, when the previous period has figures, the
    dynamics of the municipal mean. Captions are without «Рисунок N — » (the note numbers
    them). Only submitted/accepted reports are drawn: they are the ones counted."""
    code = indicator.code
    rows = [row for row in figs["rows"] if row["report"].status in COUNTED]
    values = [as_float(getattr(row["values"].get(code), "number", None)) for row in rows]
    return indicator_set(campaign, indicator, [row["school"].short_name for row in rows],
                         values, figs["summary"].get(code, {}).get("mean"),
                         figs["previous_summary"].get(code, {}).get("mean"), kinds)


def indicator_set(campaign, indicator, names, values, mean, previous_mean=None,
                  kinds=("bars", "distribution", "dynamics")):
    """The same from plain lists (the schools' names and values, the means): what
    indicator_charts draws, for callers that hold the consolidated table instead."""
    unit = indicator.unit or ""
    result = []
    if "bars" in kinds:
        result.append(("bars", f"{indicator.name} по школам", bars(
            names, values, unit=unit, mean=mean, higher_is_better=indicator.higher_is_better)))
    if "distribution" in kinds:
        result.append(("distribution", f"Распределение школ по показателю «{indicator.name}»",
                       distribution(values, unit=unit, mean=mean)))
    if "dynamics" in kinds and previous_mean is not None and campaign.previous_id:
        previous = type(campaign).get_or_none(id=campaign.previous_id)
        periods = [previous.period_label if previous else "Предыдущий период",
                   campaign.period_label]
        result.append(("dynamics", f"{indicator.name}: среднее по муниципалитету по периодам",
                       dynamics(periods, [("Среднее по муниципалитету", [previous_mean, mean])],
                                unit=unit)))
    return result
