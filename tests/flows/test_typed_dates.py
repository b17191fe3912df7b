"""Dates typed in the chat in the forms Chinese offices write (bot/dates.py): /acting (R6)."""

from __future__ import annotations

from tests.support.bot import Harness
from tests.support.world import MEMBER, SECRETARY, world


async def test_acting_days_in_chinese(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    shu = users[SECRETARY]
    await shu.send("/acting @mei 十二月一日至十二月十日")
    assert (await s.next_message(SECRETARY)).text == (
        "Mei decides on events from 2026-12-01 to 2026-12-10."
    )
    assert "2026-12-01" in (await s.next_message(MEMBER)).text  # Mei is told
    await shu.send("/acting @mei 2026年12月11日")  # one day is not a stretch of days
    assert (await s.next_message(SECRETARY)).text.startswith("Send /acting @username")
