"""The staff of the event service tests, a lecture's draft, and the messages queued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.deps import Deps
from bot.events.draft import EventDraft
from bot.people.roles import Role
from tests.support.outbox import queued
from tests.support.staff import DEPUTY, OFFICE, SECRETARY, appoint


async def staff(deps: Deps) -> None:
    await appoint(deps, [(SECRETARY, Role.SECRETARY), (DEPUTY, Role.DEPUTY), (OFFICE, Role.OFFICE)])


def draft(days: int = 10, **changes: object) -> EventDraft:
    base = EventDraft(
        event_type="lecture",
        title="<b>新时代</b>理论宣讲报告会",
        starts_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC) + timedelta(days=days),
        venue="机关三楼会议室",
        audience=80,
        speakers=[{"name": "张教授", "affiliation": "市委党校"}],
        outline="一、……二、……",
        speakers_vetted=True,
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


messages = queued  # the outbox's rows of one template
