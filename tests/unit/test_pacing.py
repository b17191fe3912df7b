"""runtime.pacing: who may send when, within Telegram's ~30 messages a second
(docs/decisions/001-telegram-limits.md).

The outbox keeps to 27 of any second's sends so answers to people find room; an answer may
fill the second up to 29 and otherwise waits the milliseconds until the oldest send leaves it
(a 429 would hold up every update behind it for a second or more:
docs/decisions/006-performance.md)."""

from __future__ import annotations

import asyncio
import time

import pytest

from runtime.pacing import ANSWER_CEILING, OUTBOX_PER_SECOND, Pacer

T = 1000.0  # an arbitrary monotonic time
LATER = T + 0.05  # past the 1/30 s that follows the last send of `filled`


def filled(sends: int, *, spread: float = 0.5) -> Pacer:
    """A pacer that saw `sends` sends to different chats over the `spread` seconds before T."""
    p = Pacer()
    for i in range(sends):
        p.sent(10_000 + i, now=T - spread + spread * i / sends)
    return p


def test_the_outbox_leaves_the_last_three_of_a_second_to_answers() -> None:
    p = filled(OUTBOX_PER_SECOND)
    oldest = T - 0.5
    assert p.outbox_wait(1, now=LATER) == pytest.approx(oldest + 1.0 - LATER)
    assert p.answer_wait(1, now=LATER) == 0.0  # 27 in the second: an answer goes at once


def test_an_answer_waits_for_room_below_29_instead_of_meeting_a_429() -> None:
    p = filled(ANSWER_CEILING)
    # The 29th most recent send leaves the second at its time + 1 s: 0.45 s, not a second.
    wait = p.answer_wait(1, now=LATER)
    assert wait == pytest.approx(0.45)
    assert p.answer_wait(1, now=LATER + wait) == 0.0


def test_an_answer_does_not_wait_for_the_outboxs_spacing() -> None:
    """The outbox spaces its sends 1/30 s apart; an answer needs only room in the second (and
    its chat's interval): waiting for the spacing held up every update behind it."""
    p = filled(OUTBOX_PER_SECOND - 5)
    p.sent(10, now=T)  # the outbox's latest
    assert p.outbox_wait(11, now=T + 0.01) == pytest.approx(1 / 30 - 0.01)
    assert p.answer_wait(11, now=T + 0.01) == 0.0


def test_answers_are_counted_so_the_outbox_makes_room_for_them() -> None:
    p = filled(OUTBOX_PER_SECOND - 2)
    assert p.outbox_wait(1, now=LATER) == 0.0
    p.sent(2, now=LATER)  # two answers to people
    p.sent(3, now=LATER)
    later = LATER + 0.05
    assert p.outbox_wait(1, now=later) == pytest.approx(T - 0.5 + 1.0 - later)


def test_one_chat_still_gets_one_message_a_second() -> None:
    p = Pacer()
    p.sent(7, now=T)
    assert p.answer_wait(7, now=T + 0.25) == pytest.approx(0.75)
    assert p.answer_wait(8, now=T + 0.25) == 0.0


def test_with_pacing_off_nobody_waits() -> None:
    p = Pacer(0.0, 0.0, 0.0)
    for i in range(100):
        p.sent(i % 3, now=T)
    assert p.answer_wait(1, now=T) == 0.0
    assert p.outbox_wait(1, now=T) == 0.0


def test_a_chats_second_runs_from_telegrams_answer_when_the_send_was_slow() -> None:
    p = Pacer()
    send = p.sent(7, now=T)  # counted as it started...
    p.answered(send, now=T + 0.3)  # ...and it took 0.3 s (a new connection, say)
    assert p.answer_wait(7, now=T + 1.0) == pytest.approx(0.3)


def test_a_slow_send_stays_in_the_total_until_a_second_after_its_answer() -> None:
    """Telegram counts a send from its arrival, which may be well after it started here: a
    send counted only from its start left the count here while Telegram still counted it."""
    p = filled(ANSWER_CEILING - 1)
    slow = p.sent(1, now=T)
    p.answered(slow, now=T + 0.4)
    # A second later the 28 others have left; the slow one counts until T + 1.4.
    for i in range(ANSWER_CEILING - 1):
        p.sent(100 + i, now=T + 1.0 + i / 1000)
    assert p.answer_wait(2, now=T + 1.1) == pytest.approx(0.3)


async def test_answers_waiting_for_the_same_place_do_not_both_take_it() -> None:
    """Two answers find the second full and wait for its oldest send to leave: only one may
    go then; the other looks again and waits for the next (both going met a 429 in CI)."""
    now = time.monotonic()
    p = Pacer()
    for i in range(ANSWER_CEILING):  # a full second, leaving it from 50 ms on
        p.sent(10_000 + i, now=now - 0.95 + i * 0.005)
    first, second = await asyncio.gather(p.answer_turn(1), p.answer_turn(2))
    times = sorted([*(now - 0.95 + i * 0.005 for i in range(ANSWER_CEILING)), first.at, second.at])
    busiest = max(sum(1 for t in times if at - 1.0 < t <= at) for at in times)
    assert busiest <= ANSWER_CEILING
