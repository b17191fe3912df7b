"""One scenario per row of the bench's table; each starts its own stand-in and bot process.

Every scenario returns Figures: updates handled, wall time from the first update to the last
answer, how long each answer took, CPU time of the bot and of the bench (stand-in + people)."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench import actors as act
from bench import procs, world
from bench.standin import BenchStandIn

START_TIMEOUT = 60.0


@dataclass
class Figures:
    updates: int = 0
    seconds: float = 0.0
    presses: list[float] = field(default_factory=list)
    texts: list[float] = field(default_factory=list)
    bot_cpu: float = 0.0
    bench_cpu: float = 0.0
    startup: float = 0.0
    peak_rss_mb: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def p95(self, which: str = "presses") -> float:
        return p95(getattr(self, which))

    def median(self, which: str = "presses") -> float:
        values = getattr(self, which)
        return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    """The value 95 % of the way through the sorted `values` (index rounded); NaN if none."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@asynccontextmanager
async def running(
    start: Callable[[BenchStandIn], Awaitable[procs.BotProcess]],
    people: list[int],
    pace: act.Pace | None = None,
) -> AsyncIterator[tuple[BenchStandIn, procs.BotProcess, dict[int, act.Actor]]]:
    """A fresh stand-in with `people` in it and a bot process polling it (from its first
    getUpdates on)."""
    s = BenchStandIn(procs.TOKEN)
    cast = world.actors(s, people, pace)
    await s.start()
    proc = await start(s)
    try:
        waited = time.perf_counter() + START_TIMEOUT
        while s.first_poll_at is None:
            if proc.proc.returncode is not None or time.perf_counter() > waited:
                raise RuntimeError(f"the bot did not start polling:\n{proc.tail()}")
            await asyncio.sleep(0.01)
        yield s, proc, cast
    finally:
        code = await proc.stop()
        await s.stop()
        if code not in (0, -15):
            raise RuntimeError(f"the bot exited with {code}:\n{proc.tail(150)}")


async def _measure(
    s: BenchStandIn,
    proc: procs.BotProcess,
    people: list[act.Actor],
    work: list[Awaitable[object]],
) -> Figures:
    for a in people:
        a.updates, a.presses, a.texts, a.last_answer_at = 0, [], [], 0.0
    cpu, bench_cpu = proc.cpu_seconds(), time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*work)
    ended = max(a.last_answer_at for a in people)
    f = Figures(updates=sum(a.updates for a in people), seconds=ended - started)
    f.presses = [x for a in people for x in a.presses]
    f.texts = [x for a in people for x in a.texts]
    f.bot_cpu, f.bench_cpu = proc.cpu_seconds() - cpu, time.process_time() - bench_cpu
    f.startup = (s.first_poll_at or started) - proc.spawned_at
    f.peak_rss_mb = proc.peak_rss_mb()
    return f


# --- the reference -----------------------------------------------------------------------------
async def reference(workdir: Path, mode: str, people: int, rounds: int) -> Figures:
    """`people` press through the reference's conversation (or echo) `rounds` times each, as
    fast as the stand-in answers; one round each first, unmeasured, to warm up."""
    ids = list(range(10_001, 10_001 + people))
    async with running(lambda s: procs.reference(s.url, workdir, mode), ids) as (s, proc, cast):
        everyone = list(cast.values())

        async def person(a: act.Actor, n: int) -> None:
            for i in range(n):
                await (act.conversation(a) if mode == "conv" else act.echo(a, i))

        await asyncio.gather(*(person(a, 1) for a in everyone))
        return await _measure(s, proc, everyone, [person(a, rounds) for a in everyone])


async def reference_latency(workdir: Path, rounds: int) -> Figures:
    """One person, one update in flight at a time."""
    async with running(lambda s: procs.reference(s.url, workdir, "conv"), [10_001]) as (
        s,
        proc,
        cast,
    ):
        (a,) = cast.values()
        await act.conversation(a)

        async def sequential() -> None:
            for _ in range(rounds):
                await act.conversation(a)

        return await _measure(s, proc, [a], [sequential()])


# --- Duty Desk ---------------------------------------------------------------------------------
async def _dutydesk(
    workdir: Path, url: str, cast: world.Cast, rate_limits: str = "off"
) -> AsyncIterator[tuple[BenchStandIn, procs.BotProcess, dict[int, act.Actor]]]:
    policy = world.write_policy(workdir)
    await world.prepare(url, policy, cast)
    async with running(
        lambda s: procs.dutydesk(s.url, workdir, url, policy, rate_limits=rate_limits),
        [procs.ADMIN_ID, *cast.reporters, *cast.heads],
    ) as (s, proc, people):
        await s.quiet(0.5, timeout=120)  # the heads' role notices went out
        yield s, proc, people


dutydesk_running = asynccontextmanager(_dutydesk)


async def throughput(workdir: Path, url: str, reporters: int) -> Figures:
    """Every reporter files a whole report at once; each head acknowledges their committee's."""
    cast = world.cast(reporters)
    async with dutydesk_running(workdir, url, cast) as (s, proc, people):
        await _warm_up(people[procs.ADMIN_ID])
        work: list[Awaitable[object]] = [
            act.file_report(people[r], n) for n, r in enumerate(cast.reporters)
        ]
        work += [act.acknowledge(people[h], len(m)) for h, m in cast.heads.items()]
        return await _measure(s, proc, list(people.values()), work)


async def latency(workdir: Path, url: str, reports: int) -> Figures:
    """One reporter files `reports` reports one step at a time; the head acknowledges each
    before the next begins: one update in flight at a time."""
    cast = world.cast(1)
    async with dutydesk_running(workdir, url, cast) as (s, proc, people):
        await _warm_up(people[procs.ADMIN_ID])
        (head,) = cast.heads
        reporter, handler = people[cast.reporters[0]], people[head]

        async def sequential() -> None:
            cursor = 0
            for n in range(reports):
                await act.file_report(reporter, n)
                card, cursor = await handler.next_sent(cursor, act.CARD)
                await handler.tap(card, "Acknowledge", None)

        return await _measure(s, proc, [reporter, handler], [sequential()])


async def _warm_up(admin: act.Actor) -> None:
    """First use loads the translations and warms the connection pool: not measured."""
    for _ in range(3):
        await admin.say("/help", "")
