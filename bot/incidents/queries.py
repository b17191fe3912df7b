"""What people read about incidents: timelines, their own reports, what waits for them, a
card. Read-only; the writes are in service.py and actions.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from bot.deps import Deps
from bot.incidents.cards import card_buttons, card_params
from bot.incidents.evidence import Attachment, attachments_of
from bot.incidents.models import Incident, IncidentHandler, TimelineEntry
from bot.incidents.store import attachment_count, load_for, require_handler
from bot.outbox.service import Button
from bot.people import authority
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import ADMITTED, TgUser


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
            await require_handler(session, incident, me)
        entries = await timeline_entries(session, incident.id)
        return TimelineView(
            incident.ref,
            incident.kind,
            incident.severity,
            incident.status,
            entries,
            await attachments_of(session, incident.id),
        )


Entry = tuple[datetime, str, str | None, str | None, dict[str, Any]]


async def timeline_entries(session: AsyncSession, incident_id: int) -> list[Entry]:
    """Every step of an incident, oldest first: when, what, by whom (None: the bot), its text."""
    rows = await session.execute(
        select(TimelineEntry, Person.first_name, Person.last_name)
        .outerjoin(Person, Person.id == TimelineEntry.actor_id)
        .where(TimelineEntry.incident_id == incident_id)
        .order_by(TimelineEntry.id)
    )
    return [
        (e.at, e.kind, " ".join(p for p in (first, last) if p) or None, e.text, e.data)
        for e, first, last in rows
    ]


@dataclass(frozen=True)
class MyItem:
    id: int
    ref: str
    kind: str
    status: str
    acknowledged: bool
    upward_to: str | None = None  # P3: to whom it was reported upward


def _item(i: Incident) -> MyItem:
    return MyItem(
        i.id, i.ref, i.kind, i.status, i.acknowledged_at is not None, i.reported_upward_to
    )


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
        return [_item(i) for i in rows]


def _handled_by(person_id: int) -> Select[int]:
    """The incidents a person handles now: routed to, escalated to or pulled in (L4, L5), by
    an assignment that still stands (bot.people.authority)."""
    return select(IncidentHandler.incident_id).where(
        IncidentHandler.person_id == person_id, authority.standing()
    )


async def handled_by_me(deps: Deps, actor: TgUser, limit: int = 20) -> list[MyItem]:
    """/my: the incidents this person handles (routed, escalated to or pulled in: L4, L5),
    open ones first, then the newest; those they filed themselves are listed as filed."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        rows = await session.scalars(
            select(Incident)
            .where(Incident.id.in_(_handled_by(me.id)), Incident.reporter_id != me.id)
            .order_by((Incident.status == "closed"), Incident.id.desc())
            .limit(limit)
        )
        return [_item(i) for i in rows]


PULL_PAGE = 10  # names per page of the Pull in list


@dataclass(frozen=True)
class Candidates:
    """One page of the people who could be pulled in (L5)."""

    ref: str
    people: list[tuple[int, str]]
    page: int
    pages: int
    others: int  # everyone else who started the bot, taken or not: why a list can be empty


async def candidates(deps: Deps, actor: TgUser, incident_id: int, page: int = 0) -> Candidates:
    """People who could be pulled into an incident (L5): everyone registered but its handlers
    and its reporter, a page at a time."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        incident = await load_for(session, incident_id)
        await require_handler(session, incident, me)
        standing = await session.scalars(
            select(IncidentHandler.person_id).where(
                IncidentHandler.incident_id == incident.id, authority.standing()
            )
        )
        taken = set(standing) | {incident.reporter_id, me.id}
        rows = await session.execute(
            select(Person.id, Person.first_name, Person.last_name)
            .where(
                Person.started_at.isnot(None),
                Person.admission == ADMITTED,  # R4: only members handle
                Person.deactivated_at.is_(None),
                Person.id != me.id,
            )
            .order_by(Person.first_name, Person.id)
        )
        everyone = [(pid, " ".join(p for p in (first, last) if p)) for pid, first, last in rows]
        free = [(pid, name) for pid, name in everyone if pid not in taken]
        pages = max(1, -(-len(free) // PULL_PAGE))
        page = min(max(page, 0), pages - 1)
        shown = free[page * PULL_PAGE : (page + 1) * PULL_PAGE]
        return Candidates(incident.ref, shown, page, pages, len(everyone))


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
        rows = await session.scalars(
            select(Incident)
            .where(Incident.status != "closed", Incident.id.in_(_handled_by(me.id)))
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
                authority.holds(me, Role.SECRETARY)
                and incident.needs_secretary_ack
                and incident.secretary_ack_at is None
            ):
                items.append(PendingItem(incident.id, incident.ref, "secretary_ack"))
        return items


@dataclass(frozen=True)
class CardView:
    """An incident's card as it stands now, for one person: its words and its buttons."""

    params: dict[str, Any]
    buttons: list[list[Button]]


async def card_for(deps: Deps, actor: TgUser, incident_id: int) -> CardView:
    """The card of an incident as it stands (from /pending, or after a press on it), for
    those who may handle it: who acknowledged it and when, and only the steps still open."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        incident = await load_for(session, incident_id)
        await require_handler(session, incident, me)
        # Names only: a Person's grants (a statement more each) are not needed here.
        reporter = await session.get(
            Person, incident.reporter_id, options=[raiseload(Person.grants)]
        )
        assert reporter is not None
        params = card_params(incident, reporter)
        own_ack = (  # R2, C2: the secretary's own acknowledgement is still hers to give
            Role.SECRETARY in me.roles
            and incident.needs_secretary_ack
            and incident.secretary_ack_at is None
        )
        state: dict[str, Any] = {"status": incident.status, "own_ack": own_ack}
        if incident.acknowledged_at is not None:
            params["ack_due_at"] = ""  # the limit no longer applies
            state["acknowledged_at"] = incident.acknowledged_at.isoformat()
            state["acknowledged_by"] = await _name(session, incident.acknowledged_by_id)
        if incident.contained_at is not None:
            state["contained_at"] = incident.contained_at.isoformat()
        if incident.closed_at is not None:
            state["closed_at"] = incident.closed_at.isoformat()
            state["closed_by"] = await _name(session, incident.closed_by_id)
        # Records that grow: the severity in force since when, reopenings, additions.
        if incident.severity_since is not None:
            state["severity_since"] = incident.severity_since.isoformat()
        if incident.reopened_at is not None:
            state["reopened_at"] = incident.reopened_at.isoformat()
            state["reopened"] = incident.reopen_count
        state["additions"], state["severity"] = incident.additions, incident.severity
        files = await attachment_count(session, incident.id)
        params["attachments"] = files
        buttons = card_buttons(
            incident.id,
            files,
            acknowledge=incident.acknowledged_at is None or own_ack,
            contain=incident.status == "open",
            closed=incident.status == "closed",
            card=True,
            rated=incident.severity is not None,
        )
        return CardView({**params, "state": state}, buttons)


async def _name(session: AsyncSession, person_id: int | None) -> str:
    if person_id is None:
        return "?"
    person = await session.get(Person, person_id, options=[raiseload(Person.grants)])
    return person.display_name if person is not None else "?"
