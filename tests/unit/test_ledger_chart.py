"""The ledger's chart: its figures from hand-made rows, and the picture in both
languages — decodable, 1200×900, every Chinese glyph present, the same from any thread."""

from __future__ import annotations

import io
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.calendar.models import MeetingKind
from bot.ledger.figures import event_figures, incident_figures
from bot.ledger.lapses import Lapse
from bot.ledger.obligations import Obligation
from bot.ledger.period import LedgerPeriod, between
from bot.ledger.records import IncidentRow
from bot.ledger.scope import Scope
from bot.ledger.service import Ledger
from render import ledger_chart
from render.ledger_chart import ChartData, chart_data, chart_png, render
from render.renderer import Renderer
from tests.support.chart import png_size, quietly

ROOT = Path(__file__).resolve().parents[2]
CN = ZoneInfo("Asia/Shanghai")
Q3 = between(date(2026, 7, 1), date(2026, 9, 30), CN)
H = timedelta(hours=1)


def incident(day: date, severity: str | None, ack: timedelta | None) -> IncidentRow:
    """An incident reported at 10:00 on `day`, acknowledged after `ack` (None: never)."""
    reported = datetime(day.year, day.month, day.day, 10, tzinfo=CN).astimezone(UTC)
    return IncidentRow(
        id=1,
        ref="INC-1",
        kind="information" if severity is None else "network_security",
        severity=severity,
        status="open",
        reporter="Mei",
        reported_at=reported,
        ack_limit_at=None,
        acknowledged_at=reported + ack if ack else None,
        needs_secretary_ack=False,
        secretary_ack_at=None,
        escalation_level=0,
        reported_upward_at=None,
        contained_at=None,
        closed_at=None,
    )


def owed(kind: MeetingKind, end: date, state: str, clause: str = "R3") -> Obligation:
    """An obligation ending on `end`, met or not."""
    return Obligation(
        clause, kind, end.isoformat(), end.replace(day=1), end, 1, int(state == "met"), state
    )


def book_of(
    period: LedgerPeriod,
    incidents: list[IncidentRow],
    obligations: list[Obligation],
    lapses: list[Lapse],
) -> Ledger:
    """A ledger holding just these incidents, obligations and lapses."""
    return Ledger(
        period=period,
        scope=Scope(1, True, frozenset()),
        now=period.end,
        incidents=incidents,
        events=[],
        meetings=[],
        obligations=obligations,
        lapses=lapses,
        incident_figures=incident_figures(incidents),
        event_figures=event_figures([], {}, period),
        steps=[],
        reminders=[],
    )


def a_quarter() -> Ledger:
    """The third quarter of 2026: four incidents, study sessions met and due, two lapses."""
    study = MeetingKind.STUDY
    return book_of(
        Q3,
        [
            incident(date(2026, 7, 2), "major", 2 * H),
            incident(date(2026, 7, 30), "major", 4 * H),
            incident(date(2026, 7, 31), "critical", None),
            incident(date(2026, 9, 1), None, H),
        ],
        [
            owed(study, date(2026, 7, 31), "met"),
            owed(study, date(2026, 8, 31), "short"),
            owed(study, date(2026, 9, 30), "open"),
            owed(study, date(2026, 6, 30), "unkept"),
            owed(MeetingKind.DEDICATED, date(2026, 12, 31), "short", "R2"),
        ],
        [
            Lapse("secretary_ack_missing", Q3.start, "INC-1", None),
            Lapse("study_missing", Q3.end, "2026-08", None),
        ],
    )


def test_figures_per_month_obligations_due_and_lapses_per_clause() -> None:
    """What the chart draws: incidents per month by severity, the median time to acknowledge,
    obligations due and met, lapses per clause."""
    data = chart_data(a_quarter())
    assert data.months == [(2026, 7), (2026, 8), (2026, 9)]
    assert data.incidents == {
        "critical": [1, 0, 0],
        "major": [2, 0, 0],
        "general": [0, 0, 0],
        "": [0, 0, 1],
    }
    assert data.to_acknowledge == [3.0, None, 1.0]  # the median of 2 h and 4 h; never counted
    # Open and unkept periods are not due; the year's dedicated meetings belong to December.
    assert data.obligations[MeetingKind.STUDY] == (1, 2)
    assert data.obligations[MeetingKind.DEDICATED] == (0, 0)
    assert data.lapses == {"C2": 1, "R2": 1, "R3": 1}  # the secretary's lapse touches R2 and C2


