"""The ledger's flow tests: the sample year, its people in their chats in English."""

from __future__ import annotations

from bot.events.sweep import sweep as event_sweep
from bot.incidents.sweep import sweep as incident_sweep
from standin.ledger_year import MIN, OU, SHU, a_year, at
from standin.world import SimUser
from tests.support.bot import Harness
from tests.support.world import tap


async def year_world(h: Harness) -> dict[int, SimUser]:
    """The year of tests/services/ledger_year.py, then its people open their chats in English."""
    await a_year(h.deps, h.clock)
    h.clock.set(at(1, 10, year=2027))
    # What the bot's own sweeps would do now (I5 goes up the chain; E6 waits for a decision),
    # done here, so that nothing arrives later in the middle of a test's conversation.
    await incident_sweep(h.deps)
    await event_sweep(h.deps)
    s = h.standin
    users = {}
    for tg in (SHU, OU, MIN):
        users[tg.id] = s.add_user(tg.id, tg.first_name, language_code="en")
        await users[tg.id].send("/language")
        await tap(s, users[tg.id], await s.next_message(tg.id), data="1lg:set:en")
    await s.quiet()
    s.mark_read(*users)
    return users
