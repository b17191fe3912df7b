"""An incident's evidence: the files its reporter attached, whether the office keeps them, and
sending them to whoever acts on it (handlers routed, escalated or pulled in, the leadership
reading a relay) or to its reporter. Each file goes by its Telegram file_id and, when Telegram
no longer has it, as the office's kept copy (runtime.delivery)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import InvalidInput
from bot.files import service as files
from bot.files.models import FileStatus
from bot.i18n import N_
from bot.incidents.models import Incident, IncidentAttachment
from bot.incidents.store import CLAUSE, load_for, require_handler
from bot.outbox import service as outbox
from bot.people.models import Person
from bot.people.service import acting
from bot.people.view import PersonView, TgUser
from bot.policy.schema import Kind


@dataclass(frozen=True)
class Attachment:
    file_id: str
    kind: str  # photo | document
    name: str | None
    size: int | None
    status: str  # FileStatus; "fetching" for a file not yet queued
    reason: str | None  # NotKept, when not kept


@dataclass(frozen=True)
class Evidence:
    ref: str
    attachments: list[Attachment]


async def attachments_of(session: AsyncSession, incident_id: int) -> list[Attachment]:
    """The incident's files in the order they came, each with the office's copy's state."""
    rows = list(
        await session.scalars(
            select(IncidentAttachment)
            .where(IncidentAttachment.incident_id == incident_id)
            .order_by(IncidentAttachment.id)
        )
    )
    kept = await files.states(session, (a.file_id for a in rows))
    result = []
    for a in rows:
        state = kept.get(a.file_id)
        status = state.status if state else FileStatus.FETCHING
        result.append(
            Attachment(a.file_id, a.kind, a.name, a.size, status, state.reason if state else None)
        )
    return result


async def _may_read(session: AsyncSession, incident: Incident, me: PersonView) -> None:
    """Its reporter, its handlers however they came (routed, escalated, pulled in: L5) and the
    leadership (L1, L2: the secretary reads the P2 relays)."""
    if incident.reporter_id != me.id:
        await require_handler(session, incident, me)


async def send_evidence(deps: Deps, actor: TgUser, incident_id: int) -> Evidence:
    """The incident's files to the person who asked, each captioned with the reference; the
    audit trail notes who opened the evidence."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        incident = await load_for(session, incident_id)
        await _may_read(session, incident, me)
        return await dispatch(session, now=now, person_id=me.id, incident=incident)


async def dispatch(
    session: AsyncSession, *, now: datetime, person_id: int, incident: Incident
) -> Evidence:
    """Send the incident's files to a reader whose right to them the caller checked."""
    attachments = await attachments_of(session, incident.id)
    if not attachments:
        raise InvalidInput(N_("{ref} has no attachments."), ref=incident.ref)
    person = await session.get(Person, person_id)
    assert person is not None
    outbox.notify_files(
        session,
        now=now,
        person=person,
        ref=incident.ref,
        files=[(a.file_id, a.kind) for a in attachments],
    )
    record(
        session,
        at=now,
        actor_id=person.id,
        action="incident.evidence_opened",
        subject_type="incident",
        subject_id=incident.id,
        clause=CLAUSE[Kind(incident.kind)],
        files=len(attachments),
    )
    return Evidence(incident.ref, attachments)
