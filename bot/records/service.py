"""/record: the whole record of one incident or event request, as far as the reader may see it.

Who sees what is the ledger's decision (bot.ledger.scope, bot.ledger.service.reader), made in
one place: a record outside the reader's scope is answered exactly as a reference that does not
exist, so a reference can't be probed (R4, L3). An inspector in office reads the records of
the period the grant names, and every such reading is audited as the ledger's are (R7, C).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.audit.models import AuditEntry
from bot.audit.service import record
from bot.calendar.models import (
    Meeting,
)
from bot.deps import Deps
from bot.errors import InvalidInput, NotFound
from bot.events.models import EventRequest, EventVersion
from bot.i18n import N_
from bot.incidents import evidence
from bot.incidents.evidence import Attachment, attachments_of
from bot.incidents.models import Incident, IncidentHandler
from bot.incidents.queries import Entry, timeline_entries
from bot.ledger.scope import Scope
from bot.ledger.service import reader
from bot.people import authority
from bot.people.models import Committee, Person
from bot.people.service import TgUser, acting
from bot.records.common import GONE, names_of
from bot.records.meetings import MeetingRecord, meeting_record

_REF = re.compile(r"^\s*(INC|EVT|MTG)-(\d{4})-(\d{1,6})\s*$", re.IGNORECASE)
USAGE = N_(
    "Send /record and a reference, such as /record INC-2026-0012, /record EVT-2026-0007 "
    "or /record MTG-2026-0003."
)
# One answer for a reference that does not exist and for one the reader may not see.
UNKNOWN = N_("There is no record {ref}.")
READ = "record.read"


@dataclass(frozen=True)
class Handler:
    name: str
    reason: str  # routed | escalated | pulled_in | handed_over
    role: str | None
    added_by: str | None  # None: the bot (routing by the policy, escalation)
    added_at: datetime
    ended_at: datetime | None
    ended_reason: str | None


@dataclass(frozen=True)
class IncidentRecord:
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


@dataclass(frozen=True)
class Version:
    number: int
    submitted_at: datetime
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class EventStep:
    at: datetime
    action: str  # the audit action, e.g. event.sent_back
    actor: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class EventRecord:
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


Record = IncidentRecord | EventRecord | MeetingRecord
MODELS: dict[str, Any] = {"INC": Incident, "EVT": EventRequest, "MTG": Meeting}
SUBJECTS = {"INC": "incident", "EVT": "event", "MTG": "meeting"}


def parse(text: str) -> tuple[str, int, int]:
    """A typed reference: (prefix, year, number); InvalidInput when it is not one."""
    match = _REF.match(text or "")
    if match is None:
        raise InvalidInput(USAGE)
    return match.group(1).upper(), int(match.group(2)), int(match.group(3))


def _incidents(deps: Deps, scope: Scope) -> ColumnElement[bool]:
    return scope.readable_incidents(deps.zone)


def _events(deps: Deps, scope: Scope) -> ColumnElement[bool]:
    return scope.readable_events(deps.zone)


async def read(deps: Deps, actor: TgUser, text: str) -> Record:
    """The record a typed reference names, if the reader may see it."""
    prefix, year, number = parse(text)
    model = MODELS[prefix]
    return await _read(
        deps,
        actor,
        prefix,
        (model.year == year) & (model.number == number),
        f"{prefix}-{year}-{number:04d}",
    )


async def read_by_id(deps: Deps, actor: TgUser, prefix: str, record_id: int) -> Record:
    """The record behind a Details button (it carries the id): the same visibility."""
    model = MODELS[prefix]
    return await _read(deps, actor, prefix, model.id == record_id, None)


async def _read(
    deps: Deps, actor: TgUser, prefix: str, which: ColumnElement[bool], ref: str | None
) -> Record:
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        scope = await reader(session, actor, now)
        found: Record | None
        if prefix == "INC":
            incident = await session.scalar(select(Incident).where(which, _incidents(deps, scope)))
            found = await _incident(session, incident) if incident is not None else None
            if found is not None and incident is not None and not scope.inspector:
                found = await _may(session, actor, now, incident, found)
        elif prefix == "EVT":
            event = await session.scalar(select(EventRequest).where(which, _events(deps, scope)))
            found = await _event(session, event) if event is not None else None
        else:
            meeting = await session.scalar(select(Meeting).where(which, scope.readable_meetings()))
            found = await meeting_record(session, deps, meeting) if meeting is not None else None
        if found is None:
            raise NotFound(UNKNOWN, ref=ref) if ref else NotFound(GONE)
        if scope.inspector:  # C: every reading by an inspector is on record
            record(
                session,
                at=now,
                actor_id=scope.person_id,
                action=READ,
                subject_type=SUBJECTS[prefix],
                subject_id=found.id,
                clause="R7",
                ref=found.ref,
            )
        return found


async def send_attachments(deps: Deps, actor: TgUser, incident_id: int) -> evidence.Evidence:
    """The files of an incident whose record the reader may see, sent to them (audited)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        scope = await reader(session, actor, now)
        incident = await session.scalar(
            select(Incident).where(Incident.id == incident_id, _incidents(deps, scope))
        )
        if incident is None:
            raise NotFound(GONE)
        return await evidence.dispatch(
            session, now=now, person_id=scope.person_id, incident=incident
        )


async def _incident(session: AsyncSession, incident: Incident) -> IncidentRecord:
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


async def _may(
    session: AsyncSession, actor: TgUser, now: datetime, incident: Incident, found: IncidentRecord
) -> IncidentRecord:
    """The buttons a reader is offered under the record; each press is checked again."""
    me = await acting(session, actor, now=now)
    if incident.status != "closed":
        return replace(found, may_add=authority.member(me) and me.id == incident.reporter_id)
    return replace(found, may_reopen=await authority.reopens(session, incident.id, me))


async def _event(session: AsyncSession, event: EventRequest) -> EventRecord:
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
