"""The heat map of a year's risk profiles (schools × factors, a cell coloured by the level) as
PNG bytes at print resolution, for the summary page and the `risk_summary` note. Drawn like
monitoring's charts: matplotlib's object API (Figure + the Agg canvas, never pyplot), so
requests in threads share no figure; Liberation Serif (Times New Roman's metrics)."""
import io

import matplotlib

matplotlib.use("Agg")  # before anything draws: no display on a server

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from models import RISK_LEVELS  # noqa: E402

from . import summary  # noqa: E402

DPI = 200
WIDTH_CM = 16
ROW_CM = 0.5  # one school's row
FONT_SIZE = 8
NAME_LIMIT = 34
# Not assessed, not found, low, medium, high: grey, green, yellow, orange, red.
ORDER = ("", "none", "low", "medium", "high")
COLOURS = ("#d9d9d9", "#9ccf8f", "#f4e07a", "#f2a35e", "#d9534f")
WORDS = {"": "не оценён", **RISK_LEVELS}
MARKS = {**summary.MARKS, "": ""}  # an unassessed cell stays empty on the map
FONT = {"family": "serif", "serif": ["Liberation Serif", "Times New Roman", "DejaVu Serif"]}


def _short(name):
    name = " ".join(str(name or "").split())
    if len(name) <= NAME_LIMIT:
        return name
    tail = NAME_LIMIT * 3 // 5
    return name[:NAME_LIMIT - tail - 1].rstrip() + "…" + name[-tail:].lstrip()


def heat_map(schools, factor_codes, title=""):
    """A PNG: a row per school (name, [level code per factor]), a column per factor code."""
    rows = max(len(schools), 1)
    height_cm = 3.2 + ROW_CM * rows
    with matplotlib.rc_context({"font.family": FONT["family"], "font.serif": FONT["serif"],
                                "font.size": FONT_SIZE}):
        figure = Figure(figsize=(WIDTH_CM / 2.54, height_cm / 2.54), dpi=DPI,
                        layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        if schools and factor_codes:
            matrix = [[ORDER.index(level if level in ORDER else "") for level in levels]
                      for _, levels in schools]
            ax.imshow(matrix, cmap=ListedColormap(COLOURS), vmin=0, vmax=len(ORDER) - 1,
                      aspect="auto", interpolation="nearest")
            for y, (_, levels) in enumerate(schools):
                for x, level in enumerate(levels):
                    ax.text(x, y, MARKS.get(level, ""), ha="center", va="center",
                            fontsize=FONT_SIZE, color="#222222")
            ax.set_xticks(range(len(factor_codes)), [str(c) for c in factor_codes])
            ax.set_yticks(range(len(schools)), [_short(name) for name, _ in schools])
            ax.set_xticks([x - 0.5 for x in range(1, len(factor_codes))], minor=True)
            ax.set_yticks([y - 0.5 for y in range(1, len(schools))], minor=True)
            ax.grid(which="minor", color="white", linewidth=1.5)
            ax.tick_params(which="minor", length=0)
            ax.tick_params(which="major", length=0)
            ax.xaxis.set_ticks_position("top")
            ax.set_xlabel("Факторы риска (номер по перечню)")
            ax.xaxis.set_label_position("top")
            for side in ax.spines.values():
                side.set_visible(False)
        else:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "Нет рисковых профилей за этот год", ha="center", va="center",
                    transform=ax.transAxes)
        if title:
            ax.set_title(title)
        figure.legend(handles=[Patch(facecolor=c, edgecolor="#999999", label=WORDS[level])
                               for level, c in zip(reversed(ORDER), reversed(COLOURS))],
                      loc="outside lower center", ncols=5, frameon=False,
                      fontsize=FONT_SIZE - 1)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def summary_heat_map(summary):
    """The heat map of risks.summary.year_summary()."""
    return heat_map([(s["school"], s["levels"]) for s in summary["schools"]],
                    [f["code"] for f in summary["factors"]])
