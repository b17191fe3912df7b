"""Records that grow, never rewritten: a closed incident reopened with a reason. One
transaction with its conditional UPDATE (a double tap or a second handler moves nothing and is
told who was first), its authority checked at that moment, its timeline and audit entries and
the messages it causes; its earlier closing stays on the timeline."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.errors import AlreadyDone
from bot.freetext import clean
from bot.i18n import N_
from bot.incidents.cards import card_buttons, card_params
from bot.incidents.changes import bring_in, standing_people, who_last
from bot.incidents.models import Incident
from bot.incidents.store import CLAUSE, ack_due, attachment_count, load_for, timeline
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.models import Person
from bot.people.service import acting
from bot.people.view import PersonView, TgUser
from bot.policy.schema import Kind, Severity


@dataclass(frozen=True)
class Reopened:
    """A reopening made: the reference and how many handlers were told."""

    ref: str
    told: int  # handlers told


async def _closed_for(session: AsyncSession, me: PersonView, incident_id: int) -> Incident:
    """The incident, locked, which `me` may reopen (authority.require_reopener)."""
    incident = await load_for(session, incident_id, for_update=True)
    await authority.require_reopener(session, incident.id, me)
    return incident


async def _not_closed(session: AsyncSession, incident: Incident, count: int) -> AlreadyDone:
    """What a press on Reopen finds when the incident is not closed (any more)."""
    if incident.reopen_count > count:
        name = await who_last(session, incident.id, "reopened")
        return AlreadyDone(N_("{name} has already reopened {ref}."), name=name, ref=incident.ref)
    return AlreadyDone(N_("{ref} is not closed, so there is nothing to reopen."), ref=incident.ref)


async def check_reopen(deps: Deps, actor: TgUser, incident_id: int) -> tuple[str, int]:
    """Before asking for the reason: (ref, reopenings so far), the count the reopening must
    still find (a second tap, or somebody quicker, then finds another)."""
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=deps.clock.now())
        incident = await _closed_for(session, me, incident_id)
        if incident.status != "closed":
            raise await _not_closed(session, incident, incident.reopen_count)
        return incident.ref, incident.reopen_count


async def reopen(deps: Deps, actor: TgUser, incident_id: int, count: int, reason: str) -> Reopened:
    """A closed incident open again with a reason: its time limits start again from now (it
    must be acknowledged again, L4), its handlers and its reporter are told. Its earlier
    closing stays on the timeline."""
    body = clean("reopen_reason", reason, deps.policy)
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        incident = await _closed_for(session, me, incident_id)
        severity = Severity(incident.severity) if incident.severity else None
        due = ack_due(deps, Kind(incident.kind), severity, now)
        moved = await session.execute(
            update(Incident)
            .where(
                Incident.id == incident.id,
                Incident.status == "closed",
                Incident.reopen_count == count,
            )
            .values(
                status="open",
                reopened_at=now,
                reopen_count=count + 1,
                closed_at=None,
                closed_by_id=None,
                contained_at=None,
                acknowledged_at=None,
                acknowledged_by_id=None,
                escalation_level=0,
                ack_due_at=due,
                ack_limit_in_force_at=due,
                update_due_at=None,
                update_reminded_at=None,
                secretary_reminded_at=None,
            )
        )
        if not getattr(moved, "rowcount", 0):
            raise await _not_closed(session, incident, count)
        reporter = await session.get(Person, incident.reporter_id)
        assert reporter is not None
        people = await standing_people(session, incident.id)
        if not people:  # nobody handles it any more: routed again, as when filed
            people = await bring_in(session, deps, incident, reporter, now)
        files = await attachment_count(session, incident.id)
        params = {**card_params(incident, reporter), "reopened_by": me.name, "reason": body}
        for person in people:
            if person.id != me.id:
                outbox.notify_person(
                    session,
                    now=now,
                    person=person,
                    template="incident.reopened",
                    params=params,
                    buttons=card_buttons(incident.id, files, card=True, rated=severity is not None),
                )
        if reporter.id != me.id:
            outbox.notify_person(
                session,
                now=now,
                person=reporter,
                template="incident.reopened_reporter",
                params={"ref": incident.ref, "reason": body},
            )
        timeline(
            session, incident, at=now, kind="reopened", actor_id=me.id, text=body, count=count + 1
        )
        record(
            session,
            at=now,
            actor_id=me.id,
            action="incident.reopened",
            subject_type="incident",
            subject_id=incident.id,
            clause=CLAUSE[Kind(incident.kind)],
            count=count + 1,
        )
        await drafts.drop(session, me.id)  # in this transaction: never applied twice
        return Reopened(incident.ref, sum(1 for p in people if p.id != me.id))
