"""Drafts: the step a person is at in a guided conversation, kept in SQL
(rule 6 of docs/decisions/011-house-rules.md).

Each step is saved in its own short transaction when the person answers, so a restart (even a
SIGKILL) resumes at the last answered step. One draft per person: starting another flow
replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import upsert
from bot.deps import Deps
from bot.drafts.models import Draft
from bot.inbox import service as inbox
from bot.people import known
from bot.people import service as people
from bot.people.models import Person
from bot.people.view import PersonView, TgUser


@dataclass
class DraftState:
    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    update_id: int | None = None  # the update that made this step (bot.inbox)
    person_id: int | None = None  # whose draft, when it was read from the database

    @property
    def replayed(self) -> bool:
        """The update being handled made this step already: a crash interrupted its answer,
        and it is handled again. Show the step; do not apply the update twice."""
        return self.update_id is not None and self.update_id == inbox.current()


# Core: no ORM layer on hot statements
_drafts, _people = cast(Table, Draft.__table__), cast(Table, Person.__table__)
_COLUMNS = tuple(_drafts.c[name] for name in ("person_id", "flow", "step", "data", "update_id"))


def _state(row: Any) -> DraftState | None:
    """The draft in a row of _COLUMNS, or a Draft (None where an outer join found none)."""
    if row.flow is None:
        return None
    return DraftState(row.flow, row.step, dict(row.data), row.update_id, row.person_id)


# Built once (building a statement costs more than running it: the bench's profile,
# docs/decisions/006-performance.md).
_OF_TELEGRAM_ID = (
    select(*_COLUMNS)
    .join(_people, _people.c.id == _drafts.c.person_id)
    .where(_people.c.telegram_id == bindparam("telegram_id"))
)
_PERSON_AND_DRAFT = (
    known.query().add_columns(*_COLUMNS).outerjoin(_drafts, _drafts.c.person_id == _people.c.id)
)
_SAVED = ("flow", "step", "data", "updated_at", "update_id")


def _save_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT (person_id) DO UPDATE, with bound parameters, per dialect."""
    new = upsert.insert_for(dialect, _drafts)
    return new.on_conflict_do_update(
        index_elements=["person_id"], set_={c: new.excluded[c] for c in _SAVED}
    )


_SAVE = {dialect: _save_statement(dialect) for dialect in upsert.DIALECTS}


async def get(deps: Deps, telegram_id: int) -> DraftState | None:
    """The draft of the person with this Telegram id, or None."""
    async with deps.db.core() as connection:
        row = (await connection.execute(_OF_TELEGRAM_ID, {"telegram_id": telegram_id})).first()
        return _state(row) if row else None


async def of(deps: Deps, tg: TgUser) -> tuple[PersonView, DraftState | None]:
    """The person writing in private (registered as `people.identify` does) and their draft,
    in one transaction and, when nothing about the person needs writing, one statement:
    every step of a guided conversation asks for both (docs/decisions/006-performance.md)."""
    async with deps.db.core() as connection:
        rows = (await connection.execute(_PERSON_AND_DRAFT, {"telegram_id": tg.id})).all()
    me = known.current(rows, tg, started=True)
    if me is not None:
        return me, _state(rows[0])
    async with deps.db.transaction() as session:  # something about the person to write
        me = await people.registered(session, tg, now=deps.clock.now(), started=True)
        row = await session.get(Draft, me.id)
        return me, _state(row) if row else None


async def save(deps: Deps, person_id: int, state: DraftState) -> None:
    """The step the person is at, written over the one before: one statement."""
    now = deps.clock.now()
    state.update_id, state.person_id = inbox.current(), person_id
    values = {
        "person_id": person_id,
        "flow": state.flow,
        "step": state.step,
        "data": state.data,
        "updated_at": now,
        "update_id": state.update_id,
    }
    async with deps.db.core() as connection:
        await connection.execute(_SAVE[deps.db.dialect], values)


async def annotate(deps: Deps, telegram_id: int, values: dict[str, Any]) -> DraftState | None:
    """Add `values` to the data of the person's draft, leaving its step and the update that
    made it as they are; the draft as it is now (None: there is none)."""
    async with deps.db.transaction() as session:
        person_id = await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))
        row = None if person_id is None else await session.get(Draft, person_id)
        if row is None:
            return None
        row.data = {**row.data, **values}
        return _state(row)


async def drop(session: AsyncSession, person_id: int) -> None:
    """End a person's draft inside the transaction that files what it held, so a crash
    between the two cannot leave a draft that would be filed a second time."""
    # On the table, not the entity: no Draft object is loaded here to keep in step
    # (docs/decisions/006-performance.md).
    await session.execute(delete(_drafts).where(_drafts.c.person_id == person_id))


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
