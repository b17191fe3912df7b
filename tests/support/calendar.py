"""An organisation for the calendar's service tests, Shanghai's local time, the outbox's rows."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.chats import service as chats
from bot.chats.service import Purpose
from bot.deps import Deps
from bot.outbox.models import OutboxMessage
from tests.support.events import staff
from tests.support.staff import ADMIN

CN = ZoneInfo("Asia/Shanghai")
ORG, LEADERS = -100, -200


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CN).astimezone(UTC)  # type: ignore[misc]


async def organisation(deps: Deps, groups: bool = True) -> None:
    await staff(deps)
    if groups:
        await chats.bind(deps, ADMIN, chat_id=ORG, title="机关", purpose=Purpose.ORG)
        await chats.bind(deps, ADMIN, chat_id=LEADERS, title="党组", purpose=Purpose.LEADERSHIP)


async def outbox(deps: Deps, prefix: str = "calendar.") -> list[OutboxMessage]:
    async with deps.db.read() as s:
        rows = await s.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.template.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
        return list(rows)
