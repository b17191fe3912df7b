"""Updates are handled exactly once, even across a SIGKILL (STACK-NOTES: a hard kill can lose or
repeat the last batch).

- Long polling confirms a batch when the next getUpdates asks past it, which happens while the
  batch is still being handled. `received` stores each batch before that next request, so a
  kill can no longer lose it.
- `begin` and `finish` bracket the handling of one update. What began and did not finish is
  handed to the handlers again at the next start (`unfinished`); what finished is skipped when
  Telegram sends it again. Under load (more updates waiting) an update's `finish` is written
  in the same transaction as the next one's `begin`, before that one is handled: one commit
  per update instead of two, and still nothing is handled while an earlier one looks unfinished
  (bot.app.InboxApplication).
- A handler that is run again must not apply the update twice: the business services refuse a
  second decision (rule 5), and a conversation step remembers the update that made it
  (`current()`, kept with the draft) so the step is shown again instead of advanced twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextvars import ContextVar, Token
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.inbox.models import InboxUpdate

log = logging.getLogger(__name__)

# An update that was being handled when the process died this many times is skipped: it may be
# the cause (a poison update), and the bot must come up.
MAX_ATTEMPTS = 3
# Handled updates are kept this long: Telegram re-sends an unconfirmed batch within a day.
KEEP = timedelta(days=2)

_CURRENT: ContextVar[int | None] = ContextVar("dutydesk_update_id", default=None)


def current() -> int | None:
    """The id of the update being handled in this task, if any."""
    return _CURRENT.get()


def _id_of(payload: dict[str, Any]) -> int | None:
    value = payload.get("update_id")
    return value if isinstance(value, int) else None


async def received(db: Database, payloads: list[dict[str, Any]], *, now: datetime) -> set[int]:
    """Keep a batch from getUpdates before it is confirmed (ids already kept are left alone).
    Returns the ids kept now: they have not begun, so `begin(fresh=True)` may skip its look."""
    by_id = {uid: p for p in payloads if (uid := _id_of(p)) is not None}
    if not by_id:
        return set()
    async with db.transaction() as session:
        known = set(
            await session.scalars(
                select(InboxUpdate.update_id).where(InboxUpdate.update_id.in_(by_id))
            )
        )
        new = [uid for uid in by_id if uid not in known]
        if new:  # Core, not the ORM: this runs for every batch (issue 8's profile)
            await session.execute(
                insert(InboxUpdate),
                [{"update_id": uid, "received_at": now, "payload": by_id[uid], "attempts": 0}
                 for uid in new],
            )  # fmt: skip
    return set(new)


async def begin(
    db: Database,
    update_id: int,
    payload: Callable[[], dict[str, Any]],
    *,
    now: datetime,
    fresh: bool = False,
    finished: Sequence[tuple[int, datetime]] = (),
) -> bool:
    """Start handling an update; False when it was handled already (or given up on).
    `payload` makes the update's JSON, needed only when it was not kept on arrival.

    `fresh`: this process kept the update on arrival and has not begun it, so it is known to be
    unfinished with no attempts: one UPDATE instead of a look first. `finished`: updates whose
    handling ended since, marked in the same transaction (one commit per update under load)."""
    async with db.transaction() as session:
        await _mark_finished(session, finished)
        if fresh:
            await session.execute(
                update(InboxUpdate).where(InboxUpdate.update_id == update_id).values(attempts=1)
            )
            return True
        row = await session.get(InboxUpdate, update_id)
        if row is None:  # webhook mode, or a test feeding updates directly
            session.add(InboxUpdate(update_id=update_id, received_at=now, payload=payload(),
                                    attempts=1))  # fmt: skip
            return True
        if row.finished_at is not None:
            log.info("update %d was handled before; not again", update_id)
            return False
        if row.attempts >= MAX_ATTEMPTS:
            log.error("update %d was being handled at %d crashes; skipped", update_id, row.attempts)
            row.finished_at = now
            return False
        row.attempts += 1
        return True


async def finish(db: Database, update_id: int, *, now: datetime) -> None:
    await finish_all(db, [(update_id, now)])


async def finish_all(db: Database, finished: Sequence[tuple[int, datetime]]) -> None:
    if finished:
        async with db.transaction() as session:
            await _mark_finished(session, finished)


async def _mark_finished(session: AsyncSession, finished: Sequence[tuple[int, datetime]]) -> None:
    for update_id, at in finished:
        await session.execute(
            update(InboxUpdate).where(InboxUpdate.update_id == update_id).values(finished_at=at)
        )


def handling(update_id: int) -> Token[int | None]:
    """Mark this task as handling `update_id`; pass the result to `done_handling`."""
    return _CURRENT.set(update_id)


def done_handling(token: Token[int | None]) -> None:
    _CURRENT.reset(token)


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
