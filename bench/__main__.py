"""`python -m bench`: Duty Desk against a bare python-telegram-bot bot on the same stand-in.

Each row is a ratio taken in the same run (absolute times drift on a shared machine); with
--runs N every scenario runs N times and the table shows the medians. --smoke runs every
scenario at tiny sizes (CI runs it so the bench cannot rot; its figures mean nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import databases, scenarios, search
from bench.broadcast import broadcast
from bench.scenarios import Figures


@dataclass(frozen=True)
class Sizes:
    people: int  # reporters filing at once (a head acknowledges every ten)
    rounds: int  # reference conversations per person
    reports: int  # reports filed one step at a time (latency)
    latency_rounds: int  # reference conversations one press at a time
    seed: tuple[int, int, int]  # people, incidents, events already in the database (at scale)
    chats: int  # broadcast recipients
    filers: int  # people filing during the broadcast


SEARCH_RUNS = 5  # each of bench.search's 26 searches, as the office and as a member
FULL = Sizes(200, 3, 20, 60, (20_000, 200_000, 50_000), 5_000, 20)
SMOKE = Sizes(4, 1, 1, 2, (40, 300, 60), 20, 2)


async def _runs(n: int, scenario: Callable[[int], Awaitable[Figures]]) -> list[Figures]:
    return [await scenario(i) for i in range(n)]


async def _pairs(
    n: int,
    first: Callable[[int], Awaitable[Figures]],
    second: Callable[[int], Awaitable[Figures]],
) -> tuple[list[Figures], list[Figures]]:
    """Run i of `second` right after run i of `first`, whose ratio it makes: the machine's
    neighbours come and go over minutes, so a reference measured all at once before the rest
    compared runs taken in different weather (docs/decisions/006-performance.md: the reference
    ranged 200-360
    updates/s from one run to the next)."""
    a: list[Figures] = []
    b: list[Figures] = []
    for i in range(n):
        a.append(await first(i))
        b.append(await second(i))
    return a, b


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


async def main_async(args: argparse.Namespace) -> int:
    sizes = SMOKE if args.smoke else FULL
    root = Path(args.workdir or tempfile.mkdtemp(prefix="dutydesk-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    table = Table()
    prefix = "dutydesk_bench_smoke_" if args.smoke else "dutydesk_bench_"
    pg = await databases.postgres(args.postgres, prefix) if not args.no_postgres else None
    if pg is None and not args.no_postgres:
        print(f"PostgreSQL at {args.postgres} did not answer: its rows are skipped.")

    def sqlite(name: str) -> str:
        path = root / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite+aiosqlite:///{path}"

    def wd(name: str) -> Path:
        path = root / name
        shutil.rmtree(path, ignore_errors=True)
        return path

    # The reference and the interactive figures, each run of ours right after one of its.
    ref, ours = await _pairs(
        args.runs,
        lambda i: scenarios.reference(wd(f"ref{i}"), "conv", sizes.people, sizes.rounds),
        lambda i: scenarios.throughput(wd(f"empty{i}"), sqlite(f"empty{i}"), sizes.people),
    )
    echo = await _runs(
        args.runs,
        lambda i: scenarios.reference(wd(f"echo{i}"), "echo", sizes.people, 3 * sizes.rounds),
    )
    table.add(
        "reference: 3-step conversation, bare PTB",
        "updates/s",
        _median([f.rate for f in ref]),
        None,
        "",
    )
    table.add("reference: echo, bare PTB", "updates/s", _median([f.rate for f in echo]), None, "")
    table.add(
        "Duty Desk: whole reports + acknowledgements",
        "updates/s",
        _median([f.rate for f in ours]),
        None,
        "",
    )
    table.add(
        "interactive throughput (SQLite)",
        "× reference",
        _median([o.rate / r.rate for o, r in zip(ours, ref, strict=True)]),
        0.5,
        ">=",
    )

    lat_ref, lat = await _pairs(
        args.runs,
        lambda i: scenarios.reference_latency(wd(f"reflat{i}"), sizes.latency_rounds),
        lambda i: scenarios.latency(wd(f"lat{i}"), sqlite(f"lat{i}"), sizes.reports),
    )
    table.add(
        "press → answer p95, reference", "ms", _median([f.p95() * 1e3 for f in lat_ref]), None, ""
    )
    table.add(
        "press → answer p95, Duty Desk", "ms", _median([f.p95() * 1e3 for f in lat]), None, ""
    )
    table.add(
        "interactive latency p95",
        "× reference",
        _median([o.p95() / r.p95() for o, r in zip(lat, lat_ref, strict=True)]),
        3,
        "<=",
    )
    table.add(
        "start-up to first getUpdates (SQLite)", "s", _median([f.startup for f in ours]), 2, "<="
    )

    if args.only == "interactive":
        return _report(table, args)

    # At scale: the same throughput on a database already holding a large organisation.
    backends: list[
        tuple[str, Callable[[int], Awaitable[str]], Callable[[int], Awaitable[str]]]
    ] = []
    seeded = await databases.seeded_sqlite(root, sizes.seed)
    # /find reads and writes nothing: measured on the seeded database itself, before the
    # sweep acts on it (docs/decisions/009-search.md).
    search_runs = 1 if args.smoke else SEARCH_RUNS
    finds = {"SQLite": await search.row(f"sqlite+aiosqlite:///{seeded}", search_runs)}
    sweeps = {"SQLite": await databases.sweep(seeded)}  # first: it acts on what is due
    backends.append(
        (
            "SQLite",
            lambda i: _ready(sqlite(f"again{i}")),
            lambda i: _ready(databases.copy_sqlite(seeded, root / f"scale{i}.sqlite3")),
        )
    )
    if pg is not None:
        pg_seeded = await pg.seeded(sizes.seed)
        finds["PostgreSQL"] = await search.row(pg_seeded, search_runs)
        sweeps["PostgreSQL"] = await databases.sweep(pg_seeded)
        backends.append(
            ("PostgreSQL", lambda i: pg.create(f"empty{i}"), lambda i: pg.copy(f"scale{i}"))
        )
    rss: list[float] = []
    for name, empty_url, scale_url in backends:
        rss += await _at_scale(table, args.runs, name, empty_url, scale_url, wd, sizes.people)
        table.add(f"scheduler sweep ({name}, seeded)", "ms (median)", sweeps[name], 50, "<=")
        table.add(f"/find p95 ({name}, seeded)", "ms", finds[name], 100, "<=")
    table.add("peak RSS at the end of the scale runs", "MB", max(rss), 200, "<=")

    # Broadcast: Telegram's limits on, people filing at human pace meanwhile.
    casts = await _runs(
        args.runs,
        lambda i: broadcast(
            wd(f"broadcast{i}"), sqlite(f"broadcast{i}"), sizes.chats, sizes.filers
        ),
    )
    table.add(
        f"broadcast to {sizes.chats} chats: reminder alone",
        "× 30 msg/s",
        _median([f.extra["rate"] / 30 for f in casts]),
        None,
        "",
    )
    table.add(
        "broadcast: every message sent meanwhile",
        "× 30 msg/s",
        _median([f.extra["all_sends_rate"] / 30 for f in casts]),
        0.9,
        ">=",
    )
    table.add(
        "broadcast: missing + duplicate reminders",
        "count",
        max(f.extra["missing"] + f.extra["duplicates"] for f in casts),
        0,
        "<=",
    )
    table.add(
        "broadcast: 429s (each retried: no answer lost)",
        "count",
        _median([f.extra["refused_429"] for f in casts]),
        None,
        "",
    )
    table.add(
        "press p95 during broadcast / before",
        "×",
        _median([f.p95() / f.extra["press_p95_before"] for f in casts]),
        2,
        "<=",
    )
    return _report(table, args)


def _report(table: Table, args: argparse.Namespace) -> int:
    sizes = "smoke" if args.smoke else "full"
    print()
    print(
        f"Duty Desk bench · {datetime.now(UTC).date()} · {platform.machine()}, "
        f"{os.cpu_count()} CPUs, "
        f"Python {platform.python_version()} · {sizes} sizes, "
        f"median of {args.runs} run(s)"
    )
    print(table.render())
    if args.smoke:
        return 0
    return 0 if table.all_met() else 1


async def _at_scale(
    table: Table,
    runs: int,
    name: str,
    empty_url: Callable[[int], Awaitable[str]],
    scale_url: Callable[[int], Awaitable[str]],
    wd: Callable[[str], Path],
    people: int,
) -> list[float]:
    """Throughput on an empty and on a seeded database of one backend; the scale runs' RSS."""
    empty, scale = await _pairs(
        runs,
        lambda i: _throughput(wd(f"{name}-empty{i}"), empty_url(i), people),
        lambda i: _throughput(wd(f"{name}-scale{i}"), scale_url(i), people),
    )
    ratios = [s.rate / e.rate for s, e in zip(scale, empty, strict=True)]
    table.add(f"at scale ({name}): seeded / empty throughput", "×", _median(ratios), 0.8, ">=")
    return [f.peak_rss_mb for f in scale]


