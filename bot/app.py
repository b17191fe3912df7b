"""Builds the Application: the one place that wires settings, database, handlers and tasks."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from datetime import datetime
from http import HTTPStatus
from typing import Any

from sqlalchemy.engine import make_url
from telegram import Bot, BotCommand, BotCommandScopeDefault, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import HTTPXRequest

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import DEPS_KEY, AnyApp, Ctx
from bot.db.engine import Database, create_engine
from bot.db.leader import Leadership
from bot.db.migrate import upgrade
from bot.deps import Deps
from bot.i18n import translator
from bot.inbox import service as inbox
from bot.outbox import service as outbox
from bot.people import grants
from bot.policy import store as policy_store
from bot.policy.load import load as load_policy
from handlers import register
from handlers.commands import COMMANDS
from scheduler import jobs
from scheduler.answers import AnswerRequest
from scheduler.delivery import Deliverer
from scheduler.pacing import Pacer

# Opt in to PTB 22.2+'s timedelta `retry_after` now (scheduler.delivery accepts both).
os.environ.setdefault("PTB_TIMEDELTA", "1")

log = logging.getLogger(__name__)
DELIVERER_KEY = "deliverer"
ELECT_KEY = "elect"  # the PostgreSQL URL to elect a leader on (`dutydesk run` only)
LEADERSHIP_KEY = "leadership"
# Exit code of a leader that lost its lock: it stops at once; a supervisor starts it again
# and it waits as a follower (bot.db.leader).
EXIT_LOST_LEADERSHIP = 6


async def prepare_database(settings: Settings) -> None:
    """Apply migrations (start-up and `dutydesk db upgrade`), on an engine of its own loop."""
    engine = create_engine(settings.resolved_database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


# An update's end waits this long for the next batch to be recorded with; then alone.
FINISH_DELAY_S = 0.2


class Handover:
    """What the getUpdates connection and the application share about the inbox (bot.inbox):
    updates kept on arrival and not handed over yet, and updates handled whose end is not
    recorded yet. Every write of ends holds `lock`, and an update is handed to the handlers
    only under it, so none is handled while an earlier one's end is still being written.
    `idle` is set while no update is being handled."""

    def __init__(self) -> None:
        self.fresh: set[int] = set()
        self.finished: list[tuple[int, datetime]] = []
        self.lock = asyncio.Lock()
        self.idle = asyncio.Event()
        self.idle.set()

    def take_finished(self) -> list[tuple[int, datetime]]:
        taken, self.finished = self.finished, []
        return taken


class InboxRequest(HTTPXRequest):
    """The getUpdates connection: each batch is kept in the inbox before the next request
    confirms it to Telegram, so a kill while handling it loses nothing (bot.inbox); the ends
    of updates handled meanwhile are recorded in the same transaction."""

    def __init__(self, deps: Deps, handover: Handover) -> None:
        super().__init__(connection_pool_size=1)  # what PTB uses for getUpdates
        self.deps = deps
        self.handover = handover

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, body = await super().do_request(*args, **kwargs)
        if status == HTTPStatus.OK:
            result = json.loads(body).get("result")
            if isinstance(result, list) and result:
                h = self.handover
                # The update being handled ends first (they are handled one at a time anyway),
                # so its end is written with this batch: one transaction per batch instead of
                # one more per update. Until the batch is kept it is not confirmed either.
                await h.idle.wait()
                now = self.deps.clock.now()
                async with h.lock:
                    h.fresh |= await inbox.received(
                        self.deps.db, result, now=now, finished=h.take_finished()
                    )
        return status, body


class InboxApplication(Application[Any, Any, Any, Any, Any, Any]):
    """Handles each update once: skipped when handled before, handed to the handlers again
    after a crash (bot.inbox). An update kept on arrival by this process is handed over with
    no write of its own; its end is recorded with the next batch's arrival, before the next
    update is handled, or after FINISH_DELAY_S when nothing else comes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handover = Handover()  # replaced by build_application with the shared one
        self._flush: asyncio.TimerHandle | None = None
        self._flushing: asyncio.Task[None] | None = None  # kept: the loop holds tasks weakly

    async def process_update(self, update: object) -> None:
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        deps = deps_of(self)
        db, clock, h = deps.db, deps.clock, self.handover
        async with h.lock:
            ended = h.take_finished()
            if update.update_id in h.fresh:
                h.fresh.discard(update.update_id)
                await inbox.finish_all(db, ended)
                began = True
            else:
                began = await inbox.begin(db, update.update_id, update.to_dict, now=clock.now(),
                                          finished=ended)  # fmt: skip
            if began:
                h.idle.clear()
        if not began:
            return
        token = inbox.handling(update.update_id)
        try:
            await super().process_update(update)
            h.finished.append((update.update_id, clock.now()))
        finally:
            inbox.done_handling(token)
            h.idle.set()
            deliverer = self.bot_data.get(DELIVERER_KEY)
            if isinstance(deliverer, Deliverer):
                deliverer.update_done()  # what the update queued goes out now
        if self._flush is None:
            loop = asyncio.get_running_loop()
            self._flush = loop.call_later(FINISH_DELAY_S, self._flush_later)

    def _flush_later(self) -> None:
        self._flushing = asyncio.get_running_loop().create_task(self.flush_finished())

    async def flush_finished(self) -> None:
        """Record the ends not recorded yet (nothing else came to take them along)."""
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        h = self.handover
        async with h.lock:
            await inbox.finish_all(deps_of(self).db, h.take_finished())

    async def stop(self) -> None:
        await super().stop()
        await self.flush_finished()


