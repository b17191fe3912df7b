"""Nobody decides their own case (R6, L2): a request made or organised by an approver, or by a
committee head, goes past them to the next in the chain — secretary, deputy, an acting
approver — and whoever made or organises a request can neither review nor decide it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.errors import NotAllowed
from bot.events.models import EventRequest
from bot.i18n import N_
from bot.people.models import Person

RULE = "nobody decides their own case"


def parties(event: EventRequest) -> set[int]:
    """Whose case the request is: its requester and its organiser (R6: whoever organises is
    responsible)."""
    return {event.requester_id, event.organiser_id}


def refuse_own(event: EventRequest, person_id: int) -> None:
    """NotAllowed when `person_id` made or organises `event`."""
    if person_id in parties(event):
        raise NotAllowed(
            N_(
                "You made or organise {ref}, so another approver decides it: nobody decides "
                "their own case (R6)."
            ),
            ref=event.ref,
        )


def split(event: EventRequest, chain: list[Person]) -> tuple[list[Person], list[Person]]:
    """The chain, in order, without the request's own parties; and those left out."""
    own = parties(event)
    return [p for p in chain if p.id not in own], [p for p in chain if p.id in own]


def note_passed(
    session: AsyncSession,
    event: EventRequest,
    now: datetime,
    stage: str,
    passed: list[Person],
    to: list[Person],
) -> dict[str, list[str]]:
    """Audit the routing past the request's own parties (with the rule that applied) and give
    the card's parameters that say why it came to the reader."""
    if not passed:
        return {}
    record(
        session,
        at=now,
        action="event.own_case",
        subject_type="event",
        subject_id=event.id,
        clause="R6",
        rule=RULE,
        stage=stage,
        passed=[p.id for p in passed],
        to=[p.id for p in to],
    )
    return {"own_case": [p.display_name for p in passed]}
