"""The real bot started against the stand-in on the test's database, as `dutydesk run` starts it."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.app import DELIVERER_KEY, FETCHER_KEY, build_application, deps_of, on_startup
from bot.clock import MovableClock
from bot.config import Settings
from bot.context import AnyApp
from bot.db.engine import Database
from bot.deps import Deps
from runtime.pacing import Pacer
from tests.support.database import open_door
from tests.support.standin_reading import ReadingStandIn

TOKEN = "123456789:TEST-token-abcdefghijklmnopqrstuvw"
ADMIN_ID = 9001


async def start_bot(
    standin: ReadingStandIn,
    db: Database,
    settings: Settings,
    clock: MovableClock,
    pacer: Pacer | None = None,
) -> AnyApp:
    """Start the bot as `dutydesk run` does, but on the test's (already migrated) database."""
    settings = settings.model_copy(
        update={"telegram_api_url": standin.url, "admin_ids": (ADMIN_ID,)}
    )
    # No pacing in flow tests: they test behaviour; limits have tests of their own (those pass
    # a real Pacer).
    pacer = pacer or Pacer(0.0, 0.0, 0.0)
    app = build_application(settings, token=TOKEN, clock=clock, pacer=pacer)
    deps_of(app).policy = open_door(deps_of(app).policy)  # tests of admission close it
    await deps_of(app).db.dispose()
    deps_of(app).db = db
    db.on_outbox = app.bot_data[DELIVERER_KEY].wake
    db.on_files = app.bot_data[FETCHER_KEY].wake
    await app.initialize()
    await on_startup(app)
    # The calendar runs by hand in flow tests (they move the clock by days; a reminder arriving
    # on its own would land between a test's question and its answer).
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name("calendar"):
        job.enabled = False
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
    standin.busy = lambda: working(app)
    return app


def working(app: AnyApp) -> bool:
    """The bot is still reacting: an update fetched and not handled, or one being handled, or
    a delivery or a file fetch under way."""
    workers = (app.bot_data[DELIVERER_KEY], app.bot_data[FETCHER_KEY])
    return (
        app.update_queue.qsize() > 0
        or not app.handover.idle.is_set()
        or any(w.busy for w in workers)
    )


async def stop_bot(app: AnyApp) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()


@dataclass
class Harness:
    standin: ReadingStandIn
    app: AnyApp
    db: Database
    settings: Settings
    clock: MovableClock

    @property
    def deps(self) -> Deps:
        return deps_of(self.app)

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same database (a process restart)."""
        await stop_bot(self.app)
        self.app = await start_bot(self.standin, self.db, self.settings, self.clock)
