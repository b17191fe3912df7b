"""Event requests (R6): submission, the organiser's confirmation, routing and withdrawal. What
every step shares is in `transitions.py`, resubmission in
`resubmit.py`, decisions in `decisions.py`, what follows approval in `after.py`.

Each use case is one transaction with its audit entry and messages. State changes that a card
triggers are conditional updates on (status, version): two people pressing at once, or a card
from an older version, can never change a request twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.buttons import EventAction
from bot.db.refs import next_number, numbered
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.errors import InvalidInput, NotAllowed
from bot.events import own_case
from bot.events.acting import acting_now
from bot.events.cards import (
    approver_buttons,
    card_params,
    event_button,
    review_buttons,
    snapshot,
)
from bot.events.draft import EventDraft, validate
from bot.events.models import OPEN, EventRequest, EventStatus, EventVersion
from bot.events.transitions import load_locked, tell, why_not
from bot.files import service as files
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import TgUser
from bot.search import index as search


@dataclass(frozen=True)
class Result:
    id: int
    ref: str
    status: str
    short_lead: bool = False


async def approvers(session: AsyncSession, deps: Deps) -> list[Person]:
    """Who approves events (R6): the secretary, the deputy where the policy allows, today's
    acting approvers; the administrators when nobody holds any of these."""
    people = await people_with_role(session, Role.SECRETARY)
    if deps.policy.events.deputy_may_approve:
        people += [p for p in await people_with_role(session, Role.DEPUTY) if p not in people]
    people += [p for p in await acting_now(session, deps, deps.clock.now()) if p not in people]
    return people or await people_with_role(session, Role.ADMIN)


async def deciders(
    session: AsyncSession,
    deps: Deps,
    event: EventRequest,
    now: datetime,
    passed: list[Person] | None = None,
) -> tuple[list[Person], dict[str, list[str]]]:
    """Who decides `event`: the approvers' chain without its own parties (R6, L2), and the
    card's parameters that say why when somebody was passed over (audited)."""
    chain, own = own_case.split(event, await approvers(session, deps))
    if not chain:  # nobody else holds an approver's role: the administrators are told
        chain = own_case.split(event, await people_with_role(session, Role.ADMIN))[0]
    return chain, own_case.note_passed(session, event, now, "decision", (passed or []) + own, chain)


async def route(session: AsyncSession, deps: Deps, event: EventRequest, now: datetime) -> None:
    """To the committee head first where the policy says so (L3), else to the approvers; in
    either case past whoever made or organises it (R6: nobody decides their own case)."""
    requester = await session.get(Person, event.requester_id)
    organiser = await session.get(Person, event.organiser_id)
    assert requester is not None and organiser is not None
    heads: list[Person] = []
    passed: list[Person] = []
    if deps.policy.events.committee_review and event.committee_id is not None:
        heads, passed = own_case.split(
            event, await people_with_role(session, Role.COMMITTEE_HEAD, event.committee_id)
        )
    params = card_params(event, requester, organiser)
    if heads:
        event.status = EventStatus.IN_REVIEW
        for head in heads:
            outbox.notify_person(
                session,
                now=now,
                person=head,
                template="event.review",
                params=params,
                buttons=review_buttons(event),
            )
            _files(session, now, head, event)
        return
    event.status = EventStatus.PENDING
    chain, why = await deciders(session, deps, event, now, passed)
    for person in chain:
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template="event.decide",
            params={**params, **why},
            buttons=approver_buttons(event),
        )
        _files(session, now, person, event)


def _files(session: AsyncSession, now: datetime, person: Person, event: EventRequest) -> None:
    files = [(str(a["file_id"]), str(a["kind"])) for a in event.attachments or []]
    outbox.notify_files(session, now=now, person=person, ref=event.ref, files=files)


async def route_or_ask_organiser(
    session: AsyncSession, deps: Deps, event: EventRequest, now: datetime
) -> None:
    """Whoever organises is responsible (R6): a named organiser confirms before it goes on."""
    if event.organiser_id == event.requester_id:
        await route(session, deps, event, now)
        return
    organiser = await session.get(Person, event.organiser_id)
    requester = await session.get(Person, event.requester_id)
    if organiser is not None and not organiser.active:
        raise InvalidInput(
            N_(
                "{name} is no longer a member and cannot organise it. Name somebody else, or "
                "organise it yourself."
            ),
            name=organiser.display_name,
        )
    if organiser is None or requester is None or organiser.started_at is None:
        raise InvalidInput(
            N_(
                "The organiser has not started the bot yet, so they cannot confirm. Ask them to "
                "open the bot and press Start, or organise it yourself."
            )
        )
    event.status = EventStatus.ORGANISER
    outbox.notify_person(
        session,
        now=now,
        person=organiser,
        template="event.organiser",
        params=card_params(event, requester, organiser),
        buttons=[
            [
                event_button(N_("I organise it"), EventAction.ORGANISER_ACCEPTS, event),
                event_button(N_("Not me"), EventAction.ORGANISER_DECLINES, event),
            ]
        ],
    )


