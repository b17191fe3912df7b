"""Yearly reference numbers (INC-2026-0042, EVT-2026-0007): the next number of the year.

Taken inside the filing transaction; the (year, number) unique constraint makes a racing
second writer fail rather than reuse a number, and `numbered` runs its transaction again. Only
one instance writes (bot.db.leader), but a leader that lost its lock may still be finishing a
transaction in the second before it stops.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 3


def reference(prefix: str, year: int, number: int) -> str:
    """How the bot writes a reference: INC-2026-0042, EVT-2026-0007."""
    return f"{prefix}-{year}-{number:04d}"


async def next_number(session: AsyncSession, model: Any, year: int) -> int:
    """`model` has integer columns `year` and `number`."""
    current = await session.scalar(
        select(func.coalesce(func.max(model.number), 0)).where(model.year == year)
    )
    return int(current or 0) + 1


async def numbered(write: Callable[[], Awaitable[T]]) -> T:
    """Run a transaction that takes a number; when the number was taken meanwhile, run it again
    (each run is a new transaction, so it reads the new maximum)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await write()
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise
            log.warning("a reference number was taken meanwhile; filing again (%d)", attempt)
    raise AssertionError("unreachable")
