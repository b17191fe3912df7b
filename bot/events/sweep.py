"""Reminders and lapses of event requests (R6), as a query plus stamps, idempotent per run.

- pending decisions remind the approvers each working morning, and reach the deputy after the
  policy's number of working days (L2: bot/events/sweep_decisions.py);
- an approved event not yet filed reminds the office when the filing deadline arrives, and the
  deputy a day later;
- the organiser of a cleared event is reminded the day before;
- an event whose date passes without clearance is a lapse against R6, recorded once and told
  to the leadership.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.buttons import EventAction
from bot.deps import Deps
from bot.events import sweep_decisions as decisions
from bot.events.acting import tell_appointees
from bot.events.cards import event_button
from bot.events.models import OPEN, EventRequest, EventStatus
from bot.events.sweep_notice import BATCH, notice_params, tell
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role


async def sweep(deps: Deps) -> int:
    """One run of the events' sweep, in one transaction: how many requests it acted on."""
    now = deps.clock.now()
    acted = 0
    async with deps.db.transaction() as session:
        acted += await decisions.overdue(session, deps, now)
        acted += await decisions.reminders(session, deps, now)
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
            params=notice_params(event),
            buttons=[
                [event_button(N_("Held as planned"), EventAction.HELD, event)],
                [event_button(N_("Held, with an incident"), EventAction.HELD_WITH_INCIDENT, event)],
                [event_button(N_("Not held"), EventAction.NOT_HELD, event)],
            ],
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
        tell(session, now, holders[role], template, event)
    return len(rows)


async def _eve(session: AsyncSession, deps: Deps, now: datetime) -> int:
    """The organiser of a cleared event is reminded the day before (R6)."""
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
                session,
                now=now,
                person=organiser,
                template="event.eve",
                params=notice_params(event),
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
        tell(session, now, leaders, "event.lapse", event, status=event.status)
    return len(rows)
