"""A year the installed holiday calendar does not know: the policy's extra days, and December's
warning to the admins (bot/calendar/holidays_check.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.calendar.holidays_check import unknown_year
from bot.policy.load import PolicyError, load, parse
from bot.policy.worktime import add_working_minutes, workdays_of

NOTICE_2041 = """[calendar]
extra_working_days = [2041-06-08, "2041-06-09"]
extra_days_off = [2041-06-04]
"""


def test_the_notice_entered_in_the_policy_moves_working_days() -> None:
    policy = parse(NOTICE_2041, "org.toml")
    is_workday = workdays_of(policy)
    assert is_workday(date(2041, 6, 9))  # a Sunday worked
    assert not is_workday(date(2041, 6, 4))  # a Tuesday off, after the Dragon Boat Festival
    assert is_workday(date(2041, 6, 5)) and not is_workday(date(2041, 6, 3))  # as before
    assert not workdays_of(load(None))(date(2041, 6, 9))
    # A working-time limit from Saturday 10:00 runs on that worked Saturday.
    start = datetime(2041, 6, 8, 2, 0, tzinfo=UTC)
    hours, zone = policy.working_hours, policy.working_hours.zone
    assert add_working_minutes(start, 60, zone, hours, is_workday) == datetime(
        2041, 6, 8, 3, 0, tzinfo=UTC
    )


def test_a_day_both_worked_and_off_is_refused() -> None:
    with pytest.raises(PolicyError, match="2041-06-04 is both an extra working day"):
        parse(
            "[calendar]\nextra_working_days = [2041-06-04]\nextra_days_off = [2041-06-04]",
            "org.toml",
        )


def test_only_in_december_and_only_for_a_year_nobody_knows() -> None:
    default = load(None)
    assert unknown_year(default, date(2040, 12, 1)) == 2041
    assert unknown_year(default, date(2040, 11, 30)) is None  # not yet December
    assert unknown_year(default, date(2025, 12, 1)) is None  # 2026 is in the calendar (≥ 0.85)
    assert unknown_year(parse(NOTICE_2041, "org.toml"), date(2040, 12, 1)) is None  # entered
    plain = parse('[working_hours]\nholidays = ""', "org.toml")
    assert unknown_year(plain, date(2040, 12, 1)) is None  # Monday–Friday: nothing to know
