"""The policy file: the regulation's defaults, and exact errors for what is wrong (file, key,
fault). A broken policy never loads (R2, R3, A2, A3, L4, R6)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.policy.load import PolicyError, load, parse
from bot.policy.store import diff


def error(text: str) -> str:
    with pytest.raises(PolicyError) as err:
        parse(text, "org.toml")
    return str(err.value)


def test_the_default_is_the_regulation() -> None:
    p = load(None)
    cal = p.calendar
    assert [t.name for t in cal.quarterly_review.topics] == [  # A2, word for word
        "思想理论",
        "新闻舆论",
        "社会舆论",
        "思想道德",
        "网上舆论",
    ]
    assert cal.dedicated_meetings.minimum_per_year == 2  # R2
    assert cal.study_sessions.every == "month"  # R3
    clauses = [
        cal.quarterly_review.clause,
        cal.dedicated_meetings.clause,
        cal.study_sessions.clause,
        cal.sensitive_dates.clause,
    ]
    assert clauses == ["A2", "R2", "R3", "A3"]
    national = next(d for d in cal.sensitive_dates.dates if d.key == "national-day")
    assert national.day_in(2031) == date(2031, 10, 1)
    spring = next(d for d in cal.sensitive_dates.dates if d.key == "spring-festival")
    assert (spring.day_in(2027), spring.day_in(2031)) == (date(2027, 2, 6), None)
    assert p.working_hours.time_zone == "Asia/Shanghai"


def test_exact_errors() -> None:
    assert error('[calendar]\nsend_at = "08:00"') == (
        "org.toml: calendar.send_at 08:00 is outside working hours 09:00–17:30"
    )
    assert error('[calendar.study_sessions]\nevery = "fortnight"') == (
        "org.toml: calendar.study_sessions.every: Input should be 'week', 'month' or 'quarter'"
    )
    assert error("[calendar.dedicated_meetings]\nminimum_per_yaer = 3") == (
        "org.toml: calendar.dedicated_meetings.minimum_per_yaer: Extra inputs are not permitted"
    )
    assert (
        error(
            '[calendar.sensitive_dates]\ndates = [{ key = "x", name = "某日", name_en = "Day", '
            'on = "02-30" }]'
        )
        == "org.toml: calendar.sensitive_dates.dates.0.on: '02-30' is not a day of the year"
    )
    assert (
        error(
            '[calendar.sensitive_dates]\ndates = [{ key = "x", name = "某日", name_en = "Day", '
            'on = { 2027 = "02-29" } }]'
        )
        == "org.toml: calendar.sensitive_dates.dates.0.on: '02-29' is not a day of the year"
    )
    twice = '{ key = "a", name = "甲", name_en = "A", on = "05-04" }'
    assert error(f"[calendar.sensitive_dates]\ndates = [{twice}, {twice}]") == (
        "org.toml: calendar.sensitive_dates: date 'a' is listed twice"
    )
    assert error('[calendar.digest]\nnotify = ["everyone"]') == (
        "org.toml: calendar.digest.notify.0: Input should be 'org_group', 'leadership_group', "
        "'secretary', 'deputy', 'office' or 'emergency_office'"
    )
    assert error('[working_hours]\ntime_zone = "Mars/Olympus"') == (
        "org.toml: working_hours.time_zone: 'Mars/Olympus' is not a known time zone, e.g. "
        "Asia/Shanghai"
    )
    assert error('[working_hours]\nholidays = "XX"') == (
        "org.toml: working_hours.holidays: 'XX' is not a country the holiday calendar knows, "
        "e.g. CN"
    )
    assert error("[calendar.quarterly_review]\nremind_days_before_end = [0]") == (
        "org.toml: calendar.quarterly_review.remind_days_before_end: 0 is not between 1 and 80 days"
    )
    assert error("[calendar\nsend_at = 1").startswith("org.toml: not valid TOML: ")


def test_every_error_at_once() -> None:
    lines = error("[calendar]\nlate_after_minutes = 0\n[events]\nlead_days = -1").splitlines()
    assert lines == [
        "org.toml: events.lead_days: Input should be greater than or equal to 0",
        "org.toml: calendar.late_after_minutes: Input should be greater than or equal to 1",
    ]


def test_diff_names_each_changed_key() -> None:
    old = load(None)
    new = parse(
        '[calendar]\nsend_at = "10:00"\n[calendar.dedicated_meetings]\nminimum_per_year = 3\n'
        '[calendar.sensitive_dates]\ndates = [{ key = "national-day", name = "国庆节", '
        'name_en = "National Day", on = "10-01", days_ahead = 14 }]',
        "new.toml",
    )
    changes = {c.key: (c.old, c.new) for c in diff(old, new)}
    assert changes["calendar.send_at"] == ("09:30:00", "10:00:00")
    assert changes["calendar.dedicated_meetings.minimum_per_year"] == ("2", "3")
    assert changes["calendar.sensitive_dates.dates[national-day].days_ahead"] == ("10", "14")
    assert changes["calendar.sensitive_dates.dates[may-fourth].on"] == ("05-04", "—")
    assert diff(old, load(None)) == []
