"""After approval (R6): the office's filing that clears the event, its cancellation, and the
organiser's word on how the event went."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import examples
from bot.audit.service import record
from bot.buttons import EventAction
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound, StaleButton
from bot.events.models import EventRequest, EventStatus
from bot.events.service import Result
from bot.events.transitions import load_locked, move_if, tell, why_not
from bot.freetext import clean
from bot.i18n import N_
from bot.people import authority
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import PersonView, TgUser


def _check_filing_date(deps: Deps, event: EventRequest, filing_date: str, now: datetime) -> str:
    """R6: a filing clears an event only if it was made before the event, and nobody files on a
    day still to come or before the request existed. The date as ISO, or InvalidInput."""
    try:
        day = date.fromisoformat(filing_date.strip())
    except ValueError:
        raise InvalidInput(
            N_("Please write the date like {example}."), example=examples.day(now, deps.zone)
        ) from None
    today = now.astimezone(deps.zone).date()
    held = event.starts_at.astimezone(deps.zone).date()
    requested = event.requested_at.astimezone(deps.zone).date()
    if day > today:
        raise InvalidInput(
            N_("{date} is still to come. On which date was it filed? Write it like {example}."),
            date=day.isoformat(),
            example=examples.day(now, deps.zone),
        )
    if day > held:
        raise InvalidInput(
            N_(
                "{date} is after the event ({held}): a filing clears an event only before it is "
                "held. On which date was it filed?"
            ),
            date=day.isoformat(),
            held=held.isoformat(),
        )
    decided = event.decided_at.astimezone(deps.zone).date() if event.decided_at else None
    if decided is not None and day < decided:  # whatever was typed or forged
        raise InvalidInput(
            N_("The filing date cannot be before the approval ({date})."),
            date=decided.isoformat(),
        )
    if day < requested:
        raise InvalidInput(
            N_("{date} is before the request was made ({requested}). On which date was it filed?"),
            date=day.isoformat(),
            requested=requested.isoformat(),
        )
    return day.isoformat()


async def check_filing_date(deps: Deps, event_id: int, filing_date: str) -> str:
    """Before asking for the reference: the date as record_filing will check it."""
    async with deps.db.read() as session:
        event = await session.get(EventRequest, event_id)
        if event is None:
            raise NotFound(N_("This request no longer exists."))
        return _check_filing_date(deps, event, filing_date, deps.clock.now())


async def record_filing(
    deps: Deps, actor: TgUser, event_id: int, version: int, filing_date: str, filing_ref: str
) -> Result:
    """The office records the filing with the city publicity department: now it is cleared."""
    now = deps.clock.now()
    ref = clean("filing_ref", filing_ref, deps.policy)
    async with deps.db.transaction() as session:
        me = await _office(session, actor, now, filing=True)
        event = await load_locked(session, event_id)
        await _fileable(session, event, version)
        filing_date = _check_filing_date(deps, event, filing_date, now)
        if not await move_if(
            session,
            event,
            version,
            EventStatus.APPROVED,
            status=EventStatus.CLEARED,
            filed_at=now,
            filed_by_id=me.id,
            filing_date=filing_date,
            filing_ref=ref,
        ):
            await session.refresh(event)  # moved meanwhile: say by whom and how
            await _fileable(session, event, version)
        await session.refresh(event)
        record(
            session,
            at=now,
            actor_id=me.id,
            action="event.filed",
            subject_type="event",
            subject_id=event.id,
            clause="R6",
            filing_ref=ref,
            filing_date=filing_date,
        )
        await tell(session, event, now, "event.cleared", filing_ref=ref, filing_date=filing_date)
        return Result(event.id, event.ref, event.status)


async def check_office(
    deps: Deps, actor: TgUser, event_id: int, version: int, *, filing: bool
) -> None:
    """Before asking for a date or a reason: only the office files and cancels (R6), and only
    what is still to be filed or cancelled, so nobody types an answer only to be refused."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:  # a refusal rolls back: nothing recorded
        await _office(session, actor, now, filing=filing)
        event = await load_locked(session, event_id)
        if filing:
            await _fileable(session, event, version)
        else:
            await _cancellable(session, event, now)


async def _fileable(session: AsyncSession, event: EventRequest, version: int) -> None:
    """R6: only an approved request, as the card saw it, is filed."""
    if event.status == EventStatus.CLEARED:
        raise AlreadyDone(N_("{ref} is already filed and cleared."), ref=event.ref)
    if event.status != EventStatus.APPROVED:
        raise await why_not(session, event)
    if event.version != version:
        raise StaleButton()


