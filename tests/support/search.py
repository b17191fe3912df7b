"""The search tests' people, a report filed by its words, the references a search finds, and a
database migrated from an earlier revision (tests/services/test_search*.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine
from bot.db.migrate import upgrade
from bot.deps import Deps
from bot.incidents.service import file_report
from bot.people.view import TgUser
from bot.search import service as search
from tests.support.incidents import draft

LI = TgUser(7, "Li", username="li_ming")
WANG = TgUser(8, "Wang", username="wang_fang")


async def report(deps: Deps, who: TgUser, what: str, **kw: object) -> int:
    d = draft(**kw)  # type: ignore[arg-type]
    d.what = what
    return (await file_report(deps, who, d)).incident_id


async def refs(deps: Deps, who: TgUser, text: str) -> list[str]:
    return [h.ref for h in (await search.find(deps, who, text)).hits]


async def migrated(path: Path, revision: str, rows: Iterable[str]) -> AsyncEngine:
    """A database at `revision` holding `rows`, then upgraded to the head."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine, revision)
    async with engine.begin() as conn:
        for sql in rows:
            await conn.execute(text(sql))
    await upgrade(engine)
    return engine
