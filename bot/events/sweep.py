"""Reminders and lapses of event requests (R6), as a query plus stamps, idempotent per run.

- pending decisions remind the approvers each working morning, and reach the deputy after the
  policy's number of working days (L2);
- an approved event not yet filed reminds the office when the filing deadline arrives, and the
  deputy a day later;
- the organiser of a cleared event is reminded the day before;
- an event whose date passes without clearance is a lapse against R6, recorded once and told
  to the leadership.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.buttons import EventAction
from bot.deps import Deps
from bot.events import own_case
from bot.events.acting import tell_appointees
from bot.events.cards import approver_buttons, event_button
from bot.events.models import OPEN, EventRequest, EventStatus
from bot.events.service import approvers
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.outbox.service import Button
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import people_with_role
from bot.policy.worktime import add_working_minutes, workdays_of

BATCH = 200


def _working_morning(deps: Deps, now: datetime) -> bool:
    local = now.astimezone(deps.zone)
    hours = deps.policy.working_hours
    return workdays_of(deps.policy)(local.date()) and local.time() >= hours.start


async def sweep(deps: Deps) -> int:
    now = deps.clock.now()
    acted = 0
    async with deps.db.transaction() as session:
        acted += await _decision_overdue(session, deps, now)
        acted += await _decision_reminders(session, deps, now)
        acted += await _filing(session, deps, now)
        acted += await _eve(session, deps, now)
        acted += await _lapses(session, deps, now)
        acted += await _followups(session, deps, now)
        acted += await tell_appointees(session, deps, now)
    return acted


FOLLOWUP_AFTER = timedelta(hours=3)


async def _followups(session: AsyncSession, deps: Deps, now: datetime) -> int:
    """A few hours after a cleared event: the organiser is asked how it went (C7 needs it)."""
    rows = list(
        await session.scalars(
            select(EventRequest)
            .where(
                EventRequest.status == EventStatus.CLEARED,
                EventRequest.followup_asked_at.is_(None),
                EventRequest.starts_at <= now - FOLLOWUP_AFTER,
            )
            # Oldest first, in the order of ix_event_requests_followup_due: ORDER BY id made
            # PostgreSQL walk all 50,000 events by primary key when none was due (32.6 ms of a
            # 33 ms sweep; 0.3 ms this way; docs/decisions/006-performance.md, bench/sweep.py).
            .order_by(EventRequest.starts_at, EventRequest.id)
            .limit(BATCH)
        )
    )
    for event in rows:
        event.followup_asked_at = now
        organiser = await session.get(Person, event.organiser_id)
        if organiser is not None and not organiser.active:  # left: the requester answers
            organiser = await session.get(Person, event.requester_id)
        if organiser is None:
            continue
        outbox.notify_person(
            session,
            now=now,
            person=organiser,
            template="event.followup",
            params=_params(event),
            buttons=[
                [event_button(N_("Held as planned"), EventAction.HELD, event)],
                [event_button(N_("Held, with an incident"), EventAction.HELD_WITH_INCIDENT, event)],
                [event_button(N_("Not held"), EventAction.NOT_HELD, event)],
            ],
        )
    return len(rows)


def _params(event: EventRequest) -> dict[str, object]:
    return {"ref": event.ref, "title": event.title, "starts_at": event.starts_at.isoformat()}


def _tell(
    session: AsyncSession,
    now: datetime,
    people: list[Person],
    template: str,
    event: EventRequest,
    buttons: list[list[Button]] | None = None,
    **extra: object,
) -> None:
    """The same notice about `event` to each of `people`."""
    for person in people:
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template=template,
            params={**_params(event), **extra},
            buttons=buttons,
        )


async def _decision_overdue(session: AsyncSession, deps: Deps, now: datetime) -> int:
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
        _tell(
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


async def _decision_reminders(session: AsyncSession, deps: Deps, now: datetime) -> int:
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
        _tell(
            session,
            now,
            own_case.split(event, people)[0],
            "event.decision_reminder",
            event,
            approver_buttons(event),
        )
    return len(rows)


async def _filing(session: AsyncSession, deps: Deps, now: datetime) -> int:
    """R6: approved but not yet filed when the filing deadline comes: the office; a day later,
    still not filed: the deputy."""
    deadline = timedelta(days=deps.policy.events.filing_deadline_days)
    # Only those with something to do now: the reminded ones waiting out their day hid every
    # newer one, as the escalated ones did before (docs/decisions/006-performance.md).
    rows = list(
        await session.scalars(
            select(EventRequest)
            .where(
                EventRequest.status == EventStatus.APPROVED,
                EventRequest.starts_at <= now + deadline,
                EventRequest.filing_escalated_at.is_(None),
                or_(
                    EventRequest.filing_reminded_at.is_(None),
                    EventRequest.filing_reminded_at <= now - timedelta(days=1),
                ),
            )
            .order_by(EventRequest.id)
            .limit(BATCH)
        )
    )
    holders: dict[Role, list[Person]] = {}  # each role read once per sweep, not per event
    for event in rows:
        if event.filing_reminded_at is None:
            event.filing_reminded_at = now
            role, template = Role.OFFICE, "event.filing_due"
        else:
            event.filing_escalated_at = now
            role, template = Role.DEPUTY, "event.filing_overdue"
        if role not in holders:
            holders[role] = await people_with_role(session, role)
        _tell(session, now, holders[role], template, event)
    return len(rows)


async def _eve(session: AsyncSession, deps: Deps, now: datetime) -> int:
    rows = list(
        await session.scalars(
            select(EventRequest)
            .where(
                EventRequest.status == EventStatus.CLEARED,
                EventRequest.eve_reminded_at.is_(None),
                EventRequest.starts_at <= now + timedelta(days=1),
                EventRequest.starts_at > now,
            )
            .order_by(EventRequest.id)
            .limit(BATCH)
        )
    )
    for event in rows:
        event.eve_reminded_at = now
        organiser = await session.get(Person, event.organiser_id)
        if organiser is not None:
            outbox.notify_person(
                session, now=now, person=organiser, template="event.eve", params=_params(event)
            )
    return len(rows)


async def _lapses(session: AsyncSession, deps: Deps, now: datetime) -> int:
    """R6: held, or at least dated, without approval and filing: proven by the records."""
    rows = list(
        await session.scalars(
            select(EventRequest)
            .where(
                EventRequest.status.in_([*OPEN, EventStatus.APPROVED]),
                EventRequest.lapsed_at.is_(None),
                EventRequest.starts_at <= now,
            )
            .order_by(EventRequest.id)
            .limit(BATCH)
        )
    )
    leaders = await people_with_role(session, Role.SECRETARY) + await people_with_role(
        session, Role.DEPUTY
    )
    for event in rows:
        event.lapsed_at = now
        record(
            session,
            at=now,
            action="event.lapse",
            subject_type="event",
            subject_id=event.id,
            clause="R6",
            status=event.status,
        )
        _tell(session, now, leaders, "event.lapse", event, status=event.status)
    return len(rows)
