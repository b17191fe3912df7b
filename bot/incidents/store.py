"""The rows of an incident that every use case reads and writes: loading it, its timeline
entries, its attachments, and when its acknowledgement falls due (L4). Helpers take the session
and never commit (rule 3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.errors import AlreadyDone, NotFound
from bot.i18n import N_
from bot.incidents.models import Incident, IncidentAttachment, TimelineEntry
from bot.people import authority
from bot.people.service import acting
from bot.people.view import PersonView, TgUser
from bot.policy.schema import Kind, Severity
from bot.policy.worktime import add_working_minutes, workdays_of

# Clause per kind, for the audit trail and the ledger.
CLAUSE = {
    Kind.NETWORK_SECURITY: "L4",
    Kind.PUBLIC_OPINION: "P2",
    Kind.EVENT_INCIDENT: "R6",
    Kind.INFORMATION: "A1",
}


def timeline(
    session: AsyncSession,
    incident: Incident,
    *,
    at: datetime,
    kind: str,
    actor_id: int | None = None,
    text: str | None = None,
    **data: Any,
) -> None:
    """One step on the incident's timeline (`kind`: filed, routed, acknowledged, …), with
    its text and the data its line shows."""
    session.add(
        TimelineEntry(
            incident_id=incident.id, at=at, actor_id=actor_id, kind=kind, text=text, data=data
        )
    )


async def attachment_count(session: AsyncSession, incident_id: int) -> int:
    """How many files the incident has, the report's and its additions'."""
    count = await session.scalar(
        select(func.count())
        .select_from(IncidentAttachment)
        .where(IncidentAttachment.incident_id == incident_id)
    )
    return int(count or 0)


def attach(
    session: AsyncSession,
    incident_id: int,
    attachments: list[dict[str, Any]],
    entry_id: int | None = None,
) -> None:
    """The files of a report (or of an addition: its timeline entry `entry_id`) on record."""
    for att in attachments:
        session.add(
            IncidentAttachment(
                incident_id=incident_id,
                file_id=att["file_id"],
                kind=att["kind"],
                name=att.get("name"),
                size=att.get("size"),
                entry_id=entry_id,
            )
        )


def ack_due(deps: Deps, kind: Kind, severity: Severity | None, now: datetime) -> datetime:
    """When an incident of this kind and severity must be acknowledged by (L4): the policy's
    limit, counted in working time when the policy says so."""
    limit = deps.policy.incidents.acknowledge.for_(kind, severity)
    if limit.working_time:
        return add_working_minutes(
            now, limit.minutes, deps.zone, deps.policy.working_hours, workdays_of(deps.policy)
        )
    return now + timedelta(minutes=limit.minutes)


async def load_for(
    session: AsyncSession, incident_id: int, *, for_update: bool = False
) -> Incident:
    """The incident, locked when `for_update`; NotFound when it no longer exists."""
    query = select(Incident).where(Incident.id == incident_id)
    if for_update:
        query = query.with_for_update()
    incident = await session.scalar(query)
    if incident is None:
        raise NotFound(N_("This report no longer exists."))
    return incident


async def require_handler(session: AsyncSession, incident: Incident, me: PersonView) -> None:
    """Only who may act on it now (authority.handles): a card received earlier is no warrant."""
    await authority.require_handler(session, incident.id, me)


async def open_for(
    session: AsyncSession, actor: TgUser, incident_id: int, now: datetime
) -> tuple[Incident, PersonView]:
    """The incident, locked, for a step by `actor`: who may act on it now, and not closed."""
    me = await acting(session, actor, now=now)
    incident = await load_for(session, incident_id, for_update=True)
    await require_handler(session, incident, me)
    if incident.status == "closed":
        raise AlreadyDone(N_("{ref} is already closed."), ref=incident.ref)
    return incident, me
