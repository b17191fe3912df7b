"""/find on a seeded organisation: the p95 of one search (a page and its count) per backend.

    python -m bench.search [--sqlite DIR] [--postgres URL] [--incidents 20000] [--runs 30]
                           [--measure-only]

Seeds a fresh database per backend with bench.seed (which indexes the records as the services
do), then runs each kind of search as the office (everything) and as a member (their own), in
turn, `runs` times, and reports the median and p95 per search and over all of them, with the
plans of three searches (PLANNED). `python -m bench` runs the same (`row`) on its seeded
organisation of 200,000 incidents. The words: a common one (a third of the reports hold 不实),
a rarer one (横幅), one no record holds (地震: a LIKE would read every row), one character (网: the
LIKE fallback), an English word, and combinations with a period, a status and a person.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from bench.databases import postgres
from bench.seed import seed
from bot.db.engine import Database, create_engine
from bot.ledger.scope import Scope
from bot.people.models import Person
from bot.policy.load import load as load_policy
from bot.search.service import run

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def searches(username: str) -> list[str]:
    """The searches timed (see the module's docstring); two of them name `username`."""
    return [
        "不实",
        "横幅",
        "地震",
        "网",
        "phishing",
        "不实信息 2026年第一季度 closed",
        "横幅 2025年 major",
        f"@{username} open",
        f"@{username} 不实",
        "INC-2025-0031",
        "EVT-2026-0007",
        "讲座 2026年上半年",
        "异常登录 2024年1月1日至2025年6月30日",
    ]


async def measure(url: str, runs: int) -> tuple[dict[str, list[float]], str]:
    """Every search, `runs` times, as the office and as a member on `url` (vacuumed first on
    PostgreSQL); returns the milliseconds per search and reader, and the plans of PLANNED."""
    if url.startswith("postgresql"):
        # As autovacuum leaves a live database: the visibility map lets the bigram look-ups
        # read the index alone (just after the bulk seed they visit the table for each row).
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text("VACUUM ANALYZE search_bigrams"))
        await engine.dispose()
    db = Database(create_engine(url))
    zone = load_policy(None).working_hours.zone
    try:
        async with db.read() as session:
            member = await session.scalar(
                select(Person).where(Person.username.is_not(None)).order_by(Person.id).limit(1)
            )
            assert member is not None and member.username is not None
            readers = {
                "office": Scope(member.id, True, frozenset()),
                "member": Scope(member.id, False, frozenset()),
            }
            times: dict[str, list[float]] = {}
            for _ in range(runs):
                for who, scope in readers.items():
                    for words in searches(member.username):
                        started = time.perf_counter()
                        await run(session, scope, words, 0, now=NOW, zone=zone)
                        ms = (time.perf_counter() - started) * 1000
                        times.setdefault(f"{words} ({who})", []).append(ms)
            plan = await _plan(session, db.dialect, readers, member.username)
    finally:
        await db.dispose()
    return times, plan


PLANNED = (("不实", "member"), ("横幅 2025年 major", "office"), ("phishing", "office"))


async def _plan(session: Any, dialect: str, readers: dict[str, Scope], username: str) -> str:
    """The plans of the statements a few searches run (EXPLAIN QUERY PLAN on SQLite, EXPLAIN
    ANALYZE on PostgreSQL): what each search reads first, and whether it stops early."""
    explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
    bind = session.get_bind()
    out: list[str] = []
    zone = load_policy(None).working_hours.zone
    for words, who in PLANNED:
        seen: list[str] = []
        execute = session.execute

        async def capture(
            statement: Any,
            *args: Any,
            seen: list[str] = seen,
            execute: Any = execute,
            **kwargs: Any,
        ) -> Any:
            if not isinstance(statement, str) and " AS rk" in str(statement):
                seen.append(str(statement.compile(bind, compile_kwargs={"literal_binds": True})))
            return await execute(statement, *args, **kwargs)

        session.execute = capture
        try:
            await run(
                session, readers[who], words.replace("@u", "@" + username), 0, now=NOW, zone=zone
            )
        finally:
            session.execute = execute
        for sql in seen:
            rows = await session.execute(text(explain + sql))
            out.append(f"{words} ({who}): " + " ".join(sql.split())[:160] + " …")
            out += ["  " + " ".join(str(c) for c in row) for row in rows]
    return "\n".join(out)


def p95(values: list[float]) -> float:
    """The 95th percentile of `values` (statistics.quantiles); the value itself when alone."""
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def report(name: str, times: dict[str, list[float]], plan: str) -> float:
    """Print the median and p95 of each search under `name`, the p95 over all, and the plans;
    returns that p95 over all."""
    print(f"\n{name}")
    for what, values in times.items():
        print(f"  {what:<52} median {statistics.median(values):7.2f} ms  p95 {p95(values):7.2f} ms")
    overall = p95([v for values in times.values() for v in values])
    print(
        f"  p95 over every search: {overall:.2f} ms\n  plans:\n    " + plan.replace("\n", "\n    ")
    )
    return overall


async def row(url: str, runs: int) -> float:
    """`python -m bench`'s row: the p95 over every search on a seeded database, with plans."""
    return report(f"/find on {url.split('///')[-1].split('@')[-1]}", *await measure(url, runs))


async def main_async(args: argparse.Namespace) -> int:
    """Seed (unless --measure-only) and measure SQLite, then PostgreSQL if --postgres answers;
    print the p95 of each."""
    sizes = {"people": args.people, "incidents": args.incidents, "events": args.events}
    root = Path(args.sqlite or tempfile.mkdtemp(prefix="dd_search_"))
    path = root / "search.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    if not args.measure_only:
        path.unlink(missing_ok=True)
        await seed(url, **sizes, now=NOW)
    results = {"SQLite": report("SQLite", *await measure(url, args.runs))}
    pg = await postgres(args.postgres) if args.postgres else None
    if pg is not None:
        if args.measure_only:
            pg_url = pg._named("search")
        else:
            pg_url = await pg.create("search")
            await seed(pg_url, **sizes, now=NOW)
        results["PostgreSQL"] = report("PostgreSQL", *await measure(pg_url, args.runs))
    print()
    for name, value in results.items():
        print(f"/find p95 ({name}, {args.incidents:,} incidents): {value:.1f} ms")
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.search`: parse the arguments and run main_async."""
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--sqlite", help="a directory for the SQLite file (default: a temp one)")
    parser.add_argument("--postgres", help="a PostgreSQL URL; the bench makes its own database")
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure the databases an earlier run seeded (same --sqlite)",
    )
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
