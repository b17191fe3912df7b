"""The ledger's chart: the period as one picture (PNG), sent as a photo (R7).

`chart_data` is pure: the book's rows counted per month, obligations met against due, lapses per
clause. `render` draws them with matplotlib's object API on an Agg canvas: no pyplot and no
global rcParams, so that charts can be drawn in worker threads (asyncio.to_thread) at once.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from babel.dates import format_skeleton
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.ticker import MaxNLocator

from bot.calendar.models import MeetingKind
from bot.i18n import N_
from bot.ledger.figures import SEVERITIES, durations, month_of, months
from bot.ledger.obligations import MET, SHORT
from bot.ledger.period import LedgerPeriod
from bot.ledger.service import Ledger
from render.calendar import KIND_NAMES as MEETING_NAMES
from render.ledger_words import INCIDENT_KINDS, SEVERITY_NAMES, duration, period_name
from render.renderer import Renderer

# A subset of Noto Sans CJK SC holding every character of the Chinese catalogue (`make font`,
# licence in fonts/OFL.txt); DejaVu Sans, matplotlib's own, draws whatever glyph it lacks.
# Registered once, at import: matplotlib finds fonts by family name, and only a family list
# gives glyph-by-glyph fallback (a FontProperties with a file name has none).
FONT = Path(__file__).with_name("fonts") / "NotoSansSC-dutydesk.otf"
fontManager.addfont(FONT)
FAMILY = (FontProperties(fname=FONT).get_name(), "DejaVu Sans")

OBLIGATION_KINDS = (
    MeetingKind.QUARTERLY_REVIEW,
    MeetingKind.DEDICATED,
    MeetingKind.STUDY,
    MeetingKind.FORWARD_ANALYSIS,
)
# Critical to information, darkest first; the line on top of them in black.
COLOURS = {"critical": "#a50f15", "major": "#ef6548", "general": "#fdbb84", "": "#74a9cf"}
DUE, MET_COLOUR = "#d9d9d9", "#238b45"

TITLE = N_("Ledger: {period}")
INCIDENTS = N_("Incidents per month, by severity")
COUNT = N_("Incidents")
HOURS = N_("Median time to acknowledge (hours)")
OBLIGATIONS = N_("Required meetings")
DUE_LABEL, MET_LABEL = N_("Periods due"), N_("Periods met")
LAPSES = N_("Lapses by clause")
NOTHING = N_("None in this period")


@dataclass(frozen=True)
class ChartData:
    period: LedgerPeriod
    months: list[tuple[int, int]]  # (year, month): the x axis
    incidents: dict[str, list[int]]  # severity ("" for information reports) → count per month
    to_acknowledge: list[float | None]  # median hours from report to acknowledgement, per month
    obligations: dict[MeetingKind, tuple[int, int]]  # kind → (periods met, periods due)
    lapses: dict[str, int]  # clause → lapses touching it (a lapse under two clauses counts twice)


def _clause_key(clause: str) -> tuple[str, int]:
    """A2 < A3 < C2 < C8 < L4 …, and R10 after R9."""
    letters = clause.rstrip("0123456789")
    return letters, int(clause[len(letters) :] or 0)


def chart_data(book: Ledger) -> ChartData:
    """The chart's figures. Incidents fall in the month they were reported. An obligation is
    counted in the period its deadline falls in (as its lapse is), and only once it is decided:
    met or short; "open" (not over yet) and "unkept" (before the records) are not due."""
    period = book.period
    axis = months(period)
    where = {month: i for i, month in enumerate(axis)}
    incidents = {severity: [0] * len(axis) for severity in SEVERITIES}
    waits: list[list[timedelta]] = [[] for _ in axis]
    for row in book.incidents:
        i = where[month_of(row.reported_at, period)]
        incidents[row.severity or ""][i] += 1
        if row.acknowledged_at is not None:
            waits[i].append(row.acknowledged_at - row.reported_at)
    hours = [durations(w).median for w in waits]
    decided = [
        o
        for o in book.obligations
        if o.state in (MET, SHORT) and period.first <= o.belongs <= period.last
    ]
    obligations = {
        kind: (
            sum(1 for o in decided if o.kind == kind and o.state == MET),
            sum(1 for o in decided if o.kind == kind),
        )
        for kind in OBLIGATION_KINDS
    }
    lapses = Counter(clause for lapse in book.lapses for clause in lapse.clauses)
    return ChartData(
        period=period,
        months=axis,
        incidents=incidents,
        to_acknowledge=[h.total_seconds() / 3600 if h is not None else None for h in hours],
        obligations=obligations,
        lapses={clause: lapses[clause] for clause in sorted(lapses, key=_clause_key)},
    )


SMALL, MEDIUM, LARGE = 10, 12, 15  # points at 150 dpi: a 1200 px photo still reads on a phone


def render(data: ChartData, r: Renderer) -> bytes:
    """The chart as PNG: 1200×900 px; every word in the reader's language."""
    figure = Figure(figsize=(8, 6), dpi=150, layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(2, 2, height_ratios=(1.15, 1), width_ratios=(1.2, 1))
    figure.suptitle(
        r.plain(TITLE, period=period_name(r, data.period)), fontfamily=FAMILY, fontsize=LARGE
    )
    _incidents(figure.add_subplot(grid[0, :]), data, r)
    _obligations(figure.add_subplot(grid[1, 0]), data, r)
    _lapses(figure.add_subplot(grid[1, 1]), data, r)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def chart_png(book: Ledger, r: Renderer) -> bytes:
    """The period's chart for this reader (blocking: call it in a worker thread)."""
    return render(chart_data(book), r)


def _panel(ax: Axes, title: str, empty: bool, r: Renderer) -> None:
    ax.set_title(title, fontfamily=FAMILY, fontsize=MEDIUM, loc="left")
    ax.tick_params(labelsize=SMALL, labelfontfamily=FAMILY)
    ax.spines[["top", "right"]].set_visible(False)
    if empty:
        ax.text(
            0.5,
            0.5,
            r.plain(NOTHING),
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontfamily=FAMILY,
            fontsize=MEDIUM,
            color="grey",
        )


def _month_labels(data: ChartData, r: Renderer) -> list[str]:
    """Jan, Feb … (1月, 2月 …); a period across years names the year under its first month
    and every January; beyond twelve months only every few are named."""
    step = -(-len(data.months) // 12)
    years = data.period.first.year != data.period.last.year
    labels = []
    for i, (year, month) in enumerate(data.months):
        day = date(year, month, 1)
        named = i % step == 0 or (years and month == 1)
        label = str(format_skeleton("MMM", day, locale=r.t.babel_locale)) if named else ""
        if label and years and (i == 0 or month == 1):
            label += "\n" + str(format_skeleton("y", day, locale=r.t.babel_locale))
        labels.append(label)
    return labels


def _incidents(ax: Axes, data: ChartData, r: Renderer) -> None:
    x = list(range(len(data.months)))
    stacked = [0] * len(x)
    for severity in SEVERITIES:
        counts = data.incidents[severity]
        name = SEVERITY_NAMES[severity] if severity else INCIDENT_KINDS["information"]
        ax.bar(x, counts, bottom=stacked, width=0.7, color=COLOURS[severity], label=r.plain(name))
        stacked = [a + b for a, b in zip(stacked, counts, strict=True)]
    ax.set_xticks(x, _month_labels(data, r))
    ax.set_ylabel(r.plain(COUNT), fontfamily=FAMILY, fontsize=SMALL)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1, max(stacked, default=0)) * 1.45)  # headroom for the legend
    hours = ax.twinx()
    points = [(i, h) for i, h in zip(x, data.to_acknowledge, strict=True) if h is not None]
    line = [h if h is not None else float("nan") for h in data.to_acknowledge]
    hours.plot(x, line, marker="o", color="black", label=r.plain(HOURS))
    for i, h in points:
        hours.annotate(
            duration(r, timedelta(hours=h)),
            (i, h),
            xytext=(0, 6),
            ha="center",
            textcoords="offset points",
            fontsize=SMALL - 1,
            fontfamily=FAMILY,
        )
    hours.set_ylim(0, max([1.0] + [h for _i, h in points]) * 1.45)
    if not points:
        hours.set_yticks([])
    hours.tick_params(labelsize=SMALL, labelfontfamily=FAMILY)
    hours.spines[["top"]].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    more, words = hours.get_legend_handles_labels()
    ax.legend(
        handles + more,
        labels + words,
        loc="upper left",
        ncols=3,
        frameon=False,
        prop={"family": FAMILY, "size": SMALL - 1},
    )
    _panel(ax, r.plain(INCIDENTS), not any(stacked), r)  # the twin draws the right spine


