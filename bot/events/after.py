"""After approval (R6): the office's filing that clears the event, its cancellation, and the
organiser's word on how the event went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from bot.events.models import EventRequest, EventStatus
from bot.events.service import (
    Result,
    load_locked,
    move_if,
    tell,
    why_not,
)
from bot.freetext import clean
from bot.i18n import N_
from bot.people.roles import Role
from bot.people.service import PersonView, TgUser, acting


async def record_filing(
    deps: Deps, actor: TgUser, event_id: int, version: int, filing_date: str, filing_ref: str
) -> Result:
    """The office records the filing with the city publicity department: now it is cleared."""
    now = deps.clock.now()
    ref = clean("filing_ref", filing_ref, deps.policy)
    async with deps.db.transaction() as session:
        me = await _office(session, actor, now, filing=True)
        event = await load_locked(session, event_id)
        if not await move_if(session, event, version, EventStatus.APPROVED,
                                 status=EventStatus.CLEARED, filed_at=now, filed_by_id=me.id,
                                 filing_date=filing_date, filing_ref=ref):  # fmt: skip
            await session.refresh(event)
            if event.status == EventStatus.CLEARED:
                raise AlreadyDone(N_("{ref} is already filed and cleared."), ref=event.ref)
            raise await why_not(session, event)
        await session.refresh(event)
        record(session, at=now, actor_id=me.id, action="event.filed", subject_type="event",
               subject_id=event.id, clause="R6", filing_ref=ref,
               filing_date=filing_date)  # fmt: skip
        await tell(session, event, now, "event.cleared", filing_ref=ref)
        return Result(event.id, event.ref, event.status)


async def check_office(deps: Deps, actor: TgUser, *, filing: bool) -> None:
    """Before asking for a date or a reason: only the office files and cancels (R6), so nobody
    else types an answer only to be refused."""
    async with deps.db.transaction() as session:  # a refusal rolls back: nothing recorded
        await _office(session, actor, deps.clock.now(), filing=filing)


async def _office(
    session: AsyncSession, actor: TgUser, now: datetime, *, filing: bool
) -> PersonView:
    """Only the office files and cancels (R6)."""
    me = await acting(session, actor, now=now)
    if Role.OFFICE not in me.roles:
        raise NotAllowed(N_("Only the office records filings.") if filing
                         else N_("Only the office can cancel an approved event."))  # fmt: skip
    return me


async def cancel(deps: Deps, actor: TgUser, event_id: int, reason: str) -> Result:
    """The office cancels an approved or cleared event: its own recorded step (R6)."""
    now = deps.clock.now()
    text = clean("cancel", reason, deps.policy)
    async with deps.db.transaction() as session:
        me = await _office(session, actor, now, filing=False)
        event = await load_locked(session, event_id)
        if event.status not in (EventStatus.APPROVED, EventStatus.CLEARED):
            raise await why_not(session, event)
        event.status, event.closed_at = EventStatus.CANCELLED, now
        record(session, at=now, actor_id=me.id, action="event.cancelled", subject_type="event",
               subject_id=event.id, clause="R6", reason=text)  # fmt: skip
        await tell(session, event, now, "event.cancelled", by=me.name, note=text)
        return Result(event.id, event.ref, event.status)


OUTCOMES = ("held", "not_held", "incident")


async def record_outcome(deps: Deps, actor: TgUser, event_id: int, outcome: str) -> Result:
    """After the event, its organiser says how it went: held as planned, not held, or held
    with an incident (which then goes on as a /report). Recorded once, for the ledger (R7)."""
    now = deps.clock.now()
    if outcome not in OUTCOMES:
        raise InvalidInput(N_("This button is no longer valid."))
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        event = await load_locked(session, event_id)
        if me.id not in (event.organiser_id, event.requester_id):
            raise NotAllowed(N_("Only the organiser can say how the event went."))
        if event.outcome is not None:
            raise AlreadyDone(N_("How {ref} went is already recorded."), ref=event.ref)
        event.outcome, event.outcome_at = outcome, now
        record(session, at=now, actor_id=me.id, action="event.outcome", subject_type="event",
               subject_id=event.id, clause="R6", outcome=outcome)  # fmt: skip
        return Result(event.id, event.ref, event.status)


async def incident_context(deps: Deps, event_id: int) -> dict[str, str]:
    """What a report of an incident at this event starts with (kind, place, reference)."""
    async with deps.db.read() as session:
        event = await session.get(EventRequest, event_id)
        if event is None:
            raise NotFound(N_("This request no longer exists."))
        return {"ref": event.ref, "title": event.title, "venue": event.venue}
