"""Outbox delivery under Telegram's faults: 5xx, dropped connections before and after
the send took effect, 429 storms — counted per message: queued, delivered, duplicated, lost.

At-least-once (cards, escalations, reminders): everything arrives; only a send whose answer was
lost after it took effect arrives twice. At-most-once ("approved"): never twice; a send whose
fate is unknown is recorded as uncertain and not repeated (bot/outbox/models.Semantics).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import DELIVERER_KEY
from bot.clock import MovableClock
from bot.config import Settings
from bot.context import deps_of
from bot.db.engine import Database
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage, Semantics
from bot.people import service as people
from bot.people.models import Person
from bot.people.view import TgUser
from runtime.pacing import Pacer
from tests.support.bot import Harness, start_bot, stop_bot
from tests.support.crash import tally
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import register

PEOPLE = list(range(3001, 3011))


async def started(h: Harness) -> list[Person]:
    s = h.standin
    for uid in PEOPLE:
        await register(s, s.add_user(uid, f"P{uid}", language_code="en"))
    await s.quiet()
    async with h.deps.db.read() as session:
        return list(await session.scalars(select(Person).where(Person.telegram_id.in_(PEOPLE))))


async def queue(h: Harness, persons: list[Person], each: int, semantics: Semantics) -> None:
    """`each` distinct notices per person, in one transaction (a reminder run)."""
    now = h.deps.clock.now()
    async with h.deps.db.transaction() as session:
        for n in range(each):
            for person in persons:
                outbox.notify_person(
                    session,
                    now=now,
                    person=person,
                    template="role.granted",
                    params={"role": "office", "by": f"#{person.telegram_id}-{n}"},
                    semantics=semantics,
                )


async def rows(h: Harness) -> list[OutboxMessage]:
    async with h.deps.db.read() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.template == "role.granted")
                .order_by(OutboxMessage.id)
            )
        )


async def drain(h: Harness, step: timedelta = timedelta(minutes=6)) -> None:
    """Let time pass (backoff, retry_after) until nothing is pending or in flight."""
    for _ in range(600):  # a 429's retry_after is waited for in real time (runtime.pacing)
        busy = [m for m in ours(h, await rows(h)) if m.status in ("pending", "sending")]
        if not busy:
            return
        h.clock.advance(step)
        h.app.bot_data[DELIVERER_KEY].wake()
        await asyncio.sleep(0.05)
    raise AssertionError(
        f"still busy: {[(m.chat_id, m.status, m.attempts, m.last_error) for m in busy]}"
    )


async def through(s: ReadingStandIn, faults: list[tuple[int, int, bool]]) -> None:
    """Switch on each failure of sendMessage in turn (status, times, after), waiting until the
    delivery task ran into all of it before the next."""
    for status, times, after in faults:
        s.faults.fail_next("sendMessage", status, times, after=after)
        await s.wait_until(lambda: "sendmessage" not in s.faults.failures, 20, "the failures")


def ours(h: Harness, messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """The test's notices (not the role notices of the set-up)."""
    return [m for m in messages if str(m.params.get("by", "")).startswith("#")]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_at_least_once_through_a_storm(harness: Harness) -> None:
    s, h = harness.standin, harness
    persons = await started(h)
    s.faults.flood(retry_after=1, times=3)  # 429 for whoever is next, three times
    s.faults.flood(chat_id=PEOPLE[0], retry_after=1, times=3)  # one chat flooded repeatedly
    await queue(h, persons, 3, Semantics.AT_LEAST_ONCE)
    # 502 ×3, 500 ×2, connection dropped before the send ×2, dropped after it took effect ×2.
    await through(s, [(502, 3, False), (500, 2, False), (0, 2, False), (0, 2, True)])
    await drain(h)
    figures = tally(ours(h, await rows(h)), s)
    assert figures == {"queued": 30, "delivered": 30, "duplicated": 2, "uncertain": 0, "lost": 0}
    refused = [c.status for c in s.calls if c.method == "sendmessage" and c.status != 200]
    assert refused.count(429) == 6 and refused.count(502) == 3 and refused.count(500) == 2


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_at_most_once_is_never_sent_twice(harness: Harness) -> None:
    s, h = harness.standin, harness
    persons = await started(h)
    await queue(h, persons, 1, Semantics.AT_MOST_ONCE)
    # 502: Telegram refused it, so it is safe to send again. A dropped connection after the
    # send took effect: delivered, and not repeated. Dropped before: not delivered, and not
    # repeated either — the bot cannot tell the two apart.
    await through(s, [(502, 2, False), (0, 2, True), (0, 1, False)])
    await drain(h)
    messages = ours(h, await rows(h))
    figures = tally(messages, s)
    assert figures == {"queued": 10, "delivered": 7, "duplicated": 0, "uncertain": 3, "lost": 0}
    arrived = sum(1 for uid in PEOPLE for m in s.bot_messages(uid) if "given by #" in m.text)
    assert arrived == 9  # the two "after" ones arrived once; the "before" one never did


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_flooded_chat_waits_alone_and_presses_are_answered_at_once(
    harness: Harness,
) -> None:
    s, h = harness.standin, harness
    persons = await started(h)
    s.faults.flood(chat_id=PEOPLE[0], retry_after=3, times=1)
    await queue(h, persons, 1, Semantics.AT_LEAST_ONCE)
    h.app.bot_data[DELIVERER_KEY].wake()
    await s.wait_until(lambda: all(s.unread(uid) for uid in PEOPLE[1:]), 10, "the other nine chats")
    assert not [m for m in s.bot_messages(PEOPLE[0]) if "given by #" in m.text]
    # Meanwhile a person's button press is answered at once (the 429 was for one chat only).
    other = s.users[PEOPLE[1]]
    await other.send("/language")
    await s.quiet()
    choice = s.bot_messages(PEOPLE[1])[-1]
    before = len(s.answers)
    await other.press(choice, "English")
    await s.wait_until(lambda: len(s.answers) > before, 5, "the answer to the press")
    h.clock.advance(timedelta(seconds=4))  # retry_after has passed
    await drain(h, timedelta(seconds=1))
    assert tally(ours(h, await rows(h)), s)["delivered"] == 10


