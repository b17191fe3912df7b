"""Flow tests: the real Application, polling the strict stand-in over HTTP, on a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from telegram import Update

from bot.app import build_application, deps_of, on_startup
from bot.clock import MovableClock
from bot.config import Settings
from bot.context import AnyApp
from bot.db.engine import Database
from bot.deps import Deps
from bot.sandbox.standin import StandIn
from scheduler.pacing import Pacer

TOKEN = "123456789:TEST-token-abcdefghijklmnopqrstuvw"
ADMIN_ID = 9001


@dataclass
class Harness:
    standin: StandIn
    app: AnyApp

    @property
    def deps(self) -> Deps:
        return deps_of(self.app)


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    server = StandIn(token=TOKEN, bot_username="dutydesk_test_bot")
    await server.start(host="127.0.0.1", port=0)
    yield server
    await server.stop()


@pytest.fixture
async def harness(
    standin: StandIn, db: Database, settings: Settings, clock: MovableClock
) -> AsyncIterator[Harness]:
    """The bot, started as `dutydesk run` starts it, against the stand-in and the test db."""
    settings = settings.model_copy(
        update={"telegram_api_url": standin.url, "admin_ids": (ADMIN_ID,)}
    )
    # No pacing between messages to one chat in flow tests: they test behaviour, not limits.
    app = build_application(settings, token=TOKEN, clock=clock, pacer=Pacer(0.0, 0.0, 0.0))
    # Share the test's database (already migrated) instead of the one built from settings.
    await deps_of(app).db.dispose()
    deps_of(app).db = db
    db.on_outbox = app.bot_data["deliverer"].wake
    await app.initialize()
    await on_startup(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
    yield Harness(standin, app)
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
