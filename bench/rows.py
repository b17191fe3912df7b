"""The rows of `python -m bench`'s table, part by part: the interactive figures against a bare
python-telegram-bot bot (each run of ours right after one of its), the same throughput on a
database already holding a large organisation (per backend, with /find and the scheduler's sweep
on it), and a broadcast under Telegram's limits while people file.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bench import databases, scenarios, search
from bench.broadcast import broadcast
from bench.databases import Postgres
from bench.scenarios import Figures
from bench.table import Table, median


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


@dataclass(frozen=True)
class Place:
    """Where a run's files go: a fresh SQLite database or work directory, by name."""

    root: Path

    def sqlite(self, name: str) -> str:
        """The URL of a fresh SQLite database (an older one of that name removed)."""
        path = self.root / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite+aiosqlite:///{path}"

    def wd(self, name: str) -> Path:
        """A fresh work directory (an older one of that name removed)."""
        path = self.root / name
        shutil.rmtree(path, ignore_errors=True)
        return path


async def runs(n: int, scenario: Callable[[int], Awaitable[Figures]]) -> list[Figures]:
    """`n` runs of a scenario, one after the other."""
    return [await scenario(i) for i in range(n)]


async def pairs(
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


async def interactive(table: Table, sizes: Sizes, n: int, place: Place) -> None:
    """Throughput, latency and start-up against the reference (SQLite, an empty database)."""
    # The reference and the interactive figures, each run of ours right after one of its.
    ref, ours = await pairs(
        n,
        lambda i: scenarios.reference(place.wd(f"ref{i}"), "conv", sizes.people, sizes.rounds),
        lambda i: scenarios.throughput(
            place.wd(f"empty{i}"), place.sqlite(f"empty{i}"), sizes.people
        ),
    )
    echo = await runs(
        n,
        lambda i: scenarios.reference(place.wd(f"echo{i}"), "echo", sizes.people, 3 * sizes.rounds),
    )
    table.add(
        "reference: 3-step conversation, bare PTB",
        "updates/s",
        median([f.rate for f in ref]),
        None,
        "",
    )
    table.add("reference: echo, bare PTB", "updates/s", median([f.rate for f in echo]), None, "")
    table.add(
        "Duty Desk: whole reports + acknowledgements",
        "updates/s",
        median([f.rate for f in ours]),
        None,
        "",
    )
    table.add(
        "interactive throughput (SQLite)",
        "× reference",
        median([o.rate / r.rate for o, r in zip(ours, ref, strict=True)]),
        0.5,
        ">=",
    )

    lat_ref, lat = await pairs(
        n,
        lambda i: scenarios.reference_latency(place.wd(f"reflat{i}"), sizes.latency_rounds),
        lambda i: scenarios.latency(place.wd(f"lat{i}"), place.sqlite(f"lat{i}"), sizes.reports),
    )
    table.add(
        "press → answer p95, reference", "ms", median([f.p95() * 1e3 for f in lat_ref]), None, ""
    )
    table.add("press → answer p95, Duty Desk", "ms", median([f.p95() * 1e3 for f in lat]), None, "")
    table.add(
        "interactive latency p95",
        "× reference",
        median([o.p95() / r.p95() for o, r in zip(lat, lat_ref, strict=True)]),
        3,
        "<=",
    )
    table.add(
        "start-up to first getUpdates (SQLite)", "s", median([f.startup for f in ours]), 2, "<="
    )


async def at_scale(
    table: Table, sizes: Sizes, n: int, place: Place, pg: Postgres | None, smoke: bool
) -> None:
    """Throughput on a seeded database against an empty one, /find and the sweep on it, per
    backend (PostgreSQL when it answered), and the peak RSS of those runs."""
    backends: list[
        tuple[str, Callable[[int], Awaitable[str]], Callable[[int], Awaitable[str]]]
    ] = []
    seeded = await databases.seeded_sqlite(place.root, sizes.seed)
    # /find reads and writes nothing: measured on the seeded database itself, before the
    # sweep acts on it (docs/decisions/009-search.md).
    search_runs = 1 if smoke else SEARCH_RUNS
    finds = {"SQLite": await search.row(f"sqlite+aiosqlite:///{seeded}", search_runs)}
    sweeps = {"SQLite": await databases.sweep(seeded)}  # first: it acts on what is due
    backends.append(
        (
            "SQLite",
            lambda i: _ready(place.sqlite(f"again{i}")),
            lambda i: _ready(databases.copy_sqlite(seeded, place.root / f"scale{i}.sqlite3")),
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
        rss += await _one_backend(table, n, name, empty_url, scale_url, place.wd, sizes.people)
        table.add(f"scheduler sweep ({name}, seeded)", "ms (median)", sweeps[name], 50, "<=")
        table.add(f"/find p95 ({name}, seeded)", "ms", finds[name], 100, "<=")
    table.add("peak RSS at the end of the scale runs", "MB", max(rss), 200, "<=")


async def broadcasts(table: Table, sizes: Sizes, n: int, place: Place) -> None:
    """A reminder to every chat under Telegram's limits, people filing meanwhile (runtime's
    pacing): the rate, nothing missing or doubled, presses still answered quickly."""
    casts = await runs(
        n,
        lambda i: broadcast(
            place.wd(f"broadcast{i}"), place.sqlite(f"broadcast{i}"), sizes.chats, sizes.filers
        ),
    )
    table.add(
        f"broadcast to {sizes.chats} chats: reminder alone",
        "× 30 msg/s",
        median([f.extra["rate"] / 30 for f in casts]),
        None,
        "",
    )
    table.add(
        "broadcast: every message sent meanwhile",
        "× 30 msg/s",
        median([f.extra["all_sends_rate"] / 30 for f in casts]),
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
        median([f.extra["refused_429"] for f in casts]),
        None,
        "",
    )
    table.add(
        "press p95 during broadcast / before",
        "×",
        median([f.p95() / f.extra["press_p95_before"] for f in casts]),
        2,
        "<=",
    )


async def _one_backend(
    table: Table,
    n: int,
    name: str,
    empty_url: Callable[[int], Awaitable[str]],
    scale_url: Callable[[int], Awaitable[str]],
    wd: Callable[[str], Path],
    people: int,
) -> list[float]:
    """Throughput on an empty and on a seeded database of one backend; the scale runs' RSS."""
    empty, scale = await pairs(
        n,
        lambda i: _throughput(wd(f"{name}-empty{i}"), empty_url(i), people),
        lambda i: _throughput(wd(f"{name}-scale{i}"), scale_url(i), people),
    )
    ratios = [s.rate / e.rate for s, e in zip(scale, empty, strict=True)]
    table.add(f"at scale ({name}): seeded / empty throughput", "×", median(ratios), 0.8, ">=")
    return [f.peak_rss_mb for f in scale]


async def _ready(url: str) -> str:
    return url


async def _throughput(workdir: Path, url: Awaitable[str], people: int) -> Figures:
    return await scenarios.throughput(workdir, await url, people)
