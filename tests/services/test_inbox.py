"""The update inbox on a real database (SQLite and PostgreSQL): each update handled once, what a
crash interrupted handed on again, a poison update given up, old ones forgotten.
The same across real process kills: tests/flows/test_crash.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.clock import MovableClock
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.inbox import service as inbox
from bot.people import service as people
from bot.people.view import TgUser


def update(uid: int, text: str = "hi") -> dict[str, Any]:
    return {"update_id": uid, "message": {"message_id": uid, "text": text}}


async def test_received_updates_are_handed_on_until_handled(deps: Deps) -> None:
    now = deps.clock.now()
    await inbox.received(deps.db, [update(1), update(2), update(3)], now=now)
    await inbox.received(deps.db, [update(3, "sent again"), update(4)], now=now)  # a repeat
    assert [u["update_id"] for u in await inbox.unfinished(deps.db)] == [1, 2, 3, 4]
    assert (await inbox.unfinished(deps.db))[2]["message"]["text"] == "hi"  # the first copy

    assert await inbox.begin(deps.db, 1, lambda: update(1), now=now)
    await inbox.finish_all(deps.db, [(1, now)])
    assert await inbox.begin(deps.db, 2, lambda: update(2), now=now)  # then a crash
    assert [u["update_id"] for u in await inbox.unfinished(deps.db)] == [2, 3, 4]
    # Telegram sends 1 again (its batch was not confirmed): handled already, skipped.
    assert not await inbox.begin(deps.db, 1, lambda: update(1), now=now)


async def test_an_update_not_kept_on_arrival_is_kept_when_handling_begins(deps: Deps) -> None:
    """Webhook mode: no getUpdates batch to keep; `begin` keeps it."""
    now = deps.clock.now()
    assert await inbox.begin(deps.db, 7, lambda: update(7, "webhook"), now=now)
    assert await inbox.unfinished(deps.db) == [update(7, "webhook")]
    await inbox.finish_all(deps.db, [(7, now)])
    assert await inbox.unfinished(deps.db) == []
    assert not await inbox.begin(deps.db, 7, lambda: update(7), now=now)


async def test_an_update_that_crashed_the_bot_three_times_is_given_up(deps: Deps) -> None:
    now = deps.clock.now()
    # Kept on arrival, then handed to the handlers with no write of its own: that counts as
    # the first time. It crashes the bot...
    assert await inbox.received(deps.db, [update(5)], now=now) == {5}
    for _ in range(inbox.MAX_ATTEMPTS - 1):
        assert [u["update_id"] for u in await inbox.unfinished(deps.db)] == [5]
        assert await inbox.begin(deps.db, 5, lambda: update(5), now=now)  # ...and again
    assert await inbox.unfinished(deps.db) == []
    assert not await inbox.begin(deps.db, 5, lambda: update(5), now=now)


async def test_ends_are_recorded_with_the_next_batch(deps: Deps) -> None:
    now = deps.clock.now()
    assert await inbox.received(deps.db, [update(1), update(2)], now=now) == {1, 2}
    # 1 and 2 handled; Telegram re-sends 2 with 3 (its batch was not confirmed yet).
    kept = await inbox.received(
        deps.db, [update(2), update(3)], now=now, finished=[(1, now), (2, now)]
    )
    assert kept == {3}
    assert [u["update_id"] for u in await inbox.unfinished(deps.db)] == [3]
    assert not await inbox.begin(deps.db, 2, lambda: update(2), now=now)  # handled: skipped


async def test_handled_updates_are_forgotten_after_two_days(
    deps: Deps, clock: MovableClock
) -> None:
    await inbox.received(deps.db, [update(1), update(2)], now=clock.now())
    await inbox.begin(deps.db, 1, lambda: update(1), now=clock.now())
    await inbox.finish_all(deps.db, [(1, clock.now())])
    clock.advance(inbox.KEEP - timedelta(minutes=1))
    assert await inbox.prune(deps.db, now=clock.now()) == 0
    clock.advance(timedelta(minutes=2))
    assert await inbox.prune(deps.db, now=clock.now()) == 1
    # Never handled: kept, whatever its age.
    assert [u["update_id"] for u in await inbox.unfinished(deps.db)] == [2]


async def test_a_draft_knows_the_update_that_made_its_step(deps: Deps) -> None:
    me = await people.identify(deps, TgUser(1001, "Mei"), private=True)
    token = inbox.handling(41)
    try:
        await drafts.save(deps, me.id, DraftState("report", "when", {"what": "x"}))
        state = await drafts.get(deps, 1001)
        assert state is not None and state.update_id == 41 and state.replayed
    finally:
        inbox.done_handling(token)
    token = inbox.handling(42)  # the person's next message: a new step, not a replay
    try:
        state = await drafts.get(deps, 1001)
        assert state is not None and not state.replayed
    finally:
        inbox.done_handling(token)
