"""The whole record of one event request as /record shows it (R6, R7): each version as
submitted, each step from the audit trail, the decision, the filing and how it went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.audit.models import AuditEntry
from bot.events.models import EventRequest, EventVersion
from bot.people.models import Committee, Person
from bot.records.common import READ, names_of


@dataclass(frozen=True)
class Version:
    """One version of the request as it was submitted."""

    number: int
    submitted_at: datetime
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class EventStep:
    """One step of the request, from its audit entry."""

    at: datetime
    action: str  # the audit action, e.g. event.sent_back
    actor: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class EventRecord:
    """An event request as /record shows it (R6, R7)."""

    id: int
    ref: str
    status: str
    requester: str
    organiser: str
    committee: str | None
    requested_at: datetime
    versions: list[Version]
    steps: list[EventStep]
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None
    filed_at: datetime | None
    filing_date: str | None
    filing_ref: str | None
    outcome: str | None
    outcome_at: datetime | None
    closed_at: datetime | None


async def event_record(session: AsyncSession, event: EventRequest) -> EventRecord:
    """The whole record of an event request: its versions, its steps and its end."""
    versions = [
        Version(v.version, v.submitted_at, v.snapshot)
        for v in await session.scalars(
            select(EventVersion)
            .where(EventVersion.event_id == event.id)
            .order_by(EventVersion.version, EventVersion.id)
        )
    ]
    actor = aliased(Person)
    rows = await session.execute(
        select(AuditEntry, actor)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .where(
            AuditEntry.subject_type == "event",
            AuditEntry.subject_id == event.id,
            AuditEntry.action != READ,  # readings are the ledger's (R7), not the request's steps
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    steps = [
        EventStep(a.at, a.action, p.display_name if p is not None else None, a.data or {})
        for a, p in rows
    ]
    names = await names_of(session, {event.requester_id, event.organiser_id, event.decided_by_id})
    committee = (
        await session.scalar(select(Committee.name).where(Committee.id == event.committee_id))
        if event.committee_id is not None
        else None
    )
    decided_by = names.get(event.decided_by_id) if event.decided_by_id is not None else None
    return EventRecord(
        event.id,
        event.ref,
        event.status,
        names.get(event.requester_id, "?"),
        names.get(event.organiser_id, "?"),
        committee,
        event.requested_at,
        versions,
        steps,
        event.decided_at,
        decided_by,
        event.decision_note,
        event.filed_at,
        event.filing_date,
        event.filing_ref,
        event.outcome,
        event.outcome_at,
        event.closed_at,
    )
