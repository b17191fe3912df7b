"""Drafts: the step a person is at in a guided conversation, kept in SQL (rule 6).

Each step is saved in its own short transaction when the person answers, so a restart (even a
SIGKILL) resumes at the last answered step. One draft per person: starting another flow
replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.drafts.models import Draft
from bot.inbox import service as inbox
from bot.people import service as people
from bot.people.models import Person
from bot.people.service import PersonView, TgUser


@dataclass
class DraftState:
    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    update_id: int | None = None  # the update that made this step (bot.inbox)

    @property
    def replayed(self) -> bool:
        """The update being handled made this step already: a crash interrupted its answer,
        and it is handled again. Show the step; do not apply the update twice."""
        return self.update_id is not None and self.update_id == inbox.current()


async def get(deps: Deps, telegram_id: int) -> DraftState | None:
    async with deps.db.read() as session:
        row = await session.scalar(
            select(Draft)
            .join(Person, Person.id == Draft.person_id)
            .where(Person.telegram_id == telegram_id)
        )
        return DraftState(row.flow, row.step, dict(row.data), row.update_id) if row else None


async def of(deps: Deps, tg: TgUser) -> tuple[PersonView, DraftState | None]:
    """The person writing in private (registered as `people.identify` does) and their draft,
    in one transaction: every step of a guided conversation asks for both."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await people.current(session, tg, now=now, started=True)
        row = await session.get(Draft, me.id)
        return me, (DraftState(row.flow, row.step, dict(row.data), row.update_id) if row else None)


async def save(deps: Deps, person_id: int, state: DraftState) -> None:
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        row = await session.get(Draft, person_id)
        if row is None:
            row = Draft(person_id=person_id, flow=state.flow, step=state.step, updated_at=now)
            session.add(row)
        row.flow, row.step, row.data, row.updated_at = state.flow, state.step, state.data, now
        row.update_id = state.update_id = inbox.current()


async def drop(session: AsyncSession, person_id: int) -> None:
    """End a person's draft inside the transaction that files what it held, so a crash
    between the two cannot leave a draft that would be filed a second time."""
    await session.execute(delete(Draft).where(Draft.person_id == person_id))


async def clear(deps: Deps, telegram_id: int) -> DraftState | None:
    """Drop the person's draft (/cancel or finished); returns what was dropped."""
    async with deps.db.transaction() as session:
        person_id = await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))
        if person_id is None:
            return None
        row = await session.get(Draft, person_id)
        if row is None:
            return None
        dropped = DraftState(row.flow, row.step, dict(row.data))
        await session.execute(delete(Draft).where(Draft.person_id == person_id))
        return dropped
