"""Pure rules: discovery moments as people type them, working time, policy."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.incidents.rules import parse_when
from bot.policy.load import PolicyError, parse
from bot.policy.schema import WorkingHours
from bot.policy.worktime import add_working_minutes

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2026-11-24 09:30", datetime(2026, 11, 24, 9, 30, tzinfo=SH), "minute"),
        ("11/23 10:30", datetime(2026, 11, 23, 10, 30, tzinfo=SH), "minute"),
        ("2026年11月24日 9:05", datetime(2026, 11, 24, 9, 5, tzinfo=SH), "minute"),
        ("11月23日10时30分", datetime(2026, 11, 23, 10, 30, tzinfo=SH), "minute"),
        ("9：30", datetime(2026, 11, 24, 9, 30, tzinfo=SH), "minute"),
        ("11-20", datetime(2026, 11, 20, 0, 0, tzinfo=SH), "day"),
    ],
)
def test_moments_people_type(text: str, expected: datetime, precision: str) -> None:
    assert parse_when(text, NOW, SH) == (expected, precision)


@pytest.mark.parametrize("text", ["10:30", "2026-11-25", "2027-01-01 08:00"])
def test_future_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="future"):
        parse_when(text, NOW, SH)


@pytest.mark.parametrize("text", ["yesterday-ish", "2026-13-01", "25:00", ""])
def test_unreadable_is_explained(text: str) -> None:
    with pytest.raises(InvalidInput, match="could not read"):
        parse_when(text, NOW, SH)


def test_working_minutes_skip_nights_and_weekends() -> None:
    hours = WorkingHours()
    friday_4pm = datetime(2026, 11, 27, 16, 0, tzinfo=SH)
    assert add_working_minutes(friday_4pm, 240, SH, hours) == datetime(
        2026, 11, 30, 11, 30, tzinfo=SH
    )
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=SH)
    assert add_working_minutes(saturday, 30, SH, hours) == datetime(2026, 11, 30, 9, 30, tzinfo=SH)
    with pytest.raises(ValueError, match="no working day"):
        add_working_minutes(saturday, 30, SH, hours, is_workday=lambda d: False)


def test_policy_errors_name_file_key_and_fault() -> None:
    with pytest.raises(PolicyError) as err:
        parse("[incidents.acknowledge]\nmajor = { minutes = -3 }\n[incidnets]\n", "p.toml")
    assert str(err.value).splitlines() == [
        "p.toml: incidents.acknowledge.major.minutes: Input should be greater than 0",
        "p.toml: incidnets: Extra inputs are not permitted",
    ]
    with pytest.raises(PolicyError, match=r"p.toml: incidents.routing: .*unknown role 'boss'"):
        parse('[incidents.routing]\ninformation = ["boss"]\n', "p.toml")
    with pytest.raises(PolicyError, match="not valid TOML"):
        parse("[[[", "p.toml")


def test_official_calendar_spring_festival_2026_with_its_make_up_saturday() -> None:
    """Policy default: China's holidays and make-up working days (调休), from `holidays`."""
    hours = WorkingHours()
    friday = datetime(2026, 2, 13, 16, 0, tzinfo=SH)
    # Saturday 14 February 2026 is a make-up working day: 1.5 h Friday + 2.5 h Saturday.
    assert add_working_minutes(friday, 240, SH, hours) == datetime(2026, 2, 14, 11, 30, tzinfo=SH)
    # From the eve (16 Feb) the next working day is Tuesday 24 February.
    assert add_working_minutes(datetime(2026, 2, 16, 10, 0, tzinfo=SH), 30, SH, hours) == (
        datetime(2026, 2, 24, 9, 30, tzinfo=SH)
    )
    plain = WorkingHours(holidays="")  # a policy may opt out of the official calendar
    assert add_working_minutes(friday, 240, SH, plain) == datetime(2026, 2, 16, 11, 30, tzinfo=SH)
