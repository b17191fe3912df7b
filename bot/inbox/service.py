"""Updates are handled exactly once, even across a SIGKILL (docs/decisions/001-telegram-limits.md: a
hard kill can lose or
repeat the last batch).

- Long polling confirms a batch when the next getUpdates asks past it, which happens while the
  batch is still being handled. `received` stores each batch before that next request, so a
  kill can no longer lose it. Kept this way, an update counts as handed to the handlers once
  already (this process hands its batches over in order, with no further write).
- An update's end is recorded (`finish_all`) before the next update is handled: with the next
  batch's arrival when one comes (the same transaction), else in a transaction of its own.
  What began and did not finish is handed to the handlers again at the next start
  (`unfinished`, through `begin`); what finished is skipped when Telegram sends it again. At
  most one update is ever handled and not yet recorded, so a crash replays only the last one,
  and in order (runtime.updates.InboxApplication).
- A handler that is run again must not apply the update twice: the business services refuse a
  second decision (rule 5 of docs/decisions/011-house-rules.md), and a conversation step
  remembers the update that made it (`current()`, kept with the draft) so the step is shown
  again instead of advanced twice.
  `again()` says the update is being handled again: what it answered before the crash may
  have reached the person (handlers.replay, handlers.text).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextvars import ContextVar, Token
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.db import upsert
from bot.db.engine import Database
from bot.inbox.models import InboxUpdate

log = logging.getLogger(__name__)

# An update that was being handled when the process died this many times is skipped: it may be
# the cause (a poison update), and the bot must come up.
MAX_ATTEMPTS = 3
# Handled updates are kept this long: Telegram re-sends an unconfirmed batch within a day.
KEEP = timedelta(days=2)

# What every batch and update runs: Core, built once (docs/decisions/006-performance.md).
_inbox = cast(Table, InboxUpdate.__table__)
# INSERT … ON CONFLICT DO NOTHING RETURNING, per dialect.
_KEEP_NEW = {
    dialect: upsert.insert_for(dialect, _inbox)
    .on_conflict_do_nothing(index_elements=["update_id"])
    .returning(_inbox.c.update_id)
    for dialect in upsert.DIALECTS
}
_FINISH = (
    update(_inbox)
    .where(_inbox.c.update_id.in_(bindparam("ids", expanding=True)))
    .values(finished_at=bindparam("at"))
)
_CURRENT: ContextVar[int | None] = ContextVar("dutydesk_update_id", default=None)
_AGAIN: ContextVar[bool] = ContextVar("dutydesk_update_again", default=False)


def current() -> int | None:
    """The id of the update being handled in this task, if any."""
    return _CURRENT.get()


def _id_of(payload: dict[str, Any]) -> int | None:
    value = payload.get("update_id")
    return value if isinstance(value, int) else None


async def received(
    db: Database,
    payloads: list[dict[str, Any]],
    *,
    now: datetime,
    finished: Sequence[tuple[int, datetime]] = (),
) -> set[int]:
    """Keep a batch from getUpdates before it is confirmed (ids already kept are left alone),
    and record `finished` updates in the same transaction. Returns the ids kept now: the
    caller hands them to the handlers without `begin`."""
    by_id = {uid: p for p in payloads if (uid := _id_of(p)) is not None}
    if not by_id and not finished:
        return set()
    async with db.core() as connection:
        await _mark_finished(connection, finished)
        if not by_id:
            return set()
        # One statement, Core: this runs for every batch (the bench's profile,
        # docs/decisions/006-performance.md).
        rows = [
            {"update_id": uid, "received_at": now, "payload": payload, "attempts": 1}
            for uid, payload in by_id.items()
        ]
        kept = await connection.scalars(_KEEP_NEW[db.dialect], rows)
        return set(kept)


async def begin(
    db: Database,
    update_id: int,
    payload: Callable[[], dict[str, Any]],
    *,
    now: datetime,
    finished: Sequence[tuple[int, datetime]] = (),
) -> int:
    """Start handling an update that this process did not just keep (handed on again after a
    crash, or from a webhook): how many times it has been handed to the handlers now, counting
    this one (more than 1: again, after a crash); 0 when it was handled already (or given up
    on). `payload` makes the update's JSON, needed only when it was not kept on arrival.
    `finished`: updates whose handling ended since, recorded in the same transaction."""
    async with db.transaction() as session:
        await _mark_finished(session, finished)
        row = await session.get(InboxUpdate, update_id)
        if row is None:  # webhook mode, or a test feeding updates directly
            session.add(
                InboxUpdate(update_id=update_id, received_at=now, payload=payload(), attempts=1)
            )
            return 1
        if row.finished_at is not None:
            log.info("update %d was handled before; not again", update_id)
            return 0
        if row.attempts >= MAX_ATTEMPTS:
            log.error("update %d was being handled at %d crashes; skipped", update_id, row.attempts)
            row.finished_at = now
            return 0
        row.attempts += 1
        return row.attempts


async def finish_all(db: Database, finished: Sequence[tuple[int, datetime]]) -> None:
    """Record that these updates were handled, each with the moment it ended."""
    if finished:
        async with db.core() as connection:
            await _mark_finished(connection, finished)


async def _mark_finished(
    session: AsyncSession | AsyncConnection, finished: Sequence[tuple[int, datetime]]
) -> None:
    """One statement however many: they ended within moments of each other, and the time is
    only used to forget them after KEEP."""
    if finished:
        ids = [update_id for update_id, _ in finished]
        await session.execute(_FINISH, {"ids": ids, "at": max(at for _, at in finished)})


def handling(update_id: int, again: bool = False) -> Token[int | None]:
    """Mark this task as handling `update_id` (`again`: it was being handled when the process
    died); pass the result to `done_handling`."""
    _AGAIN.set(again)
    return _CURRENT.set(update_id)


def done_handling(token: Token[int | None]) -> None:
    """Undo `handling`: this task handles no update any more."""
    _AGAIN.set(False)
    _CURRENT.reset(token)


def again() -> bool:
    """The update being handled was being handled before, when the process died: what it
    answered then may have reached the person."""
    return _AGAIN.get()


async def unfinished(db: Database) -> list[dict[str, Any]]:
    """Updates received but not handled to the end (a crash), oldest first."""
    async with db.read() as session:
        rows = await session.scalars(
            select(InboxUpdate)
            .where(InboxUpdate.finished_at.is_(None), InboxUpdate.attempts < MAX_ATTEMPTS)
            .order_by(InboxUpdate.update_id)
        )
        return [dict(row.payload) for row in rows]


async def prune(db: Database, *, now: datetime) -> int:
    """Forget handled updates older than KEEP."""
    async with db.transaction() as session:
        result = await session.execute(
            delete(InboxUpdate).where(InboxUpdate.finished_at < now - KEEP)
        )
        return int(getattr(result, "rowcount", 0) or 0)
