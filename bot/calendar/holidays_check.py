"""December: does the installed holiday calendar know next year's make-up working days?

China's make-up working days (调休) are set each year by the State Council's notice, usually in
November or December, and reach the `holidays` package in a later release. Until then the bot
would count next year's worked weekends as days off. In December, when the installed calendar
lists no make-up working day for next year (and the policy has not entered any), the admins are
told once, with what to do: update the package, or enter the notice in the policy
([calendar] extra_working_days, extra_days_off).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import metadata

from sqlalchemy.exc import IntegrityError

from bot.audit.service import record
from bot.calendar.models import CalendarState
from bot.deps import Deps
from bot.outbox import service as outbox
from bot.people.directory import people_with_role
from bot.people.roles import Role
from bot.policy.schema import Policy

TEMPLATE = "calendar.holidays_unknown"
FIRST_YEAR = 2020  # whether a country works weekends at all is read from these years on


@cache
def makeup_years(country: str, until: int) -> frozenset[int]:
    """The years up to `until` for which the installed calendar lists make-up working days."""
    import holidays

    calendar = holidays.country_holidays(country, years=range(FIRST_YEAR, until + 1))
    return frozenset(d.year for d in getattr(calendar, "weekend_workdays", ()))


def unknown_year(policy: Policy, today: date) -> int | None:
    """Next year, when it is December and nobody has its make-up working days yet; else None."""
    country, year = policy.working_hours.holidays, today.year + 1
    if today.month != 12 or not country:
        return None
    known = makeup_years(country, year)
    if not known or year in known:  # a country without make-up days, or a calendar up to date
        return None
    if any(d.year == year for d in policy.calendar.extra_working_days):
        return None  # the office entered the notice itself
    return year


async def check_next_year(deps: Deps) -> bool:
    """Tell the admins once that next year's make-up working days are missing; True if told."""
    now = deps.clock.now()
    year = unknown_year(deps.policy, now.astimezone(deps.zone).date())
    if year is None:
        return False
    name = f"holidays:{year}"
    async with deps.db.read() as session:
        if await session.get(CalendarState, name) is not None:
            return False
    version = metadata.version("holidays")
    try:
        async with deps.db.transaction() as session:
            admins = await people_with_role(session, Role.ADMIN, with_grants=False)
            if not admins:
                return False  # told when there is somebody to tell
            session.add(CalendarState(name=name, at=now))
            record(
                session,
                at=now,
                action="calendar.holidays_unknown",
                subject_type="year",
                subject_id=year,
                package=version,
            )
            params = {"year": year, "version": version}
            for admin in admins:
                outbox.notify_person(
                    session, now=now, person=admin, template=TEMPLATE, params=params
                )
    except IntegrityError:  # another scheduler told them first
        return False
    return True
