"""Records that grow, never rewritten: a change of severity (a reopening is
bot/incidents/reopening.py). Each is one
transaction with its conditional UPDATE (a double tap or a second handler moves nothing and is
told what happened), its authority checked at that moment, its timeline and audit entries and
the messages it causes. The timeline keeps every earlier state: nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.errors import AlreadyDone, InvalidInput
from bot.freetext import clean
from bot.i18n import N_, Term
from bot.incidents.cards import card_buttons, card_params
from bot.incidents.evidence import attachments_of
from bot.incidents.models import Incident, IncidentHandler, TimelineEntry
from bot.incidents.service import assign, group_notice, handlers_for
from bot.incidents.store import (
    CLAUSE,
    ack_due,
    attachment_count,
    load_for,
    require_handler,
    timeline,
)
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.models import Person
from bot.people.service import acting
from bot.people.view import PersonView, TgUser
from bot.policy.schema import Kind, Severity

# The same msgids as the card's (render/incident.py), for the answers of this module.
SEVERITY_TERMS = {"general": N_("General"), "major": N_("Major"), "critical": N_("Critical")}
CLOSED = N_("{ref} is already closed.")


@dataclass(frozen=True)
class Changed:
    """A change of severity made: the severity now and whom it brought in."""

    ref: str
    severity: str
    brought_in: list[str]  # who the new severity's routing brought in (R2, L1)


async def who_last(session: AsyncSession, incident_id: int, kind: str) -> str:
    """Who took the last step of `kind` (told to whoever pressed too late)."""
    person = await session.scalar(
        select(Person)
        .join(TimelineEntry, Person.id == TimelineEntry.actor_id)
        .where(TimelineEntry.incident_id == incident_id, TimelineEntry.kind == kind)
        .order_by(TimelineEntry.id.desc())
        .limit(1)
    )
    return person.display_name if person is not None else "?"


async def _rated(session: AsyncSession, me: PersonView, incident_id: int) -> Incident:
    """The incident, locked, whose severity `me` may change: not closed, and rated."""
    incident = await load_for(session, incident_id, for_update=True)
    await require_handler(session, incident, me)  # whoever may act on it now (authority.py)
    if incident.status == "closed":
        raise AlreadyDone(CLOSED, ref=incident.ref)
    if incident.severity is None:
        raise InvalidInput(N_("An information report has no severity to change."))
    return incident


async def check_severity(deps: Deps, actor: TgUser, incident_id: int) -> tuple[str, str]:
    """Before the severity buttons: the checks the change will make; (ref, severity now)."""
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=deps.clock.now())
        incident = await _rated(session, me, incident_id)
        return incident.ref, str(incident.severity)


def _cadence(deps: Deps, severity: Severity, now: datetime) -> datetime | None:
    minutes = deps.policy.incidents.updates.every_minutes.get(severity)  # P2
    return now + timedelta(minutes=minutes) if minutes else None


async def standing_people(session: AsyncSession, incident_id: int) -> list[Person]:
    """Who acts on the incident now by an assignment that still stands (authority.standing)."""
    ids = select(IncidentHandler.person_id).where(
        IncidentHandler.incident_id == incident_id, authority.standing()
    )
    return list(await session.scalars(select(Person).where(Person.id.in_(ids))))


async def bring_in(
    session: AsyncSession, deps: Deps, incident: Incident, reporter: Person, now: datetime
) -> list[Person]:
    """Routing by the severity in force, as filing at it would (L4, L1: major reaches the
    secretary): whoever it names and does not handle the incident yet gets the card."""
    severity = Severity(incident.severity) if incident.severity else None
    chosen = await handlers_for(session, deps, Kind(incident.kind), severity, reporter.committee_id)
    files = [(a.file_id, a.kind) for a in await attachments_of(session, incident.id)]
    brought = []
    for person, role, grant in chosen.values():
        if await assign(
            session, incident.id, person.id, now, reason="routed", role=role, grant_id=grant
        ):
            brought.append(person)
            outbox.notify_person(
                session,
                now=now,
                person=person,
                template="incident.card",
                params=card_params(incident, reporter),
                buttons=card_buttons(
                    incident.id, len(files), card=True, rated=severity is not None
                ),
            )
            outbox.notify_files(session, now=now, person=person, ref=incident.ref, files=files)
    return brought


async def change_severity(
    deps: Deps, actor: TgUser, incident_id: int, was: str, to: str, reason: str
) -> Changed:
    """Raise or lower the severity with a reason. From now on routing and time limits follow
    the new one: an unacknowledged incident's L4 limit (the sweep's escalation timer) is
    counted again from now by it, an acknowledged one's P2 cadence too; at major and above
    the secretary is brought in and her own acknowledgement is due (R2, L1)."""
    body = clean("severity_reason", reason, deps.policy)
    if to not in SEVERITY_TERMS or was not in SEVERITY_TERMS:
        raise InvalidInput(N_("Please choose how serious it is."))
    now = deps.clock.now()
    policy = deps.policy.incidents
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        incident = await _rated(session, me, incident_id)
        if to == incident.severity:
            raise AlreadyDone(
                N_("{ref} is already of that severity: {severity}."),
                ref=incident.ref,
                severity=Term(SEVERITY_TERMS[to]),
            )
        moved = await session.execute(
            update(Incident)
            .where(
                Incident.id == incident.id, Incident.severity == was, Incident.status != "closed"
            )
            .values(severity=to, severity_since=now)
        )
        if not getattr(moved, "rowcount", 0):  # a double tap, or another handler first
            name = await who_last(session, incident.id, "severity_changed")
            raise AlreadyDone(
                N_("{name} has already changed the severity of {ref} to {severity}."),
                name=name,
                ref=incident.ref,
                severity=Term(SEVERITY_TERMS.get(str(incident.severity), "?")),
            )
        new = Severity(to)
        if incident.acknowledged_at is None:  # L4: the escalation timer by the new severity
            due = ack_due(deps, Kind(incident.kind), new, now)
            incident.ack_due_at = incident.ack_limit_in_force_at = due
        else:
            incident.update_due_at, incident.update_reminded_at = _cadence(deps, new, now), None
        major = new in policy.escalation.secretary_ack_severities
        was_major = Severity(was) in policy.escalation.secretary_ack_severities
        incident.needs_secretary_ack = major  # R2, C2: by the severity in force
        reporter = await session.get(Person, incident.reporter_id)
        assert reporter is not None
        told = [p for p in await standing_people(session, incident.id) if p.id != me.id]
        brought = await bring_in(session, deps, incident, reporter, now)
        files = await attachment_count(session, incident.id)
        for person in told:
            outbox.notify_person(
                session,
                now=now,
                person=person,
                template="incident.severity_changed",
                params={"ref": incident.ref, "from": was, "to": to, "by": me.name, "reason": body},
                buttons=card_buttons(
                    incident.id,
                    files,
                    rated=True,
                    acknowledge=incident.acknowledged_at is None,
                    contain=incident.status == "open",
                ),
            )
        if new in policy.group_notice.severities and Severity(was) not in (
            policy.group_notice.severities
        ):
            await group_notice(session, deps, incident, now)
        timeline(
            session,
            incident,
            at=now,
            kind="severity_changed",
            actor_id=me.id,
            text=body,
            **{"from": was, "to": to},
            people=[p.display_name for p in brought],
        )
        record(
            session,
            at=now,
            actor_id=me.id,
            action="incident.severity_changed",
            subject_type="incident",
            subject_id=incident.id,
            clause="L1" if major and not was_major else CLAUSE[Kind(incident.kind)],
            **{"from": was, "to": to},
            brought_in=len(brought),
        )
        await drafts.drop(session, me.id)  # in this transaction: never applied twice
        return Changed(incident.ref, to, [p.display_name for p in brought])