async def test_an_answer_refused_with_429_is_sent_again_after_retry_after(
    harness: Harness,
) -> None:
    """A person's answer is never dropped for a 429 (runtime.answers): it waits
    `retry_after` and goes again, where before it ended in the error handler."""
    s = harness.standin
    await register(s, s.add_user(3001, "P3001", language_code="en"))
    await s.quiet()
    s.mark_read(3001)
    s.faults.flood(3001, retry_after=1, times=1)
    await s.users[3001].send("/help")
    answer = await s.next_message(3001, timeout=10)
    assert "/report" in answer.text  # the help, once
    sends = [
        c.status
        for c in s.calls
        if c.method == "sendmessage" and str(c.params.get("chat_id")) == "3001"
    ]
    assert sends[-2:] == [429, 200]
    await s.quiet()
    assert s.unread(3001) == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_answers_during_a_broadcast_at_telegrams_limits_meet_no_429(
    standin: ReadingStandIn, db: Database, settings: Settings, clock: MovableClock
) -> None:
    """Telegram's limits on (the stand-in's realistic mode, our own pacing as in production):
    a broadcast fills the outbox's share of the 30 messages a second while twenty people each
    ask for /help as fast as their chat allows. No answer meets a 429, whose retry_after
    would hold up every update behind it (runtime.pacing.answer_wait,
    docs/decisions/006-performance.md); every
    answer and every message of the broadcast arrives once."""
    s = standin
    recipients, askers = list(range(5001, 5151)), list(range(6001, 6021))
    app = await start_bot(s, db, settings, clock, pacer=Pacer())
    try:
        deps = deps_of(app)
        now = deps.clock.now()
        async with deps.db.transaction() as session:
            for uid in (*recipients, *askers):
                s.add_user(uid, f"P{uid}", language_code="en").started = True
                await people.upsert(
                    session, TgUser(uid, f"P{uid}", language_code="en"), now=now, started=True
                )
        s.faults.realistic = True
        async with deps.db.transaction() as session:  # queued at once, as the calendar does
            for person in await session.scalars(
                select(Person).where(Person.telegram_id.in_(recipients))
            ):
                outbox.notify_person(
                    session,
                    now=now,
                    person=person,
                    template="role.granted",
                    params={"role": "office", "by": "#broadcast"},
                )

        async def ask(uid: int) -> None:
            for n in range(1, 6):
                await s.users[uid].send("/help")
                await s.wait_until(lambda: len(s.bot_messages(uid)) >= n, 10, "the help")  # noqa: B023 - awaited at once

        await asyncio.gather(*(ask(uid) for uid in askers))
        await s.wait_until(lambda: all(s.bot_messages(uid) for uid in recipients), 30, "all")
        sends = [c for c in s.calls if c.method == "sendmessage"]
        assert [c.params.get("chat_id") for c in sends if c.status == 429] == []
        assert all(len(s.bot_messages(uid)) == 5 for uid in askers)
        assert all(len(s.bot_messages(uid)) == 1 for uid in recipients)
    finally:
        await stop_bot(app)
