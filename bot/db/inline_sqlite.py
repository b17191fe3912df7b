"""SQLite for SQLAlchemy's asyncio engine without a thread per connection
(docs/decisions/006-performance.md).

aiosqlite runs every call — cursor, execute, fetch, close, commit — on a worker thread and
wakes the event loop with the result: four or five thread hand-offs per statement. The bench's
profile put SQLAlchemy + aiosqlite at 55% of the bot's CPU, and a micro-bench put one read
session at 0.96 ms of CPU through aiosqlite against 0.26 ms with the same calls made inline.
A statement on a local SQLite file takes microseconds, so this module makes the calls in the
event loop's thread and hands SQLAlchemy's aiosqlite adapter coroutines that are already done.

It is safe because the engine gives it one connection (`create_engine`: pool of one), which
`Database` holds and hands to one transaction at a time (waiting for a turn does not block the
loop), so no two connections of this process can ever wait on each other's lock inside the
loop's thread. What can still block the
loop is another process holding the write lock (a CLI command writing while the bot runs), for
at most the busy timeout, as a lock wait would have blocked that update anyway.

Only what SQLAlchemy's aiosqlite dialect calls is here; `create_engine` passes `connect` as
the engine's `async_creator`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

Row = Any


class Cursor:
    """aiosqlite's cursor, answered at once."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Any = None) -> Cursor:
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> Cursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Row | None:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Row]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()


class _Queue:
    """The one private of aiosqlite's that SQLAlchemy touches: its isolation-level setter puts
    `(future, function)` on the connection's work queue."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:  # noqa: BLE001 - handed to the awaiting caller, as aiosqlite does
            future.set_exception(error)


class Connection:
    """aiosqlite's connection, answered at once."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection  # SQLAlchemy checks it
        self._tx = _Queue(connection)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: Any) -> None:
        self._conn.isolation_level = value

    def cursor(self) -> Cursor:
        return Cursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Any = None) -> Cursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()


async def connect(database: str, busy_seconds: float) -> Connection:
    """A connection whose calls run inline in the event loop's thread
    (docs/decisions/004-inline-sqlite.md)."""
    # check_same_thread stays on: every call is made in the loop's thread, and a call from any
    # other thread would be a bug worth an exception.
    return Connection(sqlite3.connect(database, timeout=busy_seconds))
