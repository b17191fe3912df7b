"""What people read about their event requests (/my)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from bot.deps import Deps
from bot.events.acting import may_approve
from bot.events.models import EventRequest, EventStatus
from bot.people.models import RoleGrant
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import TgUser


@dataclass(frozen=True)
class MyEvent:
    id: int
    ref: str
    title: str
    status: str
    version: int
    starts_at: datetime
    requested: bool = True  # False: only organised by this person (R6: they answer for it)


async def awaiting_my_decision(deps: Deps, actor: TgUser, limit: int = 10) -> list[MyEvent]:
    """/my: requests waiting for this person: as named organiser, to confirm (R6); as the
    office, the approved ones to file (R6); as approver (R6, L2), those with the approver; as
    committee head (L3), those of the committee under review. Their own requests are not
    theirs to approve."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        theirs = (EventRequest.status == EventStatus.ORGANISER) & (
            EventRequest.organiser_id == me.id
        )
        if Role.OFFICE in me.roles:  # R6: approved, waiting for the office to record the filing
            theirs = theirs | (EventRequest.status == EventStatus.APPROVED)
        waiting = []
        if await may_approve(session, deps, me, now):
            waiting.append(EventRequest.status == EventStatus.PENDING)
        if Role.COMMITTEE_HEAD in me.roles:
            headed = select(RoleGrant.committee_id).where(
                RoleGrant.person_id == me.id,
                RoleGrant.role == Role.COMMITTEE_HEAD,
                RoleGrant.revoked_at.is_(None),
            )
            waiting.append(
                (EventRequest.status == EventStatus.IN_REVIEW)
                & EventRequest.committee_id.in_(headed)
            )
        others = (EventRequest.requester_id != me.id) & (EventRequest.organiser_id != me.id)
        rows = await session.scalars(
            select(EventRequest)
            .where(or_(theirs, and_(or_(*waiting), others)) if waiting else theirs)
            .order_by(EventRequest.id)
            .limit(limit)
        )
        return [MyEvent(e.id, e.ref, e.title, e.status, e.version, e.starts_at) for e in rows]


async def my_events(deps: Deps, actor: TgUser, limit: int = 10) -> list[MyEvent]:
    """/my: the person's own requests (as requester or organiser), newest first."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        rows = await session.scalars(
            select(EventRequest)
            .where((EventRequest.requester_id == me.id) | (EventRequest.organiser_id == me.id))
            .order_by(EventRequest.id.desc())
            .limit(limit)
        )
        return [
            MyEvent(e.id, e.ref, e.title, e.status, e.version, e.starts_at, e.requester_id == me.id)
            for e in rows
        ]
