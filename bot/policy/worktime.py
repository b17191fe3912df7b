"""Working-time arithmetic: "4 working hours" from Friday 16:00 ends Monday 11:30. Pure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bot.policy.schema import Policy, WorkingHours

IsWorkday = Callable[[date], bool]


def weekdays(day: date) -> bool:
    """Monday to Friday, for a policy without an official calendar."""
    return day.weekday() < 5


@cache
def official_workdays(
    country: str,
    extra_working: frozenset[date] = frozenset(),
    extra_off: frozenset[date] = frozenset(),
) -> IsWorkday:
    """The official working days of `country` (holidays out, make-up working days in), with the
    days the policy adds for a year the installed calendar does not know yet."""
    if not country:
        base = weekdays
    else:
        import holidays

        calendar = holidays.country_holidays(country)  # years are filled in as they are asked

        def base(day: date) -> bool:
            return bool(calendar.is_working_day(day))

    if not extra_working and not extra_off:
        return base

    def is_workday(day: date) -> bool:
        return day in extra_working or (day not in extra_off and base(day))

    return is_workday


def workdays_of(policy: Policy) -> IsWorkday:
    """The policy's working days: its country's calendar and its own extra days."""
    extra = policy.calendar
    return official_workdays(
        policy.working_hours.holidays,
        frozenset(extra.extra_working_days),
        frozenset(extra.extra_days_off),
    )


def add_working_minutes(
    start: datetime,
    minutes: int,
    zone: ZoneInfo,
    hours: WorkingHours,
    is_workday: IsWorkday | None = None,
) -> datetime:
    """The moment `minutes` of working time after `start` (aware, returned in UTC)."""
    is_workday = is_workday or official_workdays(hours.holidays)
    local = start.astimezone(zone)
    remaining = timedelta(minutes=minutes)
    for _ in range(3660):  # ten years of days: a policy without working days must not hang
        day = local.date()
        day_start = datetime.combine(day, hours.start, zone)
        day_end = datetime.combine(day, hours.end, zone)
        if is_workday(day) and local < day_end:
            local = max(local, day_start)
            available = day_end - local
            if remaining <= available:
                return (local + remaining).astimezone(UTC)
            remaining -= available
        local = datetime.combine(day + timedelta(days=1), hours.start, zone)
    raise ValueError("no working day within ten years: check the working days")
