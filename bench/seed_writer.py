"""What every part of the bench's seed (bench/seed.py) shares: the writer, which keeps rows by
table and writes them in the schema's dependency order with bulk Core inserts, one transaction
per flush; the time units and the three years the records span; the places they happen in.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.base import Base

SEED_BASE = 50_000_000  # seeded Telegram ids; the live bench's users stay below 10,000,000
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
SPAN = 3 * 365 * DAY
EVERY = 20_000  # progress lines
Row = dict[str, Any]
Numbers = defaultdict[int, int]  # the last reference number of each year
TABLES = (
    "committees",
    "people",
    "role_grants",
    "incidents",
    "incident_handlers",
    "incident_timeline",
    "event_requests",
    "event_versions",
    "audit_log",
)
PLACES = ("门户网站", "微信公众号", "机关三楼会议室", "Office network", "Main hall")


def after(moment: datetime, delta: timedelta, now: datetime) -> datetime:
    """`delta` after `moment`, but not later than a minute ago (nor earlier than `moment`)."""
    return max(moment, min(moment + delta, now - MIN))


class Writer:
    """Rows by table, written in the schema's dependency order, one transaction per flush."""

    def __init__(self, engine: AsyncEngine, progress: Callable[[str], None]) -> None:
        self.engine, self.progress, self.started = engine, progress, time.monotonic()
        self.rows: dict[str, list[Row]] = defaultdict(list)
        self.next: dict[str, int] = defaultdict(int)
        self.counts: dict[str, int] = {}

    async def open(self) -> dict[str, Numbers]:
        """Refuse a seeded database; start ids after the existing ones. Returns the highest
        reference number of each year per table (the bot's own records keep theirs)."""
        tables, numbers = Base.metadata.tables, dict[str, Numbers]()
        async with self.engine.connect() as conn:
            people = tables["people"]
            if await conn.scalar(select(func.count()).where(people.c.telegram_id >= SEED_BASE)):
                raise ValueError(
                    "This database already holds seeded people (Telegram ids from "
                    f"{SEED_BASE:,}): seed a fresh database instead."
                )
            for name in TABLES:
                self.next[name] = int(await conn.scalar(select(func.max(tables[name].c.id))) or 0)
            for name in ("incidents", "event_requests"):
                t = tables[name]
                rows = await conn.execute(select(t.c.year, func.max(t.c.number)).group_by(t.c.year))
                numbers[name] = defaultdict(int, {int(y): int(n) for y, n in rows})
        return numbers

    def add(self, table: str, row: Row) -> Row:
        self.next[table] += 1
        row["id"] = self.next[table]
        self.rows[table].append(row)
        return row

    def audit(
        self,
        at: datetime,
        action: str,
        subject: tuple[str, int],
        clause: str | None,
        actor: int | None = None,
        **data: Any,
    ) -> None:
        self.add(
            "audit_log",
            {
                "at": at,
                "actor_id": actor,
                "action": action,
                "subject_type": subject[0],
                "subject_id": subject[1],
                "clause": clause,
                "data": data,
            },
        )

    async def flush(self) -> None:
        async with self.engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                rows = self.rows.pop(table.name, None)
                if not rows:
                    continue
                blank = {c.key: getattr(c.default, "arg", None) for c in table.columns}
                blank = {k: v if not callable(v) else None for k, v in blank.items()}
                await conn.execute(insert(table), [blank | row for row in rows])
                before = self.counts.get(table.name, 0)
                self.counts[table.name] = before + len(rows)
                if table.name in ("incidents", "event_requests") and (
                    before // EVERY < self.counts[table.name] // EVERY
                ):
                    self.progress(
                        f"{time.monotonic() - self.started:7.1f} s  "
                        f"{table.name}: {self.counts[table.name]:,}"
                    )

    async def finish(self) -> None:
        """PostgreSQL's sequences move past the ids given here; statistics for the planner."""
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                for name in self.counts:
                    await conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', "
                            f"'id'), (SELECT max(id) FROM {name}))"
                        )
                    )
            await conn.execute(text("ANALYZE"))
        if self.engine.dialect.name == "sqlite":
            async with self.engine.connect() as conn:
                await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
