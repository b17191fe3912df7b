"""The records a ledger is computed from, read once for a period and a reader's scope.

Only reading: figures, lapses and evidence are pure functions of these rows (figures.py,
lapses.py, evidence.py), so what the chat shows, the spreadsheet holds and the chart draws
cannot disagree. Rows are plain tuples of values, not ORM objects: a year of an office's
records (tens of thousands) loads in one pass per table. The audit trail's steps and the
calendar's sends are read by trail.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.calendar.models import MTG, CalendarState, Meeting, MeetingAttendee
from bot.db.refs import reference
from bot.events.models import EventRequest
from bot.incidents.models import Incident
from bot.ledger.period import LedgerPeriod
from bot.ledger.scope import Scope
from bot.people.models import Person


@dataclass(frozen=True)
class IncidentRow:
    id: int
    ref: str
    kind: str
    severity: str | None
    status: str
    reporter: str
    reported_at: datetime
    ack_limit_at: datetime | None  # L4: as filed; escalations do not move it
    acknowledged_at: datetime | None
    needs_secretary_ack: bool
    secretary_ack_at: datetime | None
    escalation_level: int
    reported_upward_at: datetime | None
    contained_at: datetime | None
    closed_at: datetime | None
    reported_upward_to: str | None = None  # P3: unit and name
    # By the severity in force (bot/incidents/changes.py): `acknowledged_at` above is the first
    # acknowledgement ever (as filed); after a reopening it is asked again, by a new limit.
    ack_limit_in_force_at: datetime | None = None
    acknowledged_now_at: datetime | None = None
    filed_severity: str | None = None
    severity_since: datetime | None = None
    reopen_count: int = 0


@dataclass(frozen=True)
class EventRow:
    id: int
    ref: str
    event_type: str
    title: str
    status: str
    requester: str
    organiser: str
    requested_at: datetime
    starts_at: datetime
    short_lead: bool
    decided_at: datetime | None
    filed_at: datetime | None
    filing_ref: str | None
    closed_at: datetime | None
    outcome: str | None


@dataclass(frozen=True)
class MeetingRow:
    id: int
    kind: str
    held_on: date
    title: str
    topics: list[str]
    sensitive_key: str | None
    sensitive_on: date | None
    attendees: int
    recorded_by: str
    studied: list[dict[str, Any]] = field(default_factory=list)  # R3: materials (R8, P4)
    ref: str = ""  # MTG-2026-0007


CHUNK = 2000  # rows turned into values between two awaits: other updates run in between


async def stream(session: AsyncSession, query: Any) -> AsyncIterator[Any]:
    """Rows in chunks: a period of tens of thousands of records never holds the event loop."""
    result = await session.stream(query)
    async for chunk in result.partitions(CHUNK):
        for row in chunk:
            yield row


def full_name(first: str | None, last: str | None) -> str:
    """A person's name as the ledger shows it: first and last, whichever are known."""
    return " ".join(p for p in (first, last) if p)


def incidents_within(period: LedgerPeriod, scope: Scope) -> ColumnElement[bool]:
    """The incidents of a ledger: reported within the period, within the reader's scope."""
    return and_(
        Incident.reported_at >= period.start, Incident.reported_at < period.end, scope.incidents()
    )


def events_within(period: LedgerPeriod, scope: Scope) -> ColumnElement[bool]:
    """The events of a ledger: requested or dated within the period, within the scope."""
    return and_(
        or_(
            and_(EventRequest.requested_at >= period.start, EventRequest.requested_at < period.end),
            and_(EventRequest.starts_at >= period.start, EventRequest.starts_at < period.end),
        ),
        scope.events(),
    )


async def incidents(session: AsyncSession, period: LedgerPeriod, scope: Scope) -> list[IncidentRow]:
    """Incidents reported within the period."""
    rows = stream(
        session,
        select(
            Incident.id,
            Incident.year,
            Incident.number,
            Incident.kind,
            Incident.severity,
            Incident.status,
            Person.first_name,
            Person.last_name,
            Incident.reported_at,
            Incident.ack_limit_at,
            Incident.first_acknowledged_at,
            Incident.needs_secretary_ack,
            Incident.secretary_ack_at,
            Incident.escalation_level,
            Incident.reported_upward_at,
            Incident.contained_at,
            Incident.closed_at,
            Incident.reported_upward_to,
            Incident.ack_limit_in_force_at,
            Incident.acknowledged_at,
            Incident.filed_severity,
            Incident.severity_since,
            Incident.reopen_count,
        )
        .join(Person, Person.id == Incident.reporter_id)
        .where(incidents_within(period, scope))
        .order_by(Incident.reported_at, Incident.id),
    )
    return [
        IncidentRow(i, reference("INC", y, n), kind, sev, status, full_name(first, last), *rest)
        async for i, y, n, kind, sev, status, first, last, *rest in rows
    ]


async def events(session: AsyncSession, period: LedgerPeriod, scope: Scope) -> list[EventRow]:
    """Events requested within the period, or dated within it."""
    requester, organiser = aliased(Person), aliased(Person)
    rows = stream(
        session,
        select(
            EventRequest.id,
            EventRequest.year,
            EventRequest.number,
            EventRequest.event_type,
            EventRequest.title,
            EventRequest.status,
            requester.first_name,
            requester.last_name,
            organiser.first_name,
            organiser.last_name,
            EventRequest.requested_at,
            EventRequest.starts_at,
            EventRequest.short_lead,
            EventRequest.decided_at,
            EventRequest.filed_at,
            EventRequest.filing_ref,
            EventRequest.closed_at,
            EventRequest.outcome,
        )
        .join(requester, requester.id == EventRequest.requester_id)
        .join(organiser, organiser.id == EventRequest.organiser_id)
        .where(events_within(period, scope))
        .order_by(EventRequest.requested_at, EventRequest.id),
    )
    return [
        EventRow(
            i,
            reference("EVT", y, n),
            kind,
            title,
            status,
            full_name(rf, rl),
            full_name(of, ol),
            *rest,
        )
        async for i, y, n, kind, title, status, rf, rl, of, ol, *rest in rows
    ]


async def meetings(session: AsyncSession, first: date, last: date) -> list[MeetingRow]:
    """Meetings held between two local dates, inclusive (the organisation's: shown to all)."""
    attendees = (
        select(func.count())
        .where(MeetingAttendee.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Meeting.id,
            Meeting.kind,
            Meeting.held_on,
            Meeting.title,
            Meeting.topics,
            Meeting.sensitive_key,
            Meeting.sensitive_on,
            attendees,
            Person.first_name,
            Person.last_name,
            Meeting.studied,
            Meeting.year,
            Meeting.number,
        )
        .join(Person, Person.id == Meeting.recorded_by_id)
        .where(Meeting.held_on >= first, Meeting.held_on <= last)
        .order_by(Meeting.held_on, Meeting.id)
    )
    return [
        MeetingRow(
            i,
            kind,
            on,
            title,
            topics,
            key,
            sensitive_on,
            n,
            full_name(first_name, last_name),
            list(studied or []),
            reference(MTG, year, number),
        )
        for (
            i,
            kind,
            on,
            title,
            topics,
            key,
            sensitive_on,
            n,
            first_name,
            last_name,
            studied,
            year,
            number,
        ) in rows
    ]


async def kept_since(session: AsyncSession) -> datetime | None:
    """When the calendar began keeping the regulation's obligations: before that the records
    prove nothing either way, so no lapse is claimed (the calendar's own rule)."""
    return await session.scalar(select(CalendarState.at).where(CalendarState.name == "epoch"))
