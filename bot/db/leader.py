"""Leader election on PostgreSQL: of several bot processes on one database exactly one works
(polls, schedules, delivers); the others wait and take over within seconds when it dies.

The leader holds a session-level advisory lock on a connection of its own. PostgreSQL releases
the lock when that connection ends (process killed, network lost), so a dead leader frees it by
itself. A leader that can no longer confirm it holds the lock stops at once (the caller exits):
two workers must never run side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

LOCK_KEY = 0x44757479  # "Duty": one leader per database
MIGRATION_KEY = 0x4D696772  # "Migr": one migration at a time
POLL_SECONDS = 2.0
CHECK_SECONDS = 2.0
_HELD = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 "
    "AND objid = :key AND objsubid = 1 AND pid = pg_backend_pid() AND granted"
)


class Leadership:
    def __init__(self, url: str, *, poll: float = POLL_SECONDS, check: float = CHECK_SECONDS):
        self.poll, self.check = poll, check
        self._engine: AsyncEngine = create_async_engine(
            url,
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args={
                "server_settings": {"application_name": f"dutydesk-leader-{os.getpid()}"}
            },
        )
        self._conn: AsyncConnection | None = None

    async def acquire(self) -> None:
        """Wait until this process is the leader (returns holding the lock)."""
        told = False
        while True:
            try:
                conn = await self._engine.connect()
                try:
                    if await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                         {"key": LOCK_KEY}):  # fmt: skip
                        self._conn = conn
                        log.info("leader: this instance works (advisory lock %d)", LOCK_KEY)
                        return
                except BaseException:
                    await conn.close()
                    raise
                await conn.close()
                if not told:
                    log.info("waiting: another instance is the leader; taking over when it stops")
                    told = True
            except (OSError, SQLAlchemyError) as exc:
                log.warning("waiting: the database does not answer: %s", exc)
            await asyncio.sleep(self.poll)

    async def watch(self, on_lost: Callable[[str], None]) -> None:
        """Confirm the lock every few seconds; call `on_lost` (once) when it cannot be."""
        assert self._conn is not None
        while True:
            await asyncio.sleep(self.check)
            try:
                async with asyncio.timeout(self.check * 2):  # not wait_for: see delivery._run
                    held = await self._conn.scalar(_HELD, {"key": LOCK_KEY})
            except (OSError, SQLAlchemyError, TimeoutError) as exc:
                on_lost(f"the leader's database connection failed: {exc}")
                return
            if not held:
                on_lost("the advisory lock is no longer held")
                return

    async def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError, SQLAlchemyError):
                await self._conn.close()  # closing the session releases the lock
            self._conn = None
        await self._engine.dispose()
