"""Figures the calendar's messages carry: the weekly digest, and A1's collected information."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar import obligations
from bot.calendar.models import Meeting, MeetingKind
from bot.calendar.schedule import Due, Period, dues_around
from bot.deps import Deps
from bot.events.models import EventRequest, EventStatus
from bot.incidents.models import Incident
from bot.policy.schema import Kind

REMINDERS = {"quarter_reminder", "dedicated_reminder", "study_reminder", "sensitive"}


async def last_review_before(session: AsyncSession, deps: Deps, period: Period) -> datetime | None:
    """The end of the day of the latest quarterly review held before this period (A1)."""
    held_on = await session.scalar(
        select(func.max(Meeting.held_on)).where(
            Meeting.kind == MeetingKind.QUARTERLY_REVIEW, Meeting.held_on < period.start
        )
    )
    if held_on is None:
        return None
    return datetime.combine(held_on + timedelta(1), time(0), deps.zone)


async def information_ids(session: AsyncSession, deps: Deps, period: Period) -> list[int]:
    """A1: information reports filed since the last review, up to the end of this period."""
    since = await last_review_before(session, deps, period)
    until = datetime.combine(period.end + timedelta(1), time(0), deps.zone)
    query = select(Incident.id).where(
        Incident.kind == Kind.INFORMATION, Incident.reported_at < until
    )
    if since is not None:
        query = query.where(Incident.reported_at >= since)
    return list(await session.scalars(query.order_by(Incident.id)))


async def information_since(session: AsyncSession, deps: Deps, period: Period) -> int:
    """A1: how many information reports `information_ids` finds for this period."""
    return len(await information_ids(session, deps, period))


async def figures(session: AsyncSession, deps: Deps, due: Due) -> dict[str, Any]:
    """Open incidents, pending approvals, and what falls due in the next weeks."""
    now = due.due_at
    open_ = Incident.status != "closed"
    rows = await session.execute(
        select(Incident.severity, func.count(Incident.id)).where(open_).group_by(Incident.severity)
    )
    by_severity = {sev or "information": n for sev, n in rows}
    unacknowledged = await session.scalar(
        select(func.count(Incident.id)).where(open_, Incident.acknowledged_at.is_(None))
    )
    pending = await session.scalar(
        select(func.count(EventRequest.id)).where(
            EventRequest.status.in_([EventStatus.IN_REVIEW, EventStatus.PENDING])
        )
    )
    unfiled = await session.scalar(
        select(func.count(EventRequest.id)).where(EventRequest.status == EventStatus.APPROVED)
    )
    return {
        "open": by_severity,
        "unacknowledged": int(unacknowledged or 0),
        "pending": int(pending or 0),
        "unfiled": int(unfiled or 0),
        "upcoming": await upcoming(session, deps, now, deps.policy.calendar.digest.look_ahead_days),
    }


async def upcoming(
    session: AsyncSession, deps: Deps, now: datetime, days: int
) -> list[dict[str, Any]]:
    """Reminders of unmet obligations falling due within `days`, soonest first (at most 10)."""
    horizon = now + timedelta(days=days)
    local = now.astimezone(deps.zone).date()
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for due in sorted(dues_around(deps.policy, deps.zone, local), key=lambda d: d.due_at):
        if due.obligation not in REMINDERS or not now <= due.due_at < horizon:
            continue
        what = due.period.key if due.obligation != "sensitive" else due.key
        if what in seen or not await obligations.needed(session, deps.policy, due):
            continue
        seen.add(what)
        items.append(describe(due))
        if len(items) == 10:
            break
    return items


def describe(due: Due) -> dict[str, Any]:
    """An obligation as data a renderer can name in any language."""
    item: dict[str, Any] = {
        "obligation": due.obligation.split("_")[0],
        "unit": due.period.unit,
        "start": due.period.start.isoformat(),
        "end": due.period.end.isoformat(),
        "due": due.due_at.isoformat(),
    }
    if due.obligation == "sensitive":
        item.update(name=due.extra["name"], name_en=due.extra["name_en"], on=due.extra["on"])
    return item
