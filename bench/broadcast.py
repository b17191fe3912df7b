"""A reminder to thousands of private chats while people keep filing reports, with the
stand-in enforcing Telegram's flood limits (30 messages/s in all, 1/s per private chat).

The reminder is queued as the calendar queues one (bot.calendar.runner: one outbox message per
person, in one transaction), from outside the bot process; the bot's deliverer picks it up.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

from sqlalchemy import select

from bench import actors as act
from bench import procs, world
from bench.scenarios import Figures, p95, running
from bench.world import deps_for
from bot.outbox import service as outbox
from bot.outbox.service import Button
from bot.people import service as people
from bot.people.models import Person
from bot.people.view import TgUser
from runtime.answers import SENDS

RECIPIENT_BASE = 3_000_000
PACE = act.Pace(press=1.0, text=3.0)  # people think before they press, and type slower
# Reports per filer before the broadcast: with one (5 presses each, 100 in all) the p95 the
# ratio divides by was the fifth slowest press, and moved the ratio from 1.9 to 3.3 between
# two runs of the same code.
BEFORE = 3


async def _recipients(url: str, count: int) -> list[int]:
    """People who pressed Start, registered as the bot registers them."""
    ids = [RECIPIENT_BASE + i for i in range(1, count + 1)]
    async with deps_for(url) as deps, deps.db.transaction() as session:
        now = deps.clock.now()
        for user_id in ids:
            await people.upsert(
                session, TgUser(user_id, f"R{user_id}", language_code="en"), now=now, started=True
            )
    return ids


async def _queue(url: str, ids: list[int]) -> float:
    """The study-session reminder (R3, P4) to every recipient, in one transaction."""
    params = {"key": "R3:bench", "start": "2026-12-01", "end": "2026-12-31", "unit": "month"}
    async with deps_for(url) as deps:
        async with deps.db.transaction() as session:
            now = deps.clock.now()
            recipients = await session.scalars(select(Person).where(Person.telegram_id.in_(ids)))
            for person in recipients:
                outbox.notify_person(
                    session,
                    now=now,
                    person=person,
                    template="calendar.study_open",
                    params=params,
                    buttons=[[Button("Record it", "start:meeting")]],
                )
        return time.perf_counter()


async def broadcast(workdir: Path, url: str, chats: int, filers: int) -> Figures:
    """Figures: the filers' answers during the broadcast (presses, texts) and, in `extra`,
    the delivery rate, 429s, what arrived, and the filers' press p95 before it began."""
    cast = world.cast(filers)
    policy = world.write_policy(workdir)
    await world.prepare(url, policy, cast)
    ids = await _recipients(url, chats)
    async with running(
        lambda s: procs.dutydesk(s.url, workdir, url, policy, rate_limits="telegram"),
        [procs.ADMIN_ID, *cast.reporters, *cast.heads, *ids],
        pace=PACE,
    ) as (s, proc, people_):
        s.faults.realistic = True
        await s.quiet(0.5, timeout=120)
        reporters = [people_[r] for r in cast.reporters]
        heads = [people_[h] for h in cast.heads]

        async def before_it(a: act.Actor) -> None:
            for n in range(BEFORE):
                await act.file_report(a, n)

        async def filing(a: act.Actor, until: asyncio.Event, first: int) -> None:
            for n in itertools.count(first):
                await act.file_report(a, n)
                if until.is_set():
                    return

        # Before: each filer files BEFORE reports at human pace; handlers do not acknowledge.
        await asyncio.gather(*(before_it(a) for a in reporters))
        before = [x for a in reporters for x in a.presses]
        for a in (*reporters, *heads):
            a.presses, a.texts, a.updates = [], [], 0
        refused_before, sent_before = s.count(SENDS, 429), s.count(SENDS, 200)

        done = asyncio.Event()
        queued_at = await _queue(url, ids)
        work = [filing(a, done, 100) for a in reporters]

        async def delivered() -> float:
            while sum(i in s.first_sent_at for i in ids) < len(ids):
                if proc.proc.returncode is not None:
                    raise RuntimeError(f"the bot stopped:\n{proc.tail()}")
                await asyncio.sleep(0.25)
            done.set()
            return max(s.first_sent_at[i] for i in ids)

        results = await asyncio.gather(delivered(), *work)
        last = results[0]
        assert isinstance(last, float)
        f = Figures(updates=sum(a.updates for a in reporters), seconds=last - queued_at)
        f.presses = [x for a in reporters for x in a.presses]
        f.texts = [x for a in reporters for x in a.texts]
        f.peak_rss_mb = proc.peak_rss_mb()
        sent = s.count(SENDS, 200) - sent_before  # everything the limits count, answers too
        f.extra = {
            "rate": chats / (last - queued_at),
            "all_sends_rate": sent / (last - queued_at),
            "refused_429": s.count(SENDS, 429) - refused_before,
            "duplicates": sum(len(s.bot_messages(i)) - 1 for i in ids),
            "missing": sum(not s.bot_messages(i) for i in ids),
            "press_p95_before": p95(before),
        }
        return f
