"""Flow tests: the real Application, polling the strict stand-in over HTTP, on a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import MovableClock
from bot.config import Settings
from bot.db.engine import Database
from tests.support.bot import TOKEN, Harness, start_bot, stop_bot
from tests.support.standin_reading import ReadingStandIn


@pytest.fixture
async def standin() -> AsyncIterator[ReadingStandIn]:
    server = ReadingStandIn(token=TOKEN, bot_username="dutydesk_test_bot")
    await server.start(host="127.0.0.1", port=0)
    yield server
    await server.stop()


@pytest.fixture
async def harness(
    standin: ReadingStandIn, db: Database, settings: Settings, clock: MovableClock
) -> AsyncIterator[Harness]:
    h = Harness(standin, await start_bot(standin, db, settings, clock), db, settings, clock)
    yield h
    await stop_bot(h.app)