async def _ready(url: str) -> str:
    return url


async def _throughput(workdir: Path, url: Awaitable[str], people: int) -> Figures:
    return await scenarios.throughput(workdir, await url, people)


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float, float | None, str]] = []

    def add(self, what: str, unit: str, value: float, target: float | None, op: str) -> None:
        self.rows.append((what, unit, value, target, op))

    @staticmethod
    def met(value: float, target: float | None, op: str) -> bool | None:
        if target is None:
            return None
        return value >= target if op == ">=" else value <= target

    def all_met(self) -> bool:
        return all(self.met(v, t, o) is not False for _, _, v, t, o in self.rows)

    def render(self) -> str:
        lines = [
            f"| {'what':<52} | {'figure':>9} | {'unit':<14} | {'target':<8} | ok |",
            f"|{'-' * 54}|{'-' * 11}|{'-' * 16}|{'-' * 10}|----|",
        ]
        for what, unit, value, target, op in self.rows:
            ok = {True: "✓", False: "✗", None: ""}[self.met(value, target, op)]
            goal = f"{op} {target:g}" if target is not None else ""
            lines.append(f"| {what:<52} | {value:>9.3g} | {unit:<14} | {goal:<8} | {ok:<2} |")
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (CI)")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median)")
    parser.add_argument("--workdir", help="where databases and logs go (default: a temp dir)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "DUTYDESK_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        ),
        help="a PostgreSQL database whose server the bench may create databases on",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--only",
        choices=["interactive"],
        help="interactive: only the rows before 'at scale' (throughput, latency, start-up; "
        "a few minutes, for working on them)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    code = asyncio.run(main_async(args))
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