def test_the_png_in_both_languages() -> None:
    """The chart is a 1200×900 PNG in either language, each its own."""
    book = a_quarter()
    pictures = {
        loc: quietly(lambda r: chart_png(book, r), Renderer(loc, CN)) for loc in ("zh_CN", "en")
    }
    assert {png_size(png) for png in pictures.values()} == {(1200, 900)}
    assert pictures["zh_CN"] != pictures["en"]


def test_an_empty_period_and_many_months() -> None:
    """Nothing to draw, or more than a year of months: still a whole picture."""
    for period in (Q3, between(date(2025, 11, 20), date(2027, 2, 3), CN)):
        data = chart_data(book_of(period, [], [], []))
        assert not any(sum(counts) for counts in data.incidents.values())
        for locale in ("zh_CN", "en"):
            assert png_size(quietly(lambda r, d=data: render(d, r), Renderer(locale, CN))) == (
                1200,
                900,
            )


def test_the_chinese_words_are_drawn_with_the_shipped_font_only() -> None:
    """The fallback (DejaVu Sans) has no Chinese glyph: were the subset not used, `quietly`
    would catch matplotlib's "Glyph … missing" warnings."""
    assert ledger_chart.FAMILY[0] == "Noto Sans SC DutyDesk"
    assert ledger_chart.FONT.stat().st_size < 400_000
    data: ChartData = chart_data(a_quarter())
    quietly(lambda r: render(data, r), Renderer("zh_CN", CN))


def test_a_glyph_the_subset_lacks_is_drawn_with_dejavu_sans() -> None:
    """A value outside the catalogue (a Greek letter, the euro) still draws: glyph by glyph
    fallback, not boxes."""
    assert not {ord(c) for c in "Ω€∑"} & set(TTFont(ledger_chart.FONT).getBestCmap())

    def draw(r: Renderer) -> bytes:
        figure = Figure()
        FigureCanvasAgg(figure)
        figure.text(0.5, 0.5, r.plain("Q1 {year}", year="Ω€∑"), fontfamily=ledger_chart.FAMILY)
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()

    quietly(draw, Renderer("zh_CN", CN))


def chinese_characters() -> set[str]:
    """Every character of every zh_CN msgstr, and the month and date words Babel writes."""
    with (ROOT / "locales/zh_CN/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    text = "".join(
        s
        for m in catalog
        if m.id
        for s in (m.string if isinstance(m.string, tuple) else (m.string,))
    )
    for month in range(1, 13):
        day = date(2026, month, 28)
        text += format_skeleton("MMM", day, locale="zh_CN") + format_date(day, "long", "zh_CN")
    return {c for c in text if not unicodedata.category(c).startswith("C")}


def test_the_font_holds_every_character_of_the_chinese_catalogue() -> None:
    """The shipped font draws every character of the Chinese catalogue (else: `make font`)."""
    cmap = TTFont(ledger_chart.FONT).getBestCmap()
    lacking = sorted(c for c in chinese_characters() if ord(c) not in cmap)
    assert lacking == [], (
        f"the chart's font lacks {''.join(lacking)!r}: run `make font` (tools/subset_font.py)"
    )


def test_threads_draw_the_same_picture() -> None:
    """The chart is drawn in worker threads (asyncio.to_thread): no shared figure state."""
    book = a_quarter()
    readers = [Renderer(loc, CN) for loc in ("zh_CN", "en")] * 4
    alone = {r.locale: chart_png(book, r) for r in readers[:2]}
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda r: (r.locale, chart_png(book, r)), readers))
    assert all(png == alone[locale] for locale, png in together)
