"""What people read about their event requests (/my)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.deps import Deps
from bot.events.models import EventRequest
from bot.people.service import TgUser, acting


@dataclass(frozen=True)
class MyEvent:
    id: int
    ref: str
    title: str
    status: str
    version: int
    starts_at: datetime


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
        return [MyEvent(e.id, e.ref, e.title, e.status, e.version, e.starts_at) for e in rows]
