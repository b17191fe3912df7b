"""When somebody loses a role or leaves, the open work they held moves to someone who can act
(R4): nothing waits on a person who can no longer act on it, and whoever takes it over is
told. Each function works inside the caller's transaction (the role change or the
deactivation), with its timeline, audit entries and messages.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.events.acting import today
from bot.events.cards import approver_buttons, card_params, resubmit_buttons
from bot.events.models import ActingApprover, EventRequest, EventStatus
from bot.events.service import approvers
from bot.incidents.cards import card_buttons
from bot.incidents.cards import card_params as incident_params
from bot.incidents.models import Incident, IncidentHandler
from bot.incidents.service import assign, fallback
from bot.incidents.store import timeline
from bot.outbox import service as outbox
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role

# Why an assignment ended (IncidentHandler.ended_reason).
ROLE_REVOKED, DEACTIVATED = "role_revoked", "deactivated"


async def incidents(
    session: AsyncSession,
    person: Person,
    now: datetime,
    *,
    by: int,
    grant_ids: list[int] | None,
    why: str,
) -> int:
    """End the person's assignments that came from `grant_ids` (all of them when None: they
    left) and hand each open incident among them to the office, told. Returns how many."""
    where = [IncidentHandler.person_id == person.id, IncidentHandler.ended_at.is_(None)]
    if grant_ids is not None:
        if not grant_ids:
            return 0
        where.append(IncidentHandler.grant_id.in_(grant_ids))
    rows = (
        await session.execute(
            select(IncidentHandler, Incident)
            .join(Incident, Incident.id == IncidentHandler.incident_id)
            .where(*where)
            .order_by(Incident.id)
        )
    ).all()
    moved = 0
    for assignment, incident in rows:
        assignment.ended_at, assignment.ended_reason = now, why
        if incident.status == "closed":
            continue
        await _to_office(session, incident, person, now, by=by, why=why)
        moved += 1
    return moved


async def _to_office(
    session: AsyncSession,
    incident: Incident,
    person: Person,
    now: datetime,
    *,
    by: int,
    why: str,
) -> None:
    receivers = await fallback(session, besides=person.id)
    reporter = await session.get(Person, incident.reporter_id)
    assert reporter is not None
    params = {**incident_params(incident, reporter), "handed_over_from": person.display_name}
    for receiver, role, grant in receivers.values():
        await assign(
            session,
            incident.id,
            receiver.id,
            now,
            reason="handed_over",
            role=role,
            grant_id=grant,
            by=by,
        )
        buttons = card_buttons(incident.id, rated=incident.severity is not None)
        outbox.notify_person(
            session,
            now=now,
            person=receiver,
            template="incident.card",
            params=params,
            buttons=buttons,
        )
    timeline(
        session,
        incident,
        at=now,
        kind="handed_over",
        actor_id=by,
        person=person.display_name,
        people=[p.display_name for p, _, _ in receivers.values()],
        why=why,
    )
    record(
        session,
        at=now,
        actor_id=by,
        action="incident.handed_over",
        subject_type="incident",
        subject_id=incident.id,
        clause="R4",
        person_id=person.id,
        why=why,
        to=[p.id for p, _, _ in receivers.values()],
    )


async def decisions(
    session: AsyncSession,
    deps: Deps,
    person: Person,
    now: datetime,
    *,
    by: int,
    approver: bool,
    committee_ids: set[int],
    left: bool,
    deputy_only: bool = False,
) -> int:
    """Event requests that waited for the person (R6, L3): a review of a committee they no
    longer head goes on to the approvers when no other head remains; a decision they could
    have taken (`approver`: they decided on events until now) is put before the approvers who
    remain, the next in the chain: the deputy, an acting approver, else the admins (of a
    `deputy_only` approver, while there is a secretary, only those escalated to them: L2); a
    request naming them as organiser, when they left, goes back to its requester. Call after
    their grants ended. Returns how many moved."""
    moved = 0
    if committee_ids:
        rows = await session.scalars(
            select(EventRequest).where(
                EventRequest.status == EventStatus.IN_REVIEW,
                EventRequest.committee_id.in_(committee_ids),
            )
        )
        for event in list(rows):
            if await people_with_role(session, Role.COMMITTEE_HEAD, event.committee_id):
                continue  # another head of the committee reviews it
            event.status = EventStatus.PENDING
            await _before_approvers(session, deps, event, person, now, by=by)
            moved += 1
    if approver:
        query = select(EventRequest).where(EventRequest.status == EventStatus.PENDING)
        if deputy_only and await people_with_role(session, Role.SECRETARY, with_grants=False):
            query = query.where(EventRequest.deputy_escalated_at.isnot(None))
        for event in list(await session.scalars(query.order_by(EventRequest.id))):
            await _before_approvers(session, deps, event, person, now, by=by)
            moved += 1
    if left:
        moved += await _organiser_left(session, person, now, by=by)
    return moved


async def _before_approvers(
    session: AsyncSession,
    deps: Deps,
    event: EventRequest,
    person: Person,
    now: datetime,
    *,
    by: int,
) -> None:
    requester = await session.get(Person, event.requester_id)
    organiser = await session.get(Person, event.organiser_id)
    assert requester is not None and organiser is not None
    params = {**card_params(event, requester, organiser), "handed_over_from": person.display_name}
    for approver in await approvers(session, deps):
        if approver.id != person.id:
            outbox.notify_person(
                session,
                now=now,
                person=approver,
                template="event.decide",
                params=params,
                buttons=approver_buttons(event),
            )
    record(
        session,
        at=now,
        actor_id=by,
        action="event.handed_over",
        subject_type="event",
        subject_id=event.id,
        clause="R6",
        person_id=person.id,
    )


async def _organiser_left(session: AsyncSession, person: Person, now: datetime, *, by: int) -> int:
    rows = list(
        await session.scalars(
            select(EventRequest).where(
                EventRequest.status == EventStatus.ORGANISER,
                EventRequest.organiser_id == person.id,
            )
        )
    )
    for event in rows:
        requester = await session.get(Person, event.requester_id)
        event.status, event.organiser_id = EventStatus.CHANGES_REQUESTED, event.requester_id
        if requester is not None:
            outbox.notify_person(
                session,
                now=now,
                person=requester,
                template="event.organiser_left",
                params={"ref": event.ref, "title": event.title, "name": person.display_name},
                buttons=resubmit_buttons(event),
            )
        record(
            session,
            at=now,
            actor_id=by,
            action="event.organiser_left",
            subject_type="event",
            subject_id=event.id,
            clause="R6",
            person_id=person.id,
        )
    return len(rows)


async def acting(
    session: AsyncSession, deps: Deps, person: Person, now: datetime, *, by: int
) -> bool:
    """End the person's acting appointments that have not run out (R6): who left decides
    nothing. True when one of them covered today (they were an approver until now)."""
    day = today(deps, now)
    rows = list(
        await session.scalars(
            select(ActingApprover).where(
                ActingApprover.person_id == person.id,
                ActingApprover.revoked_at.is_(None),
                ActingApprover.last_day >= day,
            )
        )
    )
    for row in rows:
        row.revoked_at = now
        record(
            session,
            at=now,
            actor_id=by,
            action="event.acting_ended",
            subject_type="person",
            subject_id=person.id,
            clause="R6",
            first_day=row.first_day,
            last_day=row.last_day,
            why=DEACTIVATED,
        )
    return any(row.first_day <= day for row in rows)