async def _cancellable(session: AsyncSession, event: EventRequest, now: datetime) -> None:
    """R6: only an approved or cleared event that has not taken place is cancelled."""
    if event.status not in (EventStatus.APPROVED, EventStatus.CLEARED):
        raise await why_not(session, event)
    if event.starts_at <= now:
        raise InvalidInput(
            N_("{ref} has already taken place; it can no longer be cancelled."), ref=event.ref
        )


async def _office(
    session: AsyncSession, actor: TgUser, now: datetime, *, filing: bool
) -> PersonView:
    """Only the office files and cancels (R6)."""
    me = await acting(session, actor, now=now)
    refusal = (
        N_("Only the office records filings.")
        if filing
        else N_("Only the office can cancel an approved event.")
    )
    return authority.require_role(me, (Role.OFFICE,), refusal)


async def cancel(deps: Deps, actor: TgUser, event_id: int, reason: str) -> Result:
    """The office cancels an approved or cleared event: its own recorded step (R6)."""
    now = deps.clock.now()
    text = clean("cancel", reason, deps.policy)
    async with deps.db.transaction() as session:
        me = await _office(session, actor, now, filing=False)
        event = await load_locked(session, event_id)
        await _cancellable(session, event, now)
        event.status, event.closed_at = EventStatus.CANCELLED, now
        record(
            session,
            at=now,
            actor_id=me.id,
            action="event.cancelled",
            subject_type="event",
            subject_id=event.id,
            clause="R6",
            reason=text,
        )
        await tell(session, event, now, "event.cancelled", by=me.name, note=text)
        return Result(event.id, event.ref, event.status)


OUTCOMES = ("held", "not_held", "incident")
# The organiser's button and the outcome it records (R7): the one place they meet.
OUTCOME_OF = {
    EventAction.HELD: "held",
    EventAction.NOT_HELD: "not_held",
    EventAction.HELD_WITH_INCIDENT: "incident",
}


async def record_outcome(
    deps: Deps, actor: TgUser, event_id: int, outcome: str, version: int | None = None
) -> Result:
    """After the event, its organiser says how it went: held as planned, not held, or held
    with an incident (which then goes on as a /report). Recorded once, for the ledger (R7)."""
    now = deps.clock.now()
    if outcome not in OUTCOMES:
        raise InvalidInput(N_("This button is no longer valid."))
    async with deps.db.transaction() as session:
        me = authority.require_member(await acting(session, actor, now=now))
        event = await load_locked(session, event_id)
        if me.id not in (event.organiser_id, event.requester_id):
            raise NotAllowed(N_("Only the organiser can say how the event went."))
        if event.outcome is not None:
            raise AlreadyDone(N_("How {ref} went is already recorded."), ref=event.ref)
        await _check_outcome(session, event, version, now)
        event.outcome, event.outcome_at = outcome, now
        record(
            session,
            at=now,
            actor_id=me.id,
            action="event.outcome",
            subject_type="event",
            subject_id=event.id,
            clause="R6",
            outcome=outcome,
        )
        return Result(event.id, event.ref, event.status)


async def _check_outcome(
    session: AsyncSession, event: EventRequest, version: int | None, now: datetime
) -> None:
    """R6, R7: only an event that was cleared and whose moment has come can have gone some
    way; a withdrawn, rejected, cancelled or future one cannot, whatever the card says."""
    if event.status == EventStatus.WITHDRAWN:
        raise await why_not(session, event)
    if event.status == EventStatus.CANCELLED:
        raise AlreadyDone(N_("{ref} was cancelled."), ref=event.ref)
    if event.status != EventStatus.CLEARED:
        raise InvalidInput(
            N_("{ref} was not cleared for holding, so how it went cannot be recorded."),
            ref=event.ref,
        )
    if version is not None and version != event.version:
        raise StaleButton()
    if event.starts_at > now:
        raise InvalidInput(
            N_("{ref} has not taken place yet, so how it went cannot be recorded."),
            ref=event.ref,
        )


async def incident_context(deps: Deps, event_id: int) -> dict[str, str]:
    """What a report of an incident at this event starts with (kind, place, reference)."""
    async with deps.db.read() as session:
        event = await session.get(EventRequest, event_id)
        if event is None:
            raise NotFound(N_("This request no longer exists."))
        return {"ref": event.ref, "title": event.title, "venue": event.venue}
