"""What handlers do with an incident: acknowledge, update, report upward, contain, close (pull
in is bot/incidents/pulling.py). Each is one transaction with its timeline entry, audit entry
and messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import AlreadyDone
from bot.freetext import clean
from bot.i18n import N_
from bot.incidents.cards import card_buttons
from bot.incidents.models import Incident
from bot.incidents.store import CLAUSE, attachment_count, open_for, timeline
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.view import PersonView, TgUser
from bot.policy.schema import Kind, Severity
from bot.search import index as search


@dataclass(frozen=True)
class Done:
    """What a step left: the incident's reference and status."""

    ref: str
    status: str
    acknowledged: bool = False  # this step also acknowledged the incident (L4)


async def check_may_act(deps: Deps, actor: TgUser, incident_id: int) -> None:
    """Before asking for a text: the checks the action itself will make (a handler or the
    leadership, not closed), so nobody types a long text only to be refused."""
    async with deps.db.transaction() as session:
        await open_for(session, actor, incident_id, deps.clock.now())


def _cadence(deps: Deps, incident: Incident, now: datetime) -> datetime | None:
    """P2: the next update due on an open major or critical incident."""
    if incident.severity is None:
        return None
    minutes = deps.policy.incidents.updates.every_minutes.get(Severity(incident.severity))
    return now + timedelta(minutes=minutes) if minutes else None


async def _leadership(session: AsyncSession) -> list[Person]:
    seen: dict[int, Person] = {}
    for role in (Role.SECRETARY, Role.DEPUTY):
        for person in await people_with_role(session, role):
            seen.setdefault(person.id, person)
    return list(seen.values())


async def _tell_reporter(
    session: AsyncSession, incident: Incident, now: datetime, template: str, **params: str
) -> None:
    # Only written to: the reporter's grants are not loaded (docs/decisions/006-performance.md).
    reporter = await session.get(Person, incident.reporter_id, options=[raiseload(Person.grants)])
    if reporter is not None:
        outbox.notify_person(
            session,
            now=now,
            person=reporter,
            template=template,
            params={"ref": incident.ref, **params},
        )


def _taken_on(
    session: AsyncSession, incident: Incident, me: PersonView, now: datetime, by: str
) -> bool:
    """L4: whoever updates, contains or closes an unacknowledged incident has taken it on, so
    that step acknowledges it too, as its own timeline and audit entry (the ledger's time to
    acknowledge and /pending both read it). True when it did."""
    if incident.acknowledged_at is not None:
        return False
    incident.acknowledged_at, incident.acknowledged_by_id = now, me.id
    incident.first_acknowledged_at = incident.first_acknowledged_at or now  # kept on reopening
    timeline(session, incident, at=now, kind="acknowledged", actor_id=me.id, by=by)
    record(
        session,
        at=now,
        actor_id=me.id,
        action="incident.acknowledged",
        subject_type="incident",
        subject_id=incident.id,
        clause="L4",
        by=by,
    )
    return True


