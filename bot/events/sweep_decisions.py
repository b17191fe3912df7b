"""The events' sweep for decisions that wait (R6, L2): the approvers are reminded each working
morning, and a decision pending past the policy's working days goes to the deputy, once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.events import own_case
from bot.events.cards import approver_buttons
from bot.events.models import EventRequest, EventStatus
from bot.events.service import approvers
from bot.events.sweep_notice import BATCH, tell
from bot.people.directory import people_with_role
from bot.people.roles import Role
from bot.policy.worktime import add_working_minutes, workdays_of


def _working_morning(deps: Deps, now: datetime) -> bool:
    """A working day (the policy's), from the start of its working hours on."""
    local = now.astimezone(deps.zone)
    hours = deps.policy.working_hours
    return workdays_of(deps.policy)(local.date()) and local.time() >= hours.start


async def overdue(session: AsyncSession, deps: Deps, now: datetime) -> int:
    """L2: a decision pending past the policy's working days goes to the deputy, once."""
    hours = deps.policy.working_hours
    day_minutes = (
        datetime.combine(now.date(), hours.end) - datetime.combine(now.date(), hours.start)
    ).seconds // 60
    minutes = deps.policy.events.decision_reminder_working_days * day_minutes
    # Working time passes no faster than the clock: a request younger than `minutes` cannot be
    # due. Filtering on the stamp in SQL keeps the escalated ones from hiding newer ones
    # (docs/decisions/006-performance.md); oldest first, as they fall due.
    rows = list(
        await session.scalars(
            select(EventRequest)
            .where(
                EventRequest.status == EventStatus.PENDING,
                EventRequest.deputy_escalated_at.is_(None),
                EventRequest.requested_at <= now - timedelta(minutes=minutes),
            )
            .order_by(EventRequest.requested_at, EventRequest.id)
            .limit(BATCH)
        )
    )
    workdays = workdays_of(deps.policy)
    due = [
        e
        for e in rows
        if now >= add_working_minutes(e.requested_at, minutes, deps.zone, hours, workdays)
    ]
    deputies = await people_with_role(session, Role.DEPUTY) if due else []
    for event in due:
        event.deputy_escalated_at = now
        # R6: a deputy who made or organises it is not asked to decide it.
        tell(
            session,
            now,
            own_case.split(event, deputies)[0],
            "event.decision_overdue",
            event,
            approver_buttons(event),
        )
        record(
            session,
            at=now,
            action="event.decision_overdue",
            subject_type="event",
            subject_id=event.id,
            clause="L2",
        )
    return len(due)


async def reminders(session: AsyncSession, deps: Deps, now: datetime) -> int:
    """Each working morning, the approvers are reminded of what waits for them (R6, L2):
    once a day per request, not on the day it was submitted."""
    if not _working_morning(deps, now):
        return 0
    local = now.astimezone(deps.zone)
    midnight = datetime.combine(local.date(), time(), deps.zone)
    # Stamped today drops out of the query, so a second batch follows the first
    # (docs/decisions/006-performance.md).
    rows = list(
        await session.scalars(
            select(EventRequest)
            .where(
                EventRequest.status == EventStatus.PENDING,
                EventRequest.requested_at < midnight,
                or_(
                    EventRequest.approver_reminded_at.is_(None),
                    EventRequest.approver_reminded_at < midnight,
                ),
            )
            .order_by(EventRequest.id)
            .limit(BATCH)
        )
    )
    if not rows:
        return 0
    people = await approvers(session, deps)
    for event in rows:
        event.approver_reminded_at = now
        tell(
            session,
            now,
            own_case.split(event, people)[0],
            "event.decision_reminder",
            event,
            approver_buttons(event),
        )
    return len(rows)
