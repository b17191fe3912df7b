"""The escalation sweep: a query plus "last reminded" stamps, not stored timers (rule 6,
docs/decisions/011-house-rules.md).

Run every few seconds by the scheduler. Each step is idempotent: a stamp moves forward in the
same transaction that queues its messages, so a crash or a second run never sends twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.audit.service import record
from bot.deps import Deps
from bot.incidents.cards import card_buttons, card_params
from bot.incidents.models import Incident, IncidentHandler
from bot.incidents.service import assign
from bot.incidents.store import ack_due, attachment_count, timeline
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.directory import people_with_role, role_holders
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.view import view
from bot.policy.schema import Kind, Severity

OPEN = ("open", "contained")
BATCH = 200


async def sweep(deps: Deps) -> int:
    """Escalate what nobody acknowledged, remind missed updates and the secretary (L4, P2, R2).

    Returns how many incidents were acted on.
    """
    now = deps.clock.now()
    acted = 0
    async with deps.db.transaction() as session:
        for incident in await _due(session, Incident.ack_due_at, now, unacknowledged=True):
            await _escalate(session, deps, incident, now)
            acted += 1
        for incident in await _due(session, Incident.update_due_at, now, unacknowledged=False):
            await _missed_update(session, deps, incident, now)
            acted += 1
        acted += await _secretary_reminders(session, deps, now)
    return acted


async def _due(
    session: AsyncSession,
    column: InstrumentedAttribute[datetime | None],
    now: datetime,
    *,
    unacknowledged: bool,
) -> list[Incident]:
    ack = (
        Incident.acknowledged_at.is_(None)
        if unacknowledged
        else Incident.acknowledged_at.isnot(None)
    )
    rows = await session.scalars(
        select(Incident)
        .where(Incident.status.in_(OPEN), column <= now, ack)
        .order_by(Incident.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def _people(session: AsyncSession, incident: Incident) -> list[Person]:
    """Its handlers whose assignment still stands (authority.standing): nobody who lost the
    role or left is reminded, nor handed the card again."""
    standing = select(IncidentHandler.person_id).where(
        IncidentHandler.incident_id == incident.id, authority.standing()
    )
    return list(await session.scalars(select(Person).where(Person.id.in_(standing))))


async def _escalate(session: AsyncSession, deps: Deps, incident: Incident, now: datetime) -> None:
    """Not acknowledged in time: the next step of the chain (deputy, then secretary: L2, L1);
    past the end of the chain everyone involved is reminded at the same interval."""
    chain = deps.policy.incidents.escalation.chain
    severity = Severity(incident.severity) if incident.severity else None
    incident.ack_due_at = ack_due(deps, Kind(incident.kind), severity, now)
    reporter = await session.get(Person, incident.reporter_id)
    assert reporter is not None
    if incident.escalation_level < len(chain):
        role = chain[incident.escalation_level]
        incident.escalation_level += 1
        incident.escalated_at = now
        everyone = await _people(session, incident)
        known = {p.id for p in everyone}
        targets = []
        for person, grant in await role_holders(session, role):
            if person.id not in known and await assign(
                session,
                incident.id,
                person.id,
                now,
                reason="escalated",
                role=role,
                grant_id=grant,
            ):
                known.add(person.id)
                targets.append(person)
        everyone += targets
        files = await attachment_count(session, incident.id)
        for person in everyone:
            outbox.notify_person(
                session,
                now=now,
                person=person,
                template="incident.escalated",
                params={**card_params(incident, reporter), "role": role},
                buttons=card_buttons(
                    incident.id, files, card=True, rated=incident.severity is not None
                ),
            )
        timeline(
            session,
            incident,
            at=now,
            kind="escalated",
            role=role,
            people=[p.display_name for p in targets],
        )
        record(
            session,
            at=now,
            action="incident.escalated",
            subject_type="incident",
            subject_id=incident.id,
            clause="L2" if role == Role.DEPUTY else "L1",
            role=role,
            level=incident.escalation_level,
        )
        return
    for person in await _people(session, incident):
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template="incident.ack_reminder",
            params=card_params(incident, reporter),
            buttons=card_buttons(incident.id, card=True),
        )
    timeline(session, incident, at=now, kind="reminded")


async def _missed_update(
    session: AsyncSession, deps: Deps, incident: Incident, now: datetime
) -> None:
    """P2 cadence missed: first remind whoever acknowledged; if still silent, tell the
    deputy and the secretary, and start the next interval."""
    severity = Severity(incident.severity) if incident.severity else None
    minutes = deps.policy.incidents.updates.every_minutes.get(severity) if severity else None
    interval = timedelta(minutes=minutes or 120)
    if incident.update_reminded_at is None:
        incident.update_reminded_at = now
        incident.update_due_at = now + min(interval, timedelta(minutes=30))
        person = await session.get(Person, incident.acknowledged_by_id)
        # Whoever acknowledged it, while they may still act on it; else its standing handlers.
        still = person is not None and await authority.handles(session, incident.id, view(person))
        for one in [person] if still and person else await _people(session, incident):
            outbox.notify_person(
                session,
                now=now,
                person=one,
                template="incident.update_reminder",
                params={"ref": incident.ref},
                buttons=card_buttons(incident.id),
            )
        timeline(session, incident, at=now, kind="update_reminded")
        return
    incident.update_reminded_at = None
    incident.update_due_at = now + interval
    for role in (Role.DEPUTY, Role.SECRETARY):
        for person in await people_with_role(session, role):
            outbox.notify_person(
                session,
                now=now,
                person=person,
                template="incident.update_missed",
                params={"ref": incident.ref, "severity": incident.severity or ""},
                buttons=card_buttons(incident.id),
            )
    timeline(session, incident, at=now, kind="update_escalated")
    record(
        session,
        at=now,
        action="incident.update_missed",
        subject_type="incident",
        subject_id=incident.id,
        clause="P2",
    )


async def _secretary_reminders(session: AsyncSession, deps: Deps, now: datetime) -> int:
    """R2, C2: a major or critical incident waits for the secretary's own acknowledgement."""
    every = timedelta(minutes=deps.policy.incidents.escalation.secretary_reminder_minutes)
    rows = list(
        await session.scalars(
            select(Incident)
            .where(
                Incident.status.in_(OPEN),
                Incident.needs_secretary_ack.is_(True),
                Incident.secretary_ack_at.is_(None),
                Incident.reported_at <= now - every,
                # Raised to major later: due from the change (bot/incidents/changes.py).
                or_(Incident.severity_since.is_(None), Incident.severity_since <= now - every),
            )
            .order_by(Incident.id)
            .limit(BATCH)
        )
    )
    acted = 0
    secretaries = await people_with_role(session, Role.SECRETARY)
    for incident in rows:
        last = incident.secretary_reminded_at
        if last is not None and last > now - every:
            continue
        incident.secretary_reminded_at = now
        for person in secretaries:
            outbox.notify_person(
                session,
                now=now,
                person=person,
                template="incident.secretary_reminder",
                params={"ref": incident.ref, "severity": incident.severity or ""},
                buttons=card_buttons(incident.id),
            )
        timeline(session, incident, at=now, kind="secretary_reminded")
        acted += 1
    return acted
