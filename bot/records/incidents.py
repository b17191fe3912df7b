"""The whole record of one incident as /record shows it (R7): the facts as filed, its
handlers and how each came, its timeline and files, and what this reader may do to it now."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.incidents.evidence import Attachment, attachments_of
from bot.incidents.models import Incident, IncidentHandler
from bot.incidents.queries import Entry, timeline_entries
from bot.people import authority
from bot.people.service import acting
from bot.people.view import TgUser
from bot.records.common import names_of


@dataclass(frozen=True)
class Handler:
    """One assignment to the incident: who, why, by whom, and when it started and ended."""

    name: str
    reason: str  # routed | escalated | pulled_in | handed_over
    role: str | None
    added_by: str | None  # None: the bot (routing by the policy, escalation)
    added_at: datetime
    ended_at: datetime | None
    ended_reason: str | None


@dataclass(frozen=True)
class IncidentRecord:
    """An incident as /record shows it (R7)."""

    id: int
    ref: str
    kind: str
    severity: str | None
    status: str
    reporter: str
    what: str
    discovered_at: datetime
    discovered_precision: str
    location: str
    actions_taken: str
    reported_at: datetime
    handlers: list[Handler]
    timeline: list[Entry]
    reported_upward_at: datetime | None
    reported_upward_to: str | None
    closed_at: datetime | None
    closed_by: str | None
    closing_summary: str | None
    attachments: list[Attachment]
    # Records that grow (bot/incidents/additions.py, changes.py): the severity it was filed
    # with, how often it was reopened, and what this reader may do to it now.
    filed_severity: str | None = None
    reopen_count: int = 0
    may_add: bool = False  # its reporter, while it is not closed
    may_reopen: bool = False  # closed, and the reader may reopen it (authority.reopens)


async def incident_record(session: AsyncSession, incident: Incident) -> IncidentRecord:
    """The whole record of an incident: its facts, handlers, timeline and files."""
    rows = list(
        await session.scalars(
            select(IncidentHandler)
            .where(IncidentHandler.incident_id == incident.id)
            .order_by(IncidentHandler.added_at, IncidentHandler.id)
        )
    )
    names = await names_of(
        session,
        {incident.reporter_id, incident.closed_by_id}
        | {h.person_id for h in rows}
        | {h.added_by_id for h in rows},
    )
    handlers = [
        Handler(
            names.get(h.person_id, "?"),
            h.reason,
            h.role,
            names.get(h.added_by_id) if h.added_by_id is not None else None,
            h.added_at,
            h.ended_at,
            h.ended_reason,
        )
        for h in rows
    ]
    closed_by = names.get(incident.closed_by_id) if incident.closed_by_id is not None else None
    return IncidentRecord(
        incident.id,
        incident.ref,
        incident.kind,
        incident.severity,
        incident.status,
        names.get(incident.reporter_id, "?"),
        incident.what,
        incident.discovered_at,
        incident.discovered_precision,
        incident.location,
        incident.actions_taken,
        incident.reported_at,
        handlers,
        await timeline_entries(session, incident.id),
        incident.reported_upward_at,
        incident.reported_upward_to,
        incident.closed_at,
        closed_by,
        incident.closing_summary,
        await attachments_of(session, incident.id),
        incident.filed_severity,
        incident.reopen_count,
    )


async def offered(
    session: AsyncSession, actor: TgUser, now: datetime, incident: Incident, found: IncidentRecord
) -> IncidentRecord:
    """The buttons a reader is offered under the record; each press is checked again."""
    me = await acting(session, actor, now=now)
    if incident.status != "closed":
        return replace(found, may_add=authority.member(me) and me.id == incident.reporter_id)
    return replace(found, may_reopen=await authority.reopens(session, incident.id, me))
