"""The bench's large database (docs/decisions/006-performance.md): people, three years of
incidents and event requests with their handlers, timelines, versions and audit trail, shaped as
the bot's services leave them.

    python -m bench.seed --database-url URL [--people 20000] [--incidents 200000] [--events 50000]

The database is migrated, then filled with bulk Core inserts, one transaction per chunk
(bench/seed_writer.py): people (seed_people.py), incidents (seed_incidents.py), event requests
(seed_events.py). Not idempotent: a database that already holds seeded people (Telegram ids
from 50,000,000 up; the live bench's users stay below 10,000,000) is refused with ValueError,
so seed a fresh one.

The shape: records closed over three years; about 0.5% of incidents still open and a few event
requests undecided, whose next due moments lie 2 to 72 hours ahead (further than the policy's
cadence would put them, so that the database stays quiet after seeding); and 20 items due right
now, so that the first sweep does real work: 8 incidents to escalate (L4, L2), 4 missed updates
(P2), 4 waiting for the secretary (R2), 2 filings, 1 eve and 1 follow-up (R6). Also kept, as
the bot leaves them: events approved but never filed, whose date passed (R6 lapses, about 0.2%),
and closed major incidents the secretary never acknowledged (C2). Then ANALYZE, and on
PostgreSQL the id sequences move past the seeded rows so the bot files on after them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.seed_events import make_events
from bench.seed_incidents import make_incidents
from bench.seed_people import make_people
from bench.seed_writer import SEED_BASE, Writer
from bot.db.base import Base, import_all_models
from bot.db.engine import create_engine
from bot.db.migrate import upgrade
from bot.policy.load import load as load_policy
from bot.search import backfill

__all__ = ["SEED_BASE", "main", "seed"]


async def index_search(engine: AsyncEngine, chunk: int) -> None:
    """/find's bigram index of the seeded records, as the services would have written it."""
    tables = Base.metadata.tables
    for sql in (backfill.INCIDENTS_SQL, backfill.EVENTS_SQL):
        after = 0
        while True:
            async with engine.begin() as conn:
                found = (await conn.execute(text(sql), {"after": after, "n": chunk})).all()
                if not found:
                    break
                last = found[-1][0]
                if sql == backfill.INCIDENTS_SQL:
                    later = await conn.execute(
                        text(backfill.LATER_SQL), {"after": after, "last": last}
                    )
                    texts, grams = backfill.incident_chunk(found, later.all())
                else:
                    texts, grams = backfill.event_chunk(found)
                await conn.execute(insert(tables["search_texts"]), texts)
                if grams:
                    await conn.execute(insert(tables["search_bigrams"]), grams)
            after = last


async def seed(
    url: str,
    *,
    people: int,
    incidents: int,
    events: int,
    chunk: int = 5000,
    progress: Callable[[str], None] | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Migrate the database at `url` and fill it (see the module's docstring); returns the rows
    written per table, and under "due" how many items the first sweep should act on. `now`
    (default: the clock) is the moment the records lead up to."""
    import_all_models()
    now, policy, rng = now or datetime.now(UTC), load_policy(None), random.Random(8)
    engine = create_engine(url)
    try:
        await upgrade(engine)
        w = Writer(engine, progress or (lambda _line: None))
        numbers = await w.open()
        staff = make_people(w, rng, people, now)
        await w.flush()
        due = await make_incidents(
            w, rng, incidents, staff, policy, now, numbers["incidents"], chunk
        )
        due += await make_events(
            w, rng, events, staff, policy, now, numbers["event_requests"], chunk
        )
        await index_search(engine, chunk)
        await w.finish()
    finally:
        await engine.dispose()
    return {**w.counts, "due": due}


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.seed`: seed the database named, print the rows written per table."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.seed",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", required=True, help="a SQLAlchemy async URL")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--chunk", type=int, default=5000, help="records per transaction")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        counts = asyncio.run(
            seed(
                args.database_url,
                people=args.people,
                incidents=args.incidents,
                events=args.events,
                chunk=args.chunk,
                progress=lambda line: print(line, flush=True),
            )
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, count in counts.items():
        print(f"{name:>18} {count:>10,}")
    print(f"seeded in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
