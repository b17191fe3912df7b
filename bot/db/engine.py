"""Engine and transactions: one `async with db.transaction()` per use case
(rule 3 of docs/decisions/011-house-rules.md)."""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db import inline_sqlite

SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long a session waits for SQLite's one connection before failing loudly: far above any
# transaction of ours (the sweep on 200,000 incidents takes ~25 ms), low enough that a session
# opened inside another would show up as an error rather than as a bot that stops answering.
POOL_TIMEOUT_S = 30


def create_engine(url: str, *, pooler: str = "none", **kwargs: Any) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL, a busy timeout and enforced foreign keys.

    `pooler="transaction"`: PostgreSQL through a pooler in transaction mode, which refuses
    startup parameters and hands each transaction to any server connection, where a cached
    prepared statement of another client may already hold its name."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # One connection, called inline (bot.db.inline_sqlite explains why and why it is safe);
        # sessions queue for it without blocking the loop. Every session ends its own
        # transaction, so the pool need not roll back on return.
        database = parsed.database or ":memory:"
        engine = create_async_engine(
            url,
            async_creator=lambda: inline_sqlite.connect(database, SQLITE_BUSY_TIMEOUT_MS / 1000),
            pool_size=1,
            max_overflow=0,
            pool_timeout=POOL_TIMEOUT_S,
            pool_reset_on_return=None,
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # PostgreSQL plans each sweep query for its values: asyncpg's cached statements otherwise
    # switch to a generic plan after five runs, which walked the primary key of 200,000
    # incidents instead of using the due-date indexes (docs/decisions/006-performance.md,
    # bench/sweep.py).
    if pooler == "transaction":
        # Nothing cached or named across transactions; without a statement cache every
        # statement is planned for its values anyway, which is what plan_cache_mode is for.
        parsed = parsed.update_query_dict({"prepared_statement_cache_size": "0"})
        kwargs.setdefault(
            "connect_args",
            {
                "statement_cache_size": 0,
                "prepared_statement_name_func": lambda: f"__dd_{uuid.uuid4().hex}__",
            },
        )
        return create_async_engine(parsed, pool_pre_ping=True, **kwargs)
    kwargs.setdefault("connect_args", {"server_settings": {"plan_cache_mode": "force_custom_plan"}})
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


class Database:
    """Owns the engine and hands out transactions.

    After a transaction that queued outbox messages commits, `on_outbox` is called so the
    delivery task wakes at once instead of at its next tick.

    SQLite's one connection (bot.db.inline_sqlite) is held from the first transaction to
    `dispose`, and transactions (of every Database on the engine) take turns at it: checking
    it out of the pool and back for every transaction (a new AsyncConnection, two more
    greenlet hand-offs, a task to close it) cost as much as the transaction's own statement
    (docs/decisions/006-performance.md: ~0.35 against ~0.22 ms of CPU for a one-statement
    transaction; the bot runs 4-5
    transactions per update). While it is held the engine's pool is empty: use the engine
    itself (migrations) before the first transaction, or `connect` for a connection in turn.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.on_outbox: Callable[[], None] = lambda: None
        self.on_files: Callable[[], None] = lambda: None  # files queued for keeping (bot.files)
        self._turn: _Turn | None = None
        if engine.dialect.name == "sqlite":
            self._turn = _TURNS.setdefault(engine.sync_engine, _Turn(asyncio.Lock()))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on any exception."""
        async with self.read() as session, session.begin():
            yield session
        if session.info.pop("outbox_added", False):
            self.on_outbox()
        if session.info.pop("files_added", False):
            self.on_files()

    @asynccontextmanager
    async def core(self) -> AsyncIterator[AsyncConnection]:
        """A transaction on a bare connection, for Core statements on the paths every update
        takes: half the cost of a Session's (docs/decisions/006-performance.md). Commits on success;
        nothing here may
        queue outbox messages (that takes `transaction`)."""
        async with self.connect() as connection, connection.begin():
            yield connection

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reading only; nothing it does is committed (`transaction` begins and
        commits one)."""
        if self._turn is None:
            async with self.sessions() as session:
                yield session
            return
        async with self._turn.connection(self.engine) as connection:
            session = self.sessions(bind=connection)
            try:
                yield session
            finally:
                await session.close()

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A connection with no transaction begun; what is left open is rolled back (SQLite:
        its one connection, in turn)."""
        if self._turn is None:
            async with self.engine.connect() as connection:
                yield connection
            return
        async with self._turn.connection(self.engine) as connection:
            try:
                yield connection
            finally:
                if connection.in_transaction():
                    await connection.rollback()

    async def dispose(self) -> None:
        if self._turn is not None:
            await self._turn.let_go()
        await self.engine.dispose()


@dataclass
class _Turn:
    """SQLite's one connection, held, and whose turn it is (see Database)."""

    lock: asyncio.Lock
    held: AsyncConnection | None = None

    @asynccontextmanager
    async def connection(self, engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
        """The connection, for one transaction at a time (as the pool of one gave it)."""
        try:
            async with asyncio.timeout(POOL_TIMEOUT_S):
                await self.lock.acquire()
        except TimeoutError:
            raise TimeoutError(
                f"no turn at the SQLite connection in {POOL_TIMEOUT_S} s "
                "(a transaction opened inside another?)"
            ) from None
        try:
            held = self.held
            if held is None or held.closed or held.invalidated:
                if held is not None:
                    await held.close()
                held = self.held = await engine.connect()
            elif held.in_transaction():  # never left open by Database; defensive
                await held.rollback()
            yield held
        finally:
            self.lock.release()

    async def let_go(self) -> None:
        """Back to the pool (before the engine is disposed of)."""
        if self.held is not None:
            held, self.held = self.held, None
            await held.close()


# One per engine: Databases sharing an engine (two schedulers in a test) share its turn.
_TURNS: weakref.WeakKeyDictionary[Engine, _Turn] = weakref.WeakKeyDictionary()