async def acknowledge(deps: Deps, actor: TgUser, incident_id: int) -> Done:
    """The first acknowledgement stops the clock (L4); the secretary's own one is recorded
    separately (R2, C2). A second press is told who was first."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        incident, me = await open_for(session, actor, incident_id, now)
        is_secretary = authority.holds(me, Role.SECRETARY)
        changed = False
        # Conditional update: two handlers pressing at once acknowledge once.
        # The loaded `incident` is not synchronised with this UPDATE (nothing below reads the
        # columns it sets), which spares the ORM's evaluation of it
        # (docs/decisions/006-performance.md).
        result = await session.execute(
            update(Incident)
            .where(Incident.id == incident.id, Incident.acknowledged_at.is_(None))
            .values(
                acknowledged_at=now,
                acknowledged_by_id=me.id,
                # The first acknowledgement ever stays (the ledger's as-filed L4 judgement); a
                # reopened incident is acknowledged again (bot/incidents/reopening.py).
                first_acknowledged_at=func.coalesce(Incident.first_acknowledged_at, now),
                update_due_at=_cadence(deps, incident, now),
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0):
            changed = True
            # The reporter is read before the timeline entry is added: a read after an add
            # flushes first, and one flush at commit is enough (docs/decisions/006-performance.md).
            await _tell_reporter(session, incident, now, "incident.acknowledged")
            timeline(session, incident, at=now, kind="acknowledged", actor_id=me.id)
        if is_secretary and incident.needs_secretary_ack and incident.secretary_ack_at is None:
            incident.secretary_ack_at = now
            changed = True
            timeline(session, incident, at=now, kind="secretary_acknowledged", actor_id=me.id)
        if not changed:
            first = await session.get(Person, incident.acknowledged_by_id)
            raise AlreadyDone(
                N_("{name} has already acknowledged {ref}."),
                name=first.display_name if first else "?",
                ref=incident.ref,
            )
        record(
            session,
            at=now,
            actor_id=me.id,
            action="incident.acknowledged",
            subject_type="incident",
            subject_id=incident.id,
            clause="R2" if is_secretary and incident.needs_secretary_ack else "L4",
        )
        return Done(incident.ref, incident.status)


async def add_update(deps: Deps, actor: TgUser, incident_id: int, text: str) -> Done:
    """A progress update; on major and critical incidents it is relayed to the secretary and the
    deputy the moment it is saved: "handle and report at the same time" (P2)."""
    body = clean("update", text, deps.policy)
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        incident, me = await open_for(session, actor, incident_id, now)
        acknowledged = _taken_on(session, incident, me, now, "update")
        timeline(session, incident, at=now, kind="update", actor_id=me.id, text=body)
        await search.index_incident(session, incident.id, body)
        incident.last_update_at = now
        incident.update_due_at = _cadence(deps, incident, now)
        incident.update_reminded_at = None
        if incident.severity in (Severity.MAJOR, Severity.CRITICAL):
            files = await attachment_count(session, incident.id)
            for leader in await _leadership(session):
                if leader.id != me.id:
                    outbox.notify_person(
                        session,
                        now=now,
                        person=leader,
                        template="incident.relay",
                        params={
                            "ref": incident.ref,
                            "severity": incident.severity,
                            "by": me.name,
                            "text": body,
                        },
                        buttons=card_buttons(incident.id, files),
                    )
        record(
            session,
            at=now,
            actor_id=me.id,
            action="incident.update",
            subject_type="incident",
            subject_id=incident.id,
            clause="P2",
        )
        return Done(incident.ref, incident.status, acknowledged)


async def report_upward(
    deps: Deps, actor: TgUser, incident_id: int, to_whom: str, what: str
) -> Done:
    """The report to the higher department: to whom, when, what (P3; not doing it is C8)."""
    to_whom = clean("upward_to", to_whom, deps.policy)
    what = clean("upward_what", what, deps.policy)
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        incident, me = await open_for(session, actor, incident_id, now)
        if incident.reported_upward_at is None:  # the first report is the one C8 asks for
            incident.reported_upward_at, incident.reported_upward_to = now, to_whom
        timeline(
            session, incident, at=now, kind="reported_upward", actor_id=me.id, text=what, to=to_whom
        )
        await search.index_incident(session, incident.id, what, to_whom)
        record(
            session,
            at=now,
            actor_id=me.id,
            action="incident.reported_upward",
            subject_type="incident",
            subject_id=incident.id,
            clause="P3",
            to=to_whom,
        )
        return Done(incident.ref, incident.status)


async def contain(deps: Deps, actor: TgUser, incident_id: int) -> Done:
    """Under control (L4: 及时控制); still open until closed with a summary."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        incident, me = await open_for(session, actor, incident_id, now)
        if incident.status == "contained":
            raise AlreadyDone(N_("{ref} is already marked as contained."), ref=incident.ref)
        acknowledged = _taken_on(session, incident, me, now, "contained")
        if acknowledged and incident.update_due_at is None:
            incident.update_due_at = _cadence(deps, incident, now)  # P2: still open
        incident.status, incident.contained_at = "contained", now
        timeline(session, incident, at=now, kind="contained", actor_id=me.id)
        record(
            session,
            at=now,
            actor_id=me.id,
            action="incident.contained",
            subject_type="incident",
            subject_id=incident.id,
            clause="L4",
        )
        await _tell_reporter(session, incident, now, "incident.contained")
        return Done(incident.ref, incident.status, acknowledged)


async def close(deps: Deps, actor: TgUser, incident_id: int, summary: str) -> Done:
    """Closed with a summary the reporter receives; the timeline ends here."""
    body = clean("close", summary, deps.policy)
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        incident, me = await open_for(session, actor, incident_id, now)
        incident.status, incident.closed_at, incident.closed_by_id = "closed", now, me.id
        incident.closing_summary = body
        incident.update_due_at = None
        acknowledged = _taken_on(session, incident, me, now, "closed")
        timeline(session, incident, at=now, kind="closed", actor_id=me.id, text=body)
        await search.index_incident(session, incident.id, body)
        record(
            session,
            at=now,
            actor_id=me.id,
            action="incident.closed",
            subject_type="incident",
            subject_id=incident.id,
            clause=CLAUSE[Kind(incident.kind)],
        )
        await _tell_reporter(session, incident, now, "incident.closed", summary=body)
        return Done(incident.ref, incident.status, acknowledged)
