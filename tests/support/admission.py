"""Admission in flow tests: the door closed to a setting, and the audit trail's actions."""

from __future__ import annotations

from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.policy.schema import People
from tests.support.bot import Harness


def close_door(h: Harness, admission: str) -> None:
    h.deps.policy = h.deps.policy.model_copy(update={"people": People(admission=admission)})


async def actions(h: Harness) -> list[str]:
    async with h.deps.db.read() as s:
        return list(await s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
