"""The ledger's chart of a year of records: its figures by hand, and pictures of three periods.

The year is tests/services/ledger_year.py; each expectation is computed from its docstring.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.calendar.models import MeetingKind
from bot.clock import MovableClock
from bot.deps import Deps
from bot.ledger import service as ledger
from bot.ledger.period import between
from render.ledger_chart import chart_data, chart_png
from render.renderer import Renderer
from standin.ledger_year import CN, SHU, a_year, at
from tests.support.chart import png_size, quietly
from tests.support.year_book import year_book

A2, R2, R3, A3 = (
    MeetingKind.QUARTERLY_REVIEW,
    MeetingKind.DEDICATED,
    MeetingKind.STUDY,
    MeetingKind.FORWARD_ANALYSIS,
)


def by_month(**months: int) -> list[int]:
    """Twelve monthly counts: by_month(feb=1, nov=1)."""
    names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    return [months.get(name, 0) for name in names]


async def test_the_years_chart(deps: Deps, clock: MovableClock) -> None:
    """The year's chart: incidents per month by severity, time to acknowledge, obligations and
    lapses."""
    book = await year_book(deps, clock)
    data = chart_data(book)
    assert data.months == [(2026, m) for m in range(1, 13)]
    assert data.incidents == {
        "critical": by_month(apr=1),  # I2
        "major": by_month(feb=1, nov=1),  # I1, I5
        "general": by_month(sep=1),  # I4
        "": by_month(jul=1),  # I3, an information report
    }
    # I1 after 20 min, I2 after 40 min, I3 after 5 h, I4 after 6 h; I5 never.
    assert data.to_acknowledge == [
        None,
        pytest.approx(1 / 3),
        None,
        pytest.approx(2 / 3),
        None,
        None,
        5.0,
        None,
        6.0,
        None,
        None,
        None,
    ]
    # A2: no review in Q2; R2: 1 of 2 meetings, so the year is short; R3: all but August and
    # November; A3: four of the eight dates prepared.
    assert data.obligations == {A2: (3, 4), R2: (0, 1), R3: (10, 12), A3: (4, 8)}
    # The 17 lapses by the clauses they touch: L4 ×3 (I2, I4 late, I5 never); R2 and C2 ×2
    # (the secretary, I2 and I5), R2 once more (dedicated meetings); C8 and P3 ×2 (I2, I5);
    # R6 ×2 (E3, E5); A2 Q2; R3 August and November; A3 ×4.
    assert data.lapses == {
        "A2": 1,
        "A3": 4,
        "C2": 2,
        "C8": 2,
        "L4": 3,
        "P3": 2,
        "R2": 3,
        "R3": 2,
        "R6": 2,
    }
    for locale in ("zh_CN", "en"):
        assert png_size(quietly(lambda r: chart_png(book, r), Renderer(locale, CN))) == (1200, 900)


async def test_a_quarter_and_chosen_dates(deps: Deps, clock: MovableClock) -> None:
    """A quarter's chart counts only its months, its obligations and its lapses."""
    await a_year(deps, clock)
    clock.set(at(1, 10, year=2027))
    q2 = chart_data(await ledger.build(deps, SHU, between(date(2026, 4, 1), date(2026, 6, 30), CN)))
    assert q2.months == [(2026, 4), (2026, 5), (2026, 6)]
    assert q2.incidents["critical"] == [1, 0, 0] and q2.to_acknowledge[1:] == [None, None]
    # The year's dedicated meetings belong to December; Party Founding (July 1) to Q3.
    assert q2.obligations == {A2: (0, 1), R2: (0, 0), R3: (3, 3), A3: (0, 1)}
    assert q2.lapses == {"A2": 1, "A3": 1, "C2": 1, "C8": 1, "L4": 1, "P3": 1, "R2": 1, "R6": 1}

    # Across the new year: January 2027's study session is still open, so not yet due.
    book = await ledger.build(deps, SHU, between(date(2026, 11, 15), date(2027, 1, 10), CN))
    span = chart_data(book)
    assert span.months == [(2026, 11), (2026, 12), (2027, 1)]
    assert span.incidents["major"] == [1, 0, 0] and span.to_acknowledge == [None] * 3  # I5
    assert span.obligations == {A2: (1, 1), R2: (0, 1), R3: (1, 2), A3: (1, 1)}
    assert span.lapses == {"C2": 1, "C8": 1, "L4": 1, "P3": 1, "R2": 2, "R3": 1}
    for locale in ("zh_CN", "en"):
        r = Renderer(locale, CN)
        assert png_size(quietly(lambda r: chart_png(book, r), r)) == (1200, 900)


async def test_a_period_without_records(deps: Deps, clock: MovableClock) -> None:
    """A period without records still draws a whole chart."""
    book = await ledger.build(deps, SHU, between(date(2026, 11, 1), date(2026, 11, 24), CN))
    data = chart_data(book)
    assert data.months == [(2026, 11)] and data.lapses == {}
    assert data.obligations == {A2: (0, 0), R2: (0, 0), R3: (0, 0), A3: (0, 0)}
    assert png_size(quietly(lambda r: chart_png(book, r), Renderer("zh_CN", CN))) == (1200, 900)
