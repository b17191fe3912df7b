"""The outbox's rows, as the service tests read what a use case queued."""

from __future__ import annotations

from sqlalchemy import select

from bot.deps import Deps
from bot.outbox.models import OutboxMessage


async def queued(deps: Deps, template: str) -> list[OutboxMessage]:
    """Every message of `template` in the outbox, in the order it was queued."""
    async with deps.db.read() as s:
        rows = await s.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.template == template)
            .order_by(OutboxMessage.id)
        )
        return list(rows)