def _obligations(ax: Axes, data: ChartData, r: Renderer) -> None:
    y = list(range(len(data.obligations)))
    met = [m for m, _due in data.obligations.values()]
    due = [d for _met, d in data.obligations.values()]
    ax.barh(y, due, height=0.6, color=DUE, label=r.plain(DUE_LABEL))
    ax.barh(y, met, height=0.6, color=MET_COLOUR, label=r.plain(MET_LABEL))
    for i, (m, d) in enumerate(zip(met, due, strict=True)):
        ax.text(d, i, f" {m}/{d}", va="center", fontsize=SMALL, fontfamily=FAMILY)
    names = [
        textwrap.fill(r.plain(MEETING_NAMES[k]), 16, break_long_words=False)
        for k in data.obligations
    ]
    ax.set_yticks(y, names)
    ax.invert_yaxis()  # the regulation's order, top down
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max([1, *due]) * 1.3)
    ax.legend(loc="best", frameon=False, prop={"family": FAMILY, "size": SMALL - 1})
    _panel(ax, r.plain(OBLIGATIONS), not any(due), r)


def _lapses(ax: Axes, data: ChartData, r: Renderer) -> None:
    clauses = list(data.lapses)
    bars = ax.bar(
        range(len(clauses)), list(data.lapses.values()), width=0.6, color=COLOURS["critical"]
    )
    ax.bar_label(bars, padding=2, fontsize=SMALL, fontfamily=FAMILY)
    ax.set_xticks(range(len(clauses)), clauses)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max([1, *data.lapses.values()]) * 1.15)  # room for the counts
    _panel(ax, r.plain(LAPSES), not clauses, r)
