"""The ledger's periods: quarters and years in the organisation's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.ledger.period import between, chosen, from_token, parse_dates, token

SHANGHAI = CN = ZoneInfo("Asia/Shanghai")
# 1 January 2027, 07:30 in Shanghai — still 31 December 2026 in UTC.
NEW_YEAR_MORNING = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("choice", "now", "first", "last", "key"),
    [
        (
            "this_quarter",
            datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
            date(2026, 10, 1),
            date(2026, 12, 31),
            "2026-Q4",
        ),
        (
            "last_quarter",
            datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
            date(2026, 7, 1),
            date(2026, 9, 30),
            "2026-Q3",
        ),
        ("this_quarter", NEW_YEAR_MORNING, date(2027, 1, 1), date(2027, 3, 31), "2027-Q1"),
        ("last_quarter", NEW_YEAR_MORNING, date(2026, 10, 1), date(2026, 12, 31), "2026-Q4"),
        ("this_year", NEW_YEAR_MORNING, date(2027, 1, 1), date(2027, 12, 31), "2027"),
        ("last_year", NEW_YEAR_MORNING, date(2026, 1, 1), date(2026, 12, 31), "2026"),
        (
            "last_quarter",
            datetime(2026, 5, 1, tzinfo=UTC),
            date(2026, 1, 1),
            date(2026, 3, 31),
            "2026-Q1",
        ),
    ],
)
def test_quarters_and_years_follow_the_local_calendar(
    choice: str, now: datetime, first: date, last: date, key: str
) -> None:
    period = chosen(choice, now, SHANGHAI)
    assert (period.first, period.last, period.key) == (first, last, key)


def test_bounds_are_local_midnights_and_the_end_is_exclusive() -> None:
    q4 = chosen("this_quarter", datetime(2026, 11, 24, tzinfo=UTC), SHANGHAI)
    assert q4.start == datetime(2026, 9, 30, 16, 0, tzinfo=UTC)  # 1 Oct 00:00 in Shanghai
    assert q4.end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert q4.holds(datetime(2026, 12, 31, 15, 59, tzinfo=UTC))
    assert not q4.holds(datetime(2026, 12, 31, 16, 0, tzinfo=UTC))  # 1 Jan 00:00 local
    assert not q4.holds(datetime(2026, 9, 30, 15, 59, tzinfo=UTC))


def test_chosen_dates_in_either_order_and_unknown_choices() -> None:
    span = between(date(2026, 11, 24), date(2026, 11, 1), SHANGHAI)
    assert (span.first, span.last, span.key) == (
        date(2026, 11, 1),
        date(2026, 11, 24),
        "2026-11-01..2026-11-24",
    )
    with pytest.raises(ValueError, match="unknown period 'next_week'"):
        chosen("next_week", datetime(2026, 11, 24, tzinfo=UTC), SHANGHAI)


def test_typed_dates_in_either_order_and_style() -> None:
    today = date(2026, 11, 25)
    p = parse_dates("2026年6月30日至2026年4月1日", today, CN)
    assert (p.first, p.last, p.key) == (date(2026, 4, 1), date(2026, 6, 30), "2026-Q2")
    assert parse_dates("2026/1/5 - 2026.2.9", today, CN).key == "2026-01-05..2026-02-09"
    for bad in (
        "from April",
        "2026-01-01",
        "2026-02-30 2026-03-01",
        "1999-12-31 2000-01-31",
        "2026-12-01 2026-12-31",
        "2020-01-01 2026-01-01",
    ):
        with pytest.raises(InvalidInput):
            parse_dates(bad, today, CN)


def test_tokens_name_the_period_in_button_data() -> None:
    now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    for period in (
        chosen("this_quarter", now, CN),
        chosen("last_year", now, CN),
        between(date(2026, 1, 5), date(2026, 2, 9), CN),
    ):
        t = token(period)
        assert len(t) <= 17 and from_token(t, CN) == period
    assert token(between(date(2026, 1, 5), date(2026, 2, 9), CN)) == "20260105-20260209"
    for forged in ("2026-Q5", "20261301-20261302", "x", "2026-Q4:1", ""):
        assert from_token(forged, CN) is None
