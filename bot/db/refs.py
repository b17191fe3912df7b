"""Yearly reference numbers (INC-2026-0042, EVT-2026-0007): the next number of the year.

Taken inside the filing transaction; the (year, number) unique constraint makes a racing
second writer fail rather than reuse a number (one leader writes: issue 6).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def next_number(session: AsyncSession, model: Any, year: int) -> int:
    """`model` has integer columns `year` and `number`."""
    current = await session.scalar(
        select(func.coalesce(func.max(model.number), 0)).where(model.year == year)
    )
    return int(current or 0) + 1
