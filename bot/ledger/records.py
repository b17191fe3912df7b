"""The records a ledger is computed from, read once for a period and a reader's scope.

Only reading: figures, lapses and evidence are pure functions of these rows (figures.py,
lapses.py, evidence.py), so what the chat shows, the spreadsheet holds and the chart draws
cannot disagree. Rows are plain tuples of values, not ORM objects: a year of an office's
records (tens of thousands) loads in one pass per table.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.audit.models import AuditEntry
from bot.calendar.models import MTG, CalendarState, Meeting, MeetingAttendee, Occurrence
from bot.db.refs import reference
from bot.events.models import EventRequest
from bot.incidents.models import Incident
from bot.ledger.period import LedgerPeriod
from bot.ledger.scope import Scope
from bot.people.models import Person
from bot.register.service import SUBJECT as REGISTER

# Never in the ledger: the accountability register is seen only through /register (C), where
# every reading is audited.
HIDDEN_SUBJECTS = (REGISTER,)


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


@dataclass(frozen=True)
class Step:
    """One audited step with the clause it served."""

    at: datetime
    action: str
    clause: str
    subject_type: str
    subject: str  # the incident's or event's reference, else ""
    actor: str | None  # None: the bot itself
    data: dict[str, Any]


@dataclass(frozen=True)
class Reminder:
    at: datetime
    key: str
    obligation: str
    clause: str


CHUNK = 2000  # rows turned into values between two awaits: other updates run in between


async def _rows(session: AsyncSession, query: Any) -> AsyncIterator[Any]:
    """Rows in chunks: a period of tens of thousands of records never holds the event loop."""
    result = await session.stream(query)
    async for chunk in result.partitions(CHUNK):
        for row in chunk:
            yield row


def _name(first: str | None, last: str | None) -> str:
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
    rows = _rows(
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
        IncidentRow(i, reference("INC", y, n), kind, sev, status, _name(first, last), *rest)
        async for i, y, n, kind, sev, status, first, last, *rest in rows
    ]


async def events(session: AsyncSession, period: LedgerPeriod, scope: Scope) -> list[EventRow]:
    """Events requested within the period, or dated within it."""
    requester, organiser = aliased(Person), aliased(Person)
    rows = _rows(
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
            i, reference("EVT", y, n), kind, title, status, _name(rf, rl), _name(of, ol), *rest
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
            _name(first_name, last_name),
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


async def steps(
    session: AsyncSession, period: LedgerPeriod, scope: Scope, clauses: tuple[str, ...] = ()
) -> list[Step]:
    """Audited steps that cite a clause (these clauses, or any), within the period and the
    scope."""
    actor = aliased(Person)
    query = (
        select(
            AuditEntry.at,
            AuditEntry.action,
            AuditEntry.clause,
            AuditEntry.subject_type,
            Incident.year,
            Incident.number,
            EventRequest.year,
            EventRequest.number,
            actor.first_name,
            actor.last_name,
            AuditEntry.data,
        )
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .outerjoin(
            Incident,
            and_(AuditEntry.subject_type == "incident", Incident.id == AuditEntry.subject_id),
        )
        .outerjoin(
            EventRequest,
            and_(AuditEntry.subject_type == "event", EventRequest.id == AuditEntry.subject_id),
        )
        .where(
            AuditEntry.at >= period.start,
            AuditEntry.at < period.end,
            AuditEntry.clause.is_not(None),
            AuditEntry.subject_type.not_in(HIDDEN_SUBJECTS),
            or_(
                and_(AuditEntry.subject_type == "incident", scope.incidents()),
                and_(AuditEntry.subject_type == "event", scope.events()),
                and_(AuditEntry.subject_type.not_in(("incident", "event")), scope.others()),
            ),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    if clauses:
        query = query.where(AuditEntry.clause.in_(clauses))
    out = []
    async for at, action, cl, kind, iy, inum, ey, enum, first, last, data in _rows(session, query):
        subject = reference("INC", iy, inum) if iy else reference("EVT", ey, enum) if ey else ""
        out.append(Step(at, action, cl or "", kind, subject, _name(first, last) or None, data))
    return out


async def reminders(session: AsyncSession, period: LedgerPeriod) -> list[Reminder]:
    """Reminders and lapse notices the calendar sent within the period (A2, R2, R3, A3)."""
    rows = await session.execute(
        select(Occurrence.fired_at, Occurrence.key, Occurrence.obligation, Occurrence.clause)
        .where(
            Occurrence.fired_at >= period.start,
            Occurrence.fired_at < period.end,
            Occurrence.outcome == "sent",
            Occurrence.obligation != "digest",
        )
        .order_by(Occurrence.fired_at, Occurrence.id)
    )
    return [Reminder(*row) for row in rows]


async def kept_since(session: AsyncSession) -> datetime | None:
    """When the calendar began keeping the regulation's obligations: before that the records
    prove nothing either way, so no lapse is claimed (the calendar's own rule)."""
    return await session.scalar(select(CalendarState.at).where(CalendarState.name == "epoch"))


async def event_steps(session: AsyncSession, period: LedgerPeriod, scope: Scope) -> dict[str, int]:
    """How many times each event step (approve, reject, file, …) was taken within the period."""
    rows = await session.execute(
        select(AuditEntry.action, func.count())
        .join(EventRequest, EventRequest.id == AuditEntry.subject_id)
        .where(
            AuditEntry.subject_type == "event",
            AuditEntry.at >= period.start,
            AuditEntry.at < period.end,
            scope.events(),
        )
        .group_by(AuditEntry.action)
    )
    return {action: count for action, count in rows}
