"""The scheduler's sweep on the bench's database (docs/decisions/006-performance.md): at most 50 ms,
by indexes.

    python -m bench.sweep --database-url URL [--runs 20]

One sweep is one run of each of the scheduler's sweep functions, on a real Deps: the incidents'
(escalations L4, L2, L1; missed updates P2; the secretary's reminders R2) and the event
requests' (decision and filing reminders, the eve, follow-ups, lapses: R6). The first run acts
on whatever is due (bench.seed leaves 20 such items); the following runs are the steady state,
nothing due, which is what the bound is about.

Every SELECT the sweeps issue is captured with the parameters it ran with and explained:
EXPLAIN QUERY PLAN on SQLite; on PostgreSQL EXPLAIN with those values, then the generic plan
that a statement cached by asyncpg may switch to from its sixth run on. `scans` names the
statements that read a big table from end to end.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db.engine import Database, create_engine
from bot.deps import Deps
from bot.events.sweep import sweep as event_sweep
from bot.incidents.sweep import sweep as incident_sweep
from bot.policy.load import load as load_policy

SWEEPS: dict[str, Callable[[Deps], Awaitable[int]]] = {
    "incidents": incident_sweep,
    "events": event_sweep,
}
# Tables that grow with the organisation's history: reading one whole is a finding.
BIG = frozenset(
    {
        "incidents",
        "incident_handlers",
        "incident_timeline",
        "event_requests",
        "event_versions",
        "audit_log",
        "people",
        "outbox",
    }
)
_SQLITE_SCAN = re.compile(r"^\s*SCAN (\w+)(.*)$")
_PG_SCAN = re.compile(r"Seq Scan on (\w+)")
GENERIC = "-- generic plan (what a cached statement may run from its sixth execution on):"
_PG_INDEX = re.compile(r"Index (?:Only )?Scan (?:Backward )?using \w+ on (\w+)")
_IN_LIST = re.compile(r"\((?:\?|\$\d+(?:::\w+)?)(?:, (?:\?|\$\d+(?:::\w+)?))*\)")


@dataclass(frozen=True)
class SweepResult:
    median_ms: float  # the steady state: one sweep is both functions
    p95_ms: float
    max_ms: float
    first_ms: float  # the first run, which acts on what is due
    acted_first: int
    plans: dict[str, list[str]]  # a statement's FROM … part → its plan, line by line
    medians_ms: dict[str, float] = field(default_factory=dict)  # per sweep function
    acted_after: int = 0  # by the steady-state runs (0: nothing was due any more)


async def _once(deps: Deps) -> tuple[dict[str, float], int]:
    times: dict[str, float] = {}
    acted = 0
    for name, sweep in SWEEPS.items():
        started = time.perf_counter()
        acted += await sweep(deps)
        times[name] = (time.perf_counter() - started) * 1000
    return times, acted


def _label(statement: str) -> str:
    """The statement from its FROM on (the column list says little), on one line."""
    flat = " ".join(statement.split())
    start = flat.find(" FROM ")
    return flat[start + 1 :] if start >= 0 else flat


async def _explain(db: Database, seen: dict[str, tuple[str, Any]]) -> dict[str, list[str]]:
    plans: dict[str, list[str]] = {}
    async with db.connect() as conn:
        for statement, params in seen.values():
            if db.dialect == "sqlite":
                result = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
                rows: list[Any] = list(result)
                depth: dict[int, int] = {0: -1}
                lines = []
                for row in rows:  # id, parent, unused, detail
                    depth[row[0]] = depth.get(row[1], -1) + 1
                    lines.append("  " * depth[row[0]] + str(row[3]))
            else:
                explained = await conn.exec_driver_sql("EXPLAIN " + statement, params)
                lines = [str(row[0]) for row in explained]
                lines += [GENERIC, *await _generic_plan(conn, statement, len(params))]
            label = _label(statement)
            while label in plans:  # another column list over the same FROM … part
                label += " ·"
            plans[label] = lines
    return plans


async def _generic_plan(conn: AsyncConnection, statement: str, count: int) -> list[str]:
    """PostgreSQL plans a cached prepared statement (asyncpg keeps them per connection) for its
    parameters five times, then may settle on one generic plan that knows none of them."""
    raw = (await conn.get_raw_connection()).driver_connection
    assert raw is not None
    await raw.execute("SET plan_cache_mode = force_generic_plan")
    await raw.execute(f"PREPARE bench_plan AS {statement}")
    try:
        args = f"({', '.join(['NULL'] * count)})" if count else ""
        return [str(row[0]) for row in await raw.fetch(f"EXPLAIN EXECUTE bench_plan{args}")]
    finally:
        await raw.execute("DEALLOCATE bench_plan; RESET plan_cache_mode")


async def measure_sweep(url: str, *, runs: int = 20, clock: Clock | None = None) -> SweepResult:
    """Time the sweeps on the database at `url` (`clock`: the system's unless given) and
    explain every SELECT they issued."""
    engine = create_engine(url)
    deps = Deps(
        settings=Settings(database_url=url, _env_file=None),
        db=Database(engine),
        clock=clock or SystemClock(),
        policy=load_policy(None),
    )
    seen: dict[str, tuple[str, Any]] = {}

    def capture(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            # One entry per query, however many values an IN (…) list had.
            key = re.sub(r"\$\d+", "$n", _IN_LIST.sub("(…)", " ".join(statement.split())))
            seen.setdefault(key, (statement, params))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        first, acted_first = await _once(deps)
        steady = [await _once(deps) for _ in range(runs)]
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
        plans = await _explain(deps.db, seen)
    finally:
        await deps.db.dispose()
    totals = sorted(sum(times.values()) for times, _acted in steady) or [math.nan]
    return SweepResult(
        median_ms=statistics.median(totals),
        p95_ms=totals[max(0, math.ceil(0.95 * len(totals)) - 1)],
        max_ms=totals[-1],
        first_ms=sum(first.values()),
        acted_first=acted_first,
        plans=plans,
        medians_ms={name: statistics.median(t[name] for t, _a in steady) for name in SWEEPS}
        if steady
        else {},
        acted_after=sum(acted for _times, acted in steady),
    )


def scans(plans: dict[str, list[str]]) -> list[str]:
    """The statements whose plan reads a big table whole, with the plan line that says so:
    SQLite's `SCAN <table>` (in table or in index order: every row is visited either way);
    PostgreSQL's `Seq Scan on <table>`, or an index scan without an `Index Cond`, which walks the
    whole index in its order (the plan a LIMIT tempts the planner into)."""
    found = []
    for label, lines in plans.items():
        for k, line in enumerate(lines):
            sqlite, seq, walk = (
                _SQLITE_SCAN.match(line),
                _PG_SCAN.search(line),
                _PG_INDEX.search(line),
            )
            table = sqlite.group(1) if sqlite else seq.group(1) if seq else None
            if walk and not _conditioned(lines[k + 1 :]):
                table = walk.group(1)
            if table in BIG:
                found.append(f"{label}  ←  {line.strip()}")
    return found


def _conditioned(details: list[str]) -> bool:
    """Whether a PostgreSQL plan node (its detail lines, up to the next node) seeks the index."""
    for line in details:
        if "->" in line or line.startswith("--"):
            return False
        if "Index Cond:" in line:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.sweep`: time the sweeps on --database-url; print the figures, the plans
    and the full scans of big tables."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.sweep",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", required=True, help="a SQLAlchemy async URL")
    parser.add_argument("--runs", type=int, default=20, help="steady-state sweeps to time")
    args = parser.parse_args(argv)
    r = asyncio.run(measure_sweep(args.database_url, runs=args.runs))
    print(f"first sweep: {r.first_ms:.1f} ms, acted on {r.acted_first}")
    per = ", ".join(f"{name} {ms:.1f}" for name, ms in r.medians_ms.items())
    print(
        f"steady state ({args.runs} sweeps, acted on {r.acted_after}): median {r.median_ms:.1f}"
        f" ms, p95 {r.p95_ms:.1f} ms, max {r.max_ms:.1f} ms (medians: {per} ms)"
    )
    for label, lines in r.plans.items():
        print(f"\n{label}")
        for line in lines:
            print(f"    {line}")
    found = scans(r.plans)
    print("\nfull scans of big tables: " + ("none" if not found else str(len(found))))
    for line in found:
        print(f"    {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
