"""What the records of every kind share: the answer behind a button for a record gone or
not the reader's, and people's names."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.people.models import Person

GONE = N_("There is no such record.")  # behind a button, which names no reference
READ = "record.read"  # the audit action of an inspector's reading (R7, C)


async def names_of(session: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    """The display names of these people (None ids skipped)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.scalars(select(Person).where(Person.id.in_(wanted)))
    return {p.id: p.display_name for p in rows}