async def confirm_organiser(
    deps: Deps, actor: TgUser, event_id: int, version: int, accept: bool
) -> Result:
    """The named organiser accepts the responsibility, or declines (back to the requester)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = authority.require_member(await acting(session, actor, now=now))
        event = await load_locked(session, event_id)
        if event.organiser_id != me.id:
            raise NotAllowed(N_("Only the named organiser can answer this."))
        if event.status != EventStatus.ORGANISER or event.version != version:
            raise await why_not(session, event, version)
        record(
            session,
            at=now,
            actor_id=me.id,
            subject_type="event",
            subject_id=event.id,
            action="event.organiser_confirmed" if accept else "event.organiser_declined",
            clause="R6",
        )
        if accept:
            await route(session, deps, event, now)
        else:
            event.status, event.organiser_id = EventStatus.CHANGES_REQUESTED, event.requester_id
            event.decision_note = None
            await tell(session, event, now, "event.organiser_declined", by=me.name)
        return Result(event.id, event.ref, event.status)


async def submit(deps: Deps, requester: TgUser, draft: EventDraft) -> Result:
    """A member requests approval of an event (R6): numbered, versioned, marked when asked at
    short notice, and routed (to the named organiser first, else onward), in one transaction."""
    now = deps.clock.now()
    clean = validate(deps, draft, now)

    async def write() -> Result:  # again if a racing writer took the number
        async with deps.db.transaction() as session:
            me = authority.require_member(await acting(session, requester, now=now))
            person = await session.get(Person, me.id)
            assert person is not None
            year = now.astimezone(deps.zone).year
            number = await next_number(session, EventRequest, year)
            event = EventRequest(
                year=year,
                number=number,
                event_type=clean.event_type,
                title=clean.title,
                requester_id=me.id,
                organiser_id=clean.organiser_id or me.id,
                starts_at=clean.starts_at,
                venue=clean.venue,
                audience=clean.audience,
                speakers=clean.speakers,
                outline=clean.outline,
                speakers_vetted=True,
                attachments=clean.attachments,
                short_lead=clean.starts_at - now < timedelta(days=deps.policy.events.lead_days),
                status=EventStatus.PENDING,
                committee_id=person.committee_id,
                requested_at=now,
            )
            await files.keep(session, deps, now=now, sender_id=me.id, attachments=clean.attachments)
            session.add(event)
            await session.flush()
            session.add(
                EventVersion(
                    event_id=event.id, version=1, submitted_at=now, snapshot=snapshot(event)
                )
            )
            await search.index_event(session, event, new=True)
            await route_or_ask_organiser(session, deps, event, now)
            record(
                session,
                at=now,
                actor_id=me.id,
                action="event.requested",
                subject_type="event",
                subject_id=event.id,
                clause="R6",
                ref=event.ref,
                short_lead=event.short_lead,
            )
            await drafts.drop(session, me.id)  # in this transaction: never filed twice
            return Result(event.id, event.ref, event.status, event.short_lead)

    return await numbered(write)


async def withdraw(deps: Deps, actor: TgUser, event_id: int) -> Result:
    """The requester takes the request back before the decision; after it, the office cancels."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = authority.require_member(await acting(session, actor, now=now))
        event = await load_locked(session, event_id)
        if event.requester_id != me.id:
            raise NotAllowed(N_("Only the requester can withdraw a request."))
        if event.status in (EventStatus.APPROVED, EventStatus.CLEARED):
            raise InvalidInput(
                N_("{ref} is already approved. Ask the office to cancel it."), ref=event.ref
            )
        if event.status not in OPEN:
            raise await why_not(session, event)
        event.status, event.closed_at = EventStatus.WITHDRAWN, now
        record(
            session,
            at=now,
            actor_id=me.id,
            action="event.withdrawn",
            subject_type="event",
            subject_id=event.id,
            clause="R6",
        )
        return Result(event.id, event.ref, event.status)
