"""What people read about incidents: timelines, their own reports, what waits for them, a
card. Read-only; the writes are in service.py and actions.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.deps import Deps
from bot.incidents.evidence import Attachment, attachments_of
from bot.incidents.models import Incident, IncidentHandler, TimelineEntry
from bot.incidents.service import attachment_count, card_params, load_for, require_handler
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import TgUser, acting


@dataclass(frozen=True)
class TimelineView:
    ref: str
    kind: str
    severity: str | None
    status: str
    entries: list[tuple[datetime, str, str | None, str | None, dict[str, Any]]]
    attachments: list[Attachment] = field(default_factory=list)


async def timeline_of(deps: Deps, actor: TgUser, incident_id: int) -> TimelineView:
    """The whole life of one incident, for its handlers, the leadership and its reporter."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        incident = await load_for(session, incident_id)
        if incident.reporter_id != me.id:
            await require_handler(session, incident, me.id)
        rows = await session.execute(
            select(TimelineEntry, Person.first_name, Person.last_name)
            .outerjoin(Person, Person.id == TimelineEntry.actor_id)
            .where(TimelineEntry.incident_id == incident.id)
            .order_by(TimelineEntry.id)
        )
        entries = [
            (e.at, e.kind, " ".join(p for p in (first, last) if p) or None, e.text, e.data)
            for e, first, last in rows
        ]
        return TimelineView(incident.ref, incident.kind, incident.severity, incident.status,
                            entries, await attachments_of(session, incident.id))  # fmt: skip


@dataclass(frozen=True)
class MyItem:
    id: int
    ref: str
    kind: str
    status: str
    acknowledged: bool


async def my_reports(deps: Deps, actor: TgUser, limit: int = 20) -> list[MyItem]:
    """/my: the reporter's own reports, newest first."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        rows = await session.scalars(
            select(Incident)
            .where(Incident.reporter_id == me.id)
            .order_by(Incident.id.desc())
            .limit(limit)
        )
        return [MyItem(i.id, i.ref, i.kind, i.status, i.acknowledged_at is not None) for i in rows]


async def candidates(deps: Deps, actor: TgUser, incident_id: int) -> list[tuple[int, str]]:
    """People who could be pulled into an incident (L5): everyone registered but its handlers."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        incident = await load_for(session, incident_id)
        await require_handler(session, incident, me.id)
        taken = {h.person_id for h in incident.handlers} | {incident.reporter_id}
        rows = await session.scalars(
            select(Person).where(Person.started_at.isnot(None)).order_by(Person.first_name)
        )
        return [(p.id, p.display_name) for p in rows if p.id not in taken][:30]


@dataclass(frozen=True)
class PendingItem:
    id: int
    ref: str
    reason: str  # acknowledge | update | secretary_ack


async def pending_for(deps: Deps, actor: TgUser) -> list[PendingItem]:
    """/pending: what waits for this person — acknowledgements, overdue updates, and for the
    secretary her own acknowledgement of major incidents (R2)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        mine = select(IncidentHandler.incident_id).where(IncidentHandler.person_id == me.id)
        rows = await session.scalars(
            select(Incident)
            .where(Incident.status != "closed", Incident.id.in_(mine))
            .order_by(Incident.id)
            .limit(50)
        )
        items: list[PendingItem] = []
        for incident in rows:
            if incident.acknowledged_at is None:
                items.append(PendingItem(incident.id, incident.ref, "acknowledge"))
            elif (
                incident.acknowledged_by_id == me.id
                and incident.update_due_at is not None
                and incident.update_due_at <= now
            ):
                items.append(PendingItem(incident.id, incident.ref, "update"))
            if (
                Role.SECRETARY in me.roles
                and incident.needs_secretary_ack
                and incident.secretary_ack_at is None
            ):
                items.append(PendingItem(incident.id, incident.ref, "secretary_ack"))
        return items


async def card_for(deps: Deps, actor: TgUser, incident_id: int) -> dict[str, Any]:
    """The card of an incident again (from /pending), for those who may handle it."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        incident = await load_for(session, incident_id)
        await require_handler(session, incident, me.id)
        reporter = await session.get(Person, incident.reporter_id)
        assert reporter is not None
        return {**card_params(incident, reporter),
                "attachments": await attachment_count(session, incident.id)}  # fmt: skip