def build_application(
    settings: Settings,
    *,
    token: str | None = None,
    clock: Clock | None = None,
    pacer: Pacer | None = None,
) -> AnyApp:
    """The real Application, for `run`, the sandbox and the flow tests alike."""
    deps = Deps(
        settings=settings,
        db=Database(create_engine(settings.resolved_database_url)),
        clock=clock or SystemClock(),
        policy=load_policy(settings.policy_file),
    )
    api = settings.telegram_api_url
    handover = Handover()
    if pacer is None:
        pacer = Pacer() if settings.rate_limits == "telegram" else Pacer(0.0, 0.0, 0.0)
    app: AnyApp = (
        ApplicationBuilder()
        .token(token or settings.token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .application_class(InboxApplication)
        .request(AnswerRequest(pacer))
        .get_updates_request(InboxRequest(deps, handover))
        .context_types(ContextTypes(context=Ctx))
        .defaults(Defaults(do_quote=False))
        # Updates are handled one at a time: concurrent_updates loses fast button presses
        # in conversations (STACK-NOTES); throughput is measured in bench/.
        .concurrent_updates(False)
        .post_init(on_startup)
        .post_stop(on_stop)
        .post_shutdown(on_shutdown)
        .build()
    )
    app.bot_data[DEPS_KEY] = deps
    assert isinstance(app, InboxApplication)
    app.handover = handover
    deliverer = Deliverer(deps, app.bot, pacer)
    deps.db.on_outbox = deliverer.wake
    app.bot_data[DELIVERER_KEY] = deliverer
    register(app)
    return app


def deps_of(app: AnyApp) -> Deps:
    deps = app.bot_data[DEPS_KEY]
    assert isinstance(deps, Deps)
    return deps


async def on_startup(app: AnyApp) -> None:
    """After getMe succeeded: become the leader (PostgreSQL), bootstrap admins, recover the
    outbox, menus, start delivery."""
    deps = deps_of(app)
    if url := app.bot_data.get(ELECT_KEY):
        leadership = Leadership(url)
        await leadership.acquire()  # a follower waits here, before polling anything
        app.bot_data[LEADERSHIP_KEY] = leadership
        app.bot_data["leadership_watch"] = asyncio.create_task(leadership.watch(_lost))
    restored = await policy_store.restore(deps)
    if restored is not None:
        log.info("policy in force: %s, loaded through the chat", restored.file_name)
    granted = await grants.ensure_bootstrap_admins(deps)
    if granted:
        log.info("granted the admin role to %d configured admin(s)", granted)
    async with deps.db.transaction() as session:
        requeued, uncertain = await outbox.recover_in_flight(session, now=deps.clock.now())
    if requeued or uncertain:
        log.warning("outbox after restart: %d requeued, %d uncertain", requeued, uncertain)
    await replay_unfinished(app)
    await set_command_menus(app)
    jobs.schedule(app)
    deliverer = app.bot_data[DELIVERER_KEY]
    assert isinstance(deliverer, Deliverer)
    deliverer.start()
    deliverer.wake()


async def replay_unfinished(app: AnyApp) -> None:
    """Updates a crash interrupted go to the handlers first, before anything new is polled."""
    deps = deps_of(app)
    await inbox.prune(deps.db, now=deps.clock.now())
    payloads = await inbox.unfinished(deps.db)
    for payload in payloads:
        update = Update.de_json(payload, app.bot)
        if update is not None:
            await app.update_queue.put(update)
    if payloads:
        log.warning("handling %d update(s) a restart interrupted", len(payloads))


async def on_stop(app: AnyApp) -> None:
    deliverer = app.bot_data.get(DELIVERER_KEY)
    if isinstance(deliverer, Deliverer):
        await deliverer.stop()


def _lost(reason: str) -> None:
    """The leader can no longer prove it leads: stop now, before another instance works too."""
    log.critical("stopping at once: %s; another instance takes over", reason)
    logging.shutdown()
    os._exit(EXIT_LOST_LEADERSHIP)


async def on_shutdown(app: AnyApp) -> None:
    leadership = app.bot_data.get(LEADERSHIP_KEY)
    if isinstance(leadership, Leadership):
        watch = app.bot_data.get("leadership_watch")
        if isinstance(watch, asyncio.Task):
            watch.cancel()
        await leadership.release()  # a follower takes over at once
    await deps_of(app).db.dispose()


async def set_command_menus(app: AnyApp) -> None:
    """The command menu in both languages; Telegram picks by the user's app language."""
    default = deps_of(app).settings.default_locale
    for language_code, locale in (("zh", "zh_CN"), ("en", "en"), (None, default)):
        t = translator(locale)
        commands = [BotCommand(c.name, t.gettext(c.description)) for c in COMMANDS if c.in_menu]
        await app.bot.set_my_commands(
            commands, scope=BotCommandScopeDefault(), language_code=language_code
        )


class StartError(Exception):
    """Telegram cannot be used with this configuration; the message says why, in one line."""


async def _check_token(settings: Settings, token: str) -> None:
    """Ask Telegram who we are before starting, so a bad token is one sentence, not a trace."""
    api = settings.telegram_api_url
    async with Bot(token, base_url=f"{api}/bot", base_file_url=f"{api}/file/bot") as bot:
        await bot.get_me()


def serve(settings: Settings, token: str) -> None:
    """`dutydesk run`: check the token, then webhook when configured, else long polling.

    Blocks until SIGINT/SIGTERM (python-telegram-bot stops gracefully on both).
    """
    try:
        asyncio.run(_check_token(settings, token))
        app = build_application(settings, token=token)
        if make_url(settings.resolved_database_url).get_backend_name() == "postgresql":
            app.bot_data[ELECT_KEY] = settings.resolved_database_url
        if settings.webhook_url:
            host, port = settings.listen_host_port
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
            app.run_webhook(
                listen=host,
                port=port,
                url_path="telegram",
                webhook_url=f"{settings.webhook_url}/telegram",
                secret_token=secret or None,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        raise StartError(
            "Telegram rejected DUTYDESK_BOT_TOKEN (401 Unauthorized). Copy the token again "
            "from @BotFather (/mybots → API Token)."
        ) from None
    except NetworkError as exc:
        raise StartError(
            f"cannot reach the Telegram Bot API at {settings.telegram_api_url}: {exc.message}"
        ) from None
