"""The SQLite engine (bot.db.engine + bot.db.inline_sqlite): one connection, called in the
loop's thread. What must hold: concurrent use cases take turns and all land, errors reach
the services as SQLAlchemy's own exceptions, a rollback undoes, and another process holding
the write lock is waited for rather than failed (the busy timeout)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from bot.db.engine import Database, create_engine
from bot.inbox.models import InboxUpdate
from tests.support.database import T0


@pytest.fixture
async def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Database:
    path = tmp_path / "engine.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    return Database(create_engine(f"sqlite+aiosqlite:///{path}"))


async def _count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(InboxUpdate)) or 0)


async def _keep(db: Database, update_id: int, pause: float = 0.0) -> None:
    async with db.transaction() as session:
        row = {"update_id": update_id, "received_at": T0, "payload": {}, "attempts": 0}
        await session.execute(insert(InboxUpdate).values(**row))
        await asyncio.sleep(pause)  # another task runs meanwhile, holding nothing


async def test_concurrent_transactions_take_turns_and_all_land(sqlite_db: Database) -> None:
    await asyncio.gather(*(_keep(sqlite_db, n, pause=0.001 * (n % 3)) for n in range(1, 51)))
    assert await _count(sqlite_db) == 50
    # Never a second connection to wait on itself: the one is held between transactions.
    assert sqlite_db.engine.pool.checkedout() == 1
    assert sqlite_db.engine.pool.size() == 1
    await sqlite_db.dispose()
    assert sqlite_db.engine.pool.checkedout() == 0


async def test_databases_on_one_engine_take_turns_at_its_one_connection(
    sqlite_db: Database,
) -> None:
    """Two schedulers in one process (a test of the calendar does this) share the engine: they
    share its turn too, instead of the second waiting for a connection the first holds."""
    other = Database(sqlite_db.engine)
    await asyncio.gather(
        *(_keep(sqlite_db if n % 2 else other, n, pause=0.001) for n in range(1, 21))
    )
    assert await _count(other) == 20
    async with other.connect() as connection:  # outside a unit of work, in turn as well
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    assert await _count(sqlite_db) == 20
    await sqlite_db.dispose()


async def test_a_transaction_opened_inside_another_fails_loudly_instead_of_hanging(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.db.engine.POOL_TIMEOUT_S", 0.2)
    with pytest.raises(TimeoutError, match="a transaction opened inside another"):
        async with sqlite_db.transaction(), sqlite_db.core():
            pass
    assert await _count(sqlite_db) == 0  # and the connection is free again
    await sqlite_db.dispose()


async def test_errors_are_sqlalchemys_and_a_failed_transaction_leaves_nothing(
    sqlite_db: Database,
) -> None:
    await _keep(sqlite_db, 1)
    with pytest.raises(IntegrityError):
        async with sqlite_db.transaction() as session:
            await session.execute(
                insert(InboxUpdate).values(update_id=2, received_at=T0, payload={}, attempts=0)
            )
            await session.execute(
                insert(InboxUpdate).values(update_id=1, received_at=T0, payload={}, attempts=0)
            )
    assert await _count(sqlite_db) == 1  # update 2 was rolled back with the failure
    await _keep(sqlite_db, 3)  # and the connection is usable afterwards
    assert await _count(sqlite_db) == 2
    await sqlite_db.dispose()


async def test_another_process_holding_the_write_lock_is_waited_for(
    sqlite_db: Database, tmp_path: Path
) -> None:
    """A CLI command writing while the bot runs: the bot's write waits for it, then lands."""
    other = sqlite3.connect(tmp_path / "engine.sqlite3", check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    threading.Timer(0.3, other.commit).start()
    await _keep(sqlite_db, 7)
    other.close()
    assert await _count(sqlite_db) == 1
    async with sqlite_db.read() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
    await sqlite_db.dispose()
