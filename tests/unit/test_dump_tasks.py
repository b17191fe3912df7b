"""`kill -USR1` on the bot prints every asyncio task and where it waits (bot.app.dump_tasks):
what the bench shows when a bot does not stop within 30 s of SIGTERM, before it kills it."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import dump_tasks


async def test_every_task_is_printed_with_where_it_waits(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def held_up() -> None:
        await asyncio.Event().wait()

    waiting = asyncio.create_task(held_up(), name="waits-for-ever")
    await asyncio.sleep(0)
    try:
        dump_tasks()
    finally:
        waiting.cancel()
    err = capsys.readouterr().err
    assert "waits-for-ever" in err and "in held_up" in err
    assert "asyncio task(s) ---" in err
