"""Decisions on event requests (R6, L2, L3): the committee head's review and the approver's
decision, each a conditional update on (status, version) so it happens once."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.buttons import EventAction
from bot.deps import Deps
from bot.errors import InvalidInput, NotAllowed
from bot.events import own_case
from bot.events.acting import may_approve
from bot.events.cards import approver_buttons, card_params, event_button
from bot.events.models import EventRequest, EventStatus
from bot.events.service import Result, deciders
from bot.events.transitions import load_locked, move_if, not_past, tell, why_not
from bot.freetext import clean
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import PersonView, TgUser


async def _may_review(session: AsyncSession, me: PersonView, event: EventRequest) -> None:
    """The head of the requester's committee, now (L3)."""
    if not await authority.heads(session, me, event.committee_id):
        raise NotAllowed(N_("Only the head of the requester's committee can review this."))


# The one place an approver's button becomes what it does: the status it moves the request to,
# and the name of the decision in the audit entry and the notices (`event.approve`, R6).
DECISIONS: dict[EventAction, tuple[EventStatus, str]] = {
    EventAction.APPROVE: (EventStatus.APPROVED, "approve"),
    EventAction.REJECT: (EventStatus.REJECTED, "reject"),
    EventAction.REQUEST_CHANGES: (EventStatus.CHANGES_REQUESTED, "changes"),
}


async def decide(
    deps: Deps, actor: TgUser, event_id: int, version: int, action: EventAction, note: str = ""
) -> Result:
    """Approve, reject (with a reason) or request changes (with a comment): R6."""
    now = deps.clock.now()
    if action not in DECISIONS:
        raise InvalidInput(N_("This button is no longer valid."))
    status, decision = DECISIONS[action]
    text = clean(decision, note, deps.policy) if action != EventAction.APPROVE else None
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        if not await may_approve(session, deps, me, now):
            raise NotAllowed(N_("Only the secretary or the deputy can decide on events."))
        event = await load_locked(session, event_id)
        own_case.refuse_own(event, me.id)  # R6, L2: nobody decides their own case
        if action == EventAction.APPROVE and event.status == EventStatus.PENDING:
            not_past(event, now)
        moved = await move_if(
            session,
            event,
            version,
            EventStatus.PENDING,
            status=status,
            decided_at=now,
            decided_by_id=me.id,
            decision_note=text,
            closed_at=now if status == EventStatus.REJECTED else None,
        )
        if not moved:
            raise await why_not(session, event, version)
        await session.refresh(event)
        record(
            session,
            at=now,
            actor_id=me.id,
            action=f"event.{decision}",
            subject_type="event",
            subject_id=event.id,
            clause="R6",
            version=version,
            note=text,
        )
        await tell(session, event, now, f"event.{decision}", by=me.name, note=text or "")
        if status == EventStatus.APPROVED:
            # R6: approved is not yet cleared; the office files it with the publicity department.
            filing = [
                [event_button(N_("Record the filing"), EventAction.FILE, event)],
                [event_button(N_("Cancel the event"), EventAction.CANCEL, event)],
            ]
            for person in await people_with_role(session, Role.OFFICE):
                outbox.notify_person(
                    session,
                    now=now,
                    person=person,
                    template="event.file",
                    params={
                        "ref": event.ref,
                        "title": event.title,
                        "starts_at": event.starts_at.isoformat(),
                    },
                    buttons=filing,
                )
        return Result(event.id, event.ref, event.status)


async def review(
    deps: Deps, actor: TgUser, event_id: int, version: int, forward: bool, note: str = ""
) -> Result:
    """The committee head forwards the request to the approvers, or sends it back (L3)."""
    now = deps.clock.now()
    text = None if forward else clean("changes", note, deps.policy)
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        event = await load_locked(session, event_id)
        await _may_review(session, me, event)
        own_case.refuse_own(event, me.id)  # a head does not review their own request
        if forward and event.status == EventStatus.IN_REVIEW:
            not_past(event, now)
        target = EventStatus.PENDING if forward else EventStatus.CHANGES_REQUESTED
        if not await move_if(
            session,
            event,
            version,
            EventStatus.IN_REVIEW,
            status=target,
            reviewed_at=now,
            reviewed_by_id=me.id,
            decision_note=text,
        ):
            raise await why_not(session, event, version)
        await session.refresh(event)
        record(
            session,
            at=now,
            actor_id=me.id,
            action="event.forwarded" if forward else "event.sent_back",
            subject_type="event",
            subject_id=event.id,
            clause="L3",
            note=text,
        )
        if forward:
            requester = await session.get(Person, event.requester_id)
            organiser = await session.get(Person, event.organiser_id)
            assert requester is not None and organiser is not None
            chain, why = await deciders(session, deps, event, now)
            for person in chain:
                outbox.notify_person(
                    session,
                    now=now,
                    person=person,
                    template="event.decide",
                    params={
                        **card_params(event, requester, organiser),
                        "reviewed_by": me.name,
                        **why,
                    },
                    buttons=approver_buttons(event),
                )
        else:
            await tell(session, event, now, "event.changes", by=me.name, note=text or "")
        return Result(event.id, event.ref, event.status)


async def check_can_act(
    deps: Deps, actor: TgUser, event_id: int, version: int, *, review: bool
) -> None:
    """Before asking for a reason or a comment: would the decision still be possible now?

    Saves an approver typing a reason for a request somebody else has already decided.
    """
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        event = await load_locked(session, event_id)
        if review:
            await _may_review(session, me, event)
            expected = EventStatus.IN_REVIEW
        else:
            if not await may_approve(session, deps, me, now):
                raise NotAllowed(N_("Only the secretary or the deputy can decide on events."))
            expected = EventStatus.PENDING
        own_case.refuse_own(event, me.id)
        if event.status != expected or event.version != version:
            raise await why_not(session, event, version)
