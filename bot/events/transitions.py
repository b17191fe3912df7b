"""What every step of an event request (R6) shares: the request loaded and locked, moved on
only from the state and version the pressed card saw (a conditional UPDATE), the reason a card
no longer applies in the presser's words, and the notice to its parties afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from bot.events.cards import resubmit_buttons
from bot.events.models import OPEN, EventRequest, EventStatus
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.outbox.models import Semantics
from bot.people import authority
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import PersonView, TgUser


def not_past(event: EventRequest, now: datetime) -> None:
    """R6: an event is approved before it is held; one whose moment has passed (a lapse) is
    not approved afterwards, whatever the pressed card says."""
    if event.starts_at <= now:
        raise InvalidInput(
            N_("{ref} was planned for a moment that has passed; it can no longer be approved."),
            ref=event.ref,
        )


async def load_locked(session: AsyncSession, event_id: int) -> EventRequest:
    """The request, locked for this transaction (FOR UPDATE); NotFound when it is gone."""
    event = await session.scalar(
        select(EventRequest).where(EventRequest.id == event_id).with_for_update()
    )
    if event is None:
        raise NotFound(N_("This request no longer exists."))
    return event


async def move_if(
    session: AsyncSession,
    event: EventRequest,
    version: int,
    expected: EventStatus,
    **values: Any,
) -> bool:
    """Move the request on only if it is still where the pressed card saw it."""
    result = await session.execute(
        update(EventRequest)
        .where(
            EventRequest.id == event.id,
            EventRequest.status == expected,
            EventRequest.version == version,
        )
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))


async def why_not(
    session: AsyncSession, event: EventRequest, version: int | None = None
) -> InvalidInput | AlreadyDone:
    """Why the pressed card no longer applies, in words for the person who pressed it."""
    await session.refresh(event)
    if version is not None and version != event.version and event.status in OPEN:
        return AlreadyDone(
            N_("This card shows an earlier version of {ref}. Please use the newest one."),
            ref=event.ref,
        )
    if event.status == EventStatus.WITHDRAWN:
        return AlreadyDone(N_("{ref} was withdrawn by the requester."), ref=event.ref)
    if event.status == EventStatus.IN_REVIEW:
        return InvalidInput(N_("{ref} is still with the committee head for review."), ref=event.ref)
    if event.status == EventStatus.CHANGES_REQUESTED:
        return AlreadyDone(N_("{ref} is back with the requester for changes."), ref=event.ref)
    who = await session.get(Person, event.decided_by_id or event.reviewed_by_id or 0)
    return AlreadyDone(
        N_("{ref} has already been dealt with by {name}."),
        ref=event.ref,
        name=who.display_name if who else "?",
    )


async def tell(
    session: AsyncSession, event: EventRequest, now: datetime, template: str, **params: str
) -> None:
    """The requester and the organiser, and the office in copy (decisions: at most once)."""
    people: dict[int, Person] = {}
    for pid in (event.requester_id, event.organiser_id):
        person = await session.get(Person, pid)
        if person is not None:
            people[person.id] = person
    for person in await people_with_role(session, Role.OFFICE):
        people.setdefault(person.id, person)
    for person in people.values():
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template=template,
            params={"ref": event.ref, "title": event.title, **params},
            buttons=resubmit_buttons(event) if person.id == event.requester_id else None,
            semantics=Semantics.AT_MOST_ONCE,  # a doubled "approved" would mislead
        )


async def sent_back(
    session: AsyncSession, actor: TgUser, event_id: int, now: datetime
) -> tuple[PersonView, EventRequest]:
    """The requester's own request, sent back for changes: the only state it may be edited in."""
    me = authority.require_member(await acting(session, actor, now=now))
    event = await load_locked(session, event_id)
    if event.requester_id != me.id:
        raise NotAllowed(N_("Only the requester can change a request."))
    if event.status != EventStatus.CHANGES_REQUESTED:
        raise await why_not(session, event)
    return me, event
