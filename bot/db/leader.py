"""Leader election on PostgreSQL: of several bot processes on one database exactly one works
(polls, schedules, delivers); the others wait and take over when it stops or dies.

A lease, not a lock. The leader holds one row (`leader_lease`) until a moment on the database's
clock and renews it every `renew` seconds; a follower takes the row only once that moment has
passed. Session advisory locks were used before, and they do not hold behind a connection pooler
in transaction mode: two clients can be handed one server connection, on which the lock is
re-entrant, and both believed they led. The lease is read and written by single autocommit
statements, which any pooler passes through.

No overlap at hand-over. A renewal sets `expires_at = clock_timestamp() + lease` on the database;
the leader counts its own deadline as `lease - margin` from the moment it *sent* that renewal, so
it always ends before the row expires, by at least `margin`. A leader that cannot renew by its
deadline (database unreachable, a pooler gone) stops at once (the caller exits); a leader whose
row was taken (its term, `generation`, changed) stops at once too. A follower therefore starts
only after the old leader must have stopped. Telegram's 409 Conflict on getUpdates is taken as
lost leadership as well (runtime.updates).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

MIGRATION_KEY = 0x4D696772  # "Migr": one migration at a time (a transaction-level lock)


@dataclass(frozen=True)
class Timing:
    """Seconds. The lease must outlast a renewal interval plus the longest renewal call, with
    `margin` to spare: the leader gives up `margin` before the database would let anyone in."""

    lease: float = 15.0
    renew: float = 3.0
    margin: float = 3.0
    poll: float = 2.0  # how often a follower looks

    def __post_init__(self) -> None:
        if not 0 < self.renew < self.lease - self.margin:
            raise ValueError("the lease must be longer than a renewal interval plus the margin")


_TAKE = text(
    "INSERT INTO leader_lease (id, holder, generation, expires_at) "
    "VALUES (1, :me, 1, clock_timestamp() + make_interval(secs => :lease)) "
    "ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, "
    "generation = leader_lease.generation + 1, expires_at = excluded.expires_at "
    "WHERE leader_lease.expires_at < clock_timestamp() "
    "RETURNING generation"
)
_RENEW = text(
    "UPDATE leader_lease SET expires_at = clock_timestamp() + make_interval(secs => :lease) "
    "WHERE id = 1 AND holder = :me AND generation = :term RETURNING generation"
)
# On a graceful stop, after the work stopped: the next instance need not wait out the lease.
_GIVE_UP = text(
    "UPDATE leader_lease SET expires_at = clock_timestamp() - interval '1 second' "
    "WHERE id = 1 AND holder = :me AND generation = :term"
)


class Leadership:
    def __init__(self, engine: AsyncEngine, timing: Timing | None = None):
        # The bot's own engine: every statement here is one autocommit round trip, so any
        # connection of its pool (or a pooler's) will do.
        self._engine = engine
        self.timing = timing or Timing()
        self.me = f"{os.uname().nodename[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.term: int | None = None
        self._deadline = 0.0  # time.monotonic() by which this leader stops unless renewed

    async def _one(self, statement: object, **params: object) -> int | None:
        async with self._engine.connect() as conn:
            value = await conn.scalar(statement, params)  # type: ignore[call-overload]
            await conn.commit()
        return None if value is None else int(value)

    async def acquire(self) -> None:
        """Wait until this process is the leader (returns holding the lease)."""
        told = False
        while True:
            sent = time.monotonic()
            try:
                term = await self._one(_TAKE, me=self.me, lease=self.timing.lease)
            except (OSError, SQLAlchemyError) as exc:
                log.warning("waiting: the database does not answer: %s", exc)
                term = None
            if term is not None:
                self.term = term
                self._deadline = sent + self.timing.lease - self.timing.margin
                log.info(
                    "leader: this instance works (term %d, lease %.0f s)", term, self.timing.lease
                )
                return
            if not told:
                log.info("waiting: another instance is the leader; taking over when it stops")
                told = True
            await asyncio.sleep(self.timing.poll)

    async def watch(self, on_lost: Callable[[str], None]) -> None:
        """Renew the lease every `renew` seconds; call `on_lost` (once) when this leader can no
        longer prove it leads: its term was taken, or its deadline came without a renewal."""
        assert self.term is not None
        failure = ""
        while True:
            await asyncio.sleep(max(0.0, min(self.timing.renew, self._left())))
            if self._left() <= 0:
                on_lost(f"the lease could not be renewed in time ({failure or 'no answer'})")
                return
            sent = time.monotonic()
            try:
                async with asyncio.timeout(self._left()):  # not wait_for: see delivery._run
                    term = await self._one(
                        _RENEW, me=self.me, term=self.term, lease=self.timing.lease
                    )
            except (OSError, SQLAlchemyError, TimeoutError) as exc:
                failure = f"{type(exc).__name__}: {exc}".splitlines()[0]
                log.warning("leader: renewing the lease failed: %s", failure)
                continue
            if term is None:
                on_lost("another instance holds the lease")
                return
            self._deadline = sent + self.timing.lease - self.timing.margin

    def _left(self) -> float:
        return self._deadline - time.monotonic()

    async def release(self) -> None:
        """After a graceful stop: give the lease up so a follower need not wait it out."""
        if self.term is not None and self._left() > 0:
            with contextlib.suppress(OSError, SQLAlchemyError, TimeoutError):
                async with asyncio.timeout(2):
                    await self._one(_GIVE_UP, me=self.me, term=self.term)
        self.term = None
