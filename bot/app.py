"""Builds the Application: the one place that wires settings, database, handlers and tasks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys

from sqlalchemy.engine import make_url
from telegram import Bot, BotCommand, BotCommandScopeDefault, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import DEPS_KEY, AnyApp, Ctx, deps_of
from bot.db.engine import Database, create_engine
from bot.db.leader import Leadership
from bot.db.migrate import upgrade
from bot.deps import Deps
from bot.files import service as files
from bot.i18n import translator
from bot.outbox import service as outbox
from bot.people import grants
from bot.policy import store as policy_store
from bot.policy.load import load as load_policy
from handlers import register
from handlers.commands import COMMANDS, DESCRIPTION, SHORT_DESCRIPTION
from runtime.answers import AnswerRequest
from runtime.delivery import Deliverer
from runtime.fetcher import Fetcher
from runtime.health import HealthServer
from runtime.metrics import Metrics
from runtime.pacing import Pacer
from runtime.updates import (
    Handover,
    InboxApplication,
    InboxRequest,
    WebhookQueue,
    replay_unfinished,
)
from scheduler import jobs

# Opt in to PTB 22.2+'s timedelta `retry_after` now (runtime.delivery accepts both).
os.environ.setdefault("PTB_TIMEDELTA", "1")

log = logging.getLogger(__name__)
DELIVERER_KEY = "deliverer"
FETCHER_KEY = "fetcher"
ELECT_KEY = "elect"  # the PostgreSQL URL to elect a leader on (`dutydesk run` only)
LEADERSHIP_KEY = "leadership"
METRICS_KEY = "metrics"
HEALTH_KEY = "health"
# Exit code of a leader that lost its lock: it stops at once; a supervisor starts it again
# and it waits as a follower (bot.db.leader).
EXIT_LOST_LEADERSHIP = 6


async def prepare_database(settings: Settings) -> None:
    """Apply migrations (start-up and `dutydesk db upgrade`), on an engine of its own loop."""
    engine = create_engine(settings.resolved_database_url, pooler=settings.database_pooler)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


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
        db=Database(create_engine(settings.resolved_database_url, pooler=settings.database_pooler)),
        clock=clock or SystemClock(),
        policy=load_policy(settings.policy_file),
    )
    api = settings.telegram_api_url
    handover = Handover()
    metrics = Metrics()
    if pacer is None:
        pacer = Pacer() if settings.rate_limits == "telegram" else Pacer(0.0, 0.0, 0.0)
    builder = ApplicationBuilder()
    if settings.webhook_url:  # each update kept before Telegram hears 200
        builder = builder.update_queue(WebhookQueue(deps, handover))
    app: AnyApp = (
        builder.token(token or settings.token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .application_class(InboxApplication)
        .request(AnswerRequest(pacer, metrics))
        .get_updates_request(InboxRequest(deps, handover))
        .context_types(ContextTypes(context=Ctx))
        .defaults(Defaults(do_quote=False))
        # Updates are handled one at a time: concurrent_updates loses fast button presses
        # in conversations (docs/decisions/001-telegram-limits.md); throughput is measured in
        # bench/.
        .concurrent_updates(False)
        .post_init(on_startup)
        .post_stop(on_stop)
        .post_shutdown(on_shutdown)
        .build()
    )
    app.bot_data[DEPS_KEY] = deps
    app.bot_data[METRICS_KEY] = metrics
    deliverer = Deliverer(deps, app.bot, pacer, metrics=metrics)
    deps.db.on_outbox = deliverer.wake
    app.bot_data[DELIVERER_KEY] = deliverer
    fetcher = Fetcher(deps, app.bot)
    deps.db.on_files = fetcher.wake
    app.bot_data[FETCHER_KEY] = fetcher
    assert isinstance(app, InboxApplication)
    app.handover, app.deliverer, app.metrics = handover, deliverer, metrics
    register(app)
    return app


async def on_startup(app: AnyApp) -> None:
    """After getMe succeeded: become the leader (PostgreSQL), bootstrap admins, recover the
    outbox, menus, start delivery."""
    deps = deps_of(app)
    metrics = app.bot_data[METRICS_KEY]
    if listen := deps.settings.health_listen:  # first: a follower answers /readyz too
        health = HealthServer(deps, metrics, listen)
        await health.start()
        app.bot_data[HEALTH_KEY] = health
    if url := app.bot_data.get(ELECT_KEY):
        del url  # the bot's own engine elects: its statements pass any pooler
        leadership = Leadership(deps.db.engine, deps.settings.leader_timing)
        metrics.set_role("follower")
        await leadership.acquire()  # a follower waits here, before polling anything
        metrics.set_role("leader")
        app.bot_data[LEADERSHIP_KEY] = leadership
        app.bot_data["leadership_watch"] = asyncio.create_task(leadership.watch(_lost))
        # Telegram's 409 Conflict: another process polls with this token; this one stops.
        assert isinstance(app, InboxApplication)
        app.handover.on_conflict = _lost
    else:
        metrics.set_role("single")
    restored = await policy_store.restore(deps)
    if restored is not None:
        log.info("policy in force: %s, loaded through the chat", restored.file_name)
    granted = await grants.ensure_bootstrap_admins(deps)
    if granted:
        log.info("granted the admin role to %d configured admin(s)", granted)
    async with deps.db.transaction() as session:
        requeued, uncertain = await outbox.recover_in_flight(session, now=deps.clock.now())
        refetch = await files.recover(session, now=deps.clock.now())
    if refetch:
        log.info("files to keep after restart: %d tried again now", refetch)
    if requeued or uncertain:
        log.warning("outbox after restart: %d requeued, %d uncertain", requeued, uncertain)
    await replay_unfinished(app, deps)
    await set_command_menus(app)
    jobs.schedule(app)
    deliverer = app.bot_data[DELIVERER_KEY]
    assert isinstance(deliverer, Deliverer)
    deliverer.start()
    deliverer.wake()
    fetcher = app.bot_data[FETCHER_KEY]
    assert isinstance(fetcher, Fetcher)
    fetcher.start()
    fetcher.wake()
    leading = " as the leader" if LEADERSHIP_KEY in app.bot_data else ""
    log.info("ready%s: @%s answers", leading, app.bot.username)
    with contextlib.suppress(NotImplementedError, AttributeError):  # not on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, dump_tasks)


def dump_tasks() -> None:
    """`kill -USR1 <pid>`: every asyncio task and where it waits, on stderr (a bot that does
    not stop or answer shows what holds it; the bench sends it before it kills one)."""
    tasks = asyncio.all_tasks()
    print(f"--- {len(tasks)} asyncio task(s) ---", file=sys.stderr)
    for task in tasks:
        print(repr(task)[:300], file=sys.stderr)
        task.print_stack(limit=12, file=sys.stderr)
    sys.stderr.flush()


async def on_stop(app: AnyApp) -> None:
    """PTB's post-stop hook: the deliverer and the file fetcher stop their work."""
    deliverer = app.bot_data.get(DELIVERER_KEY)
    if isinstance(deliverer, Deliverer):
        await deliverer.stop()
    fetcher = app.bot_data.get(FETCHER_KEY)
    if isinstance(fetcher, Fetcher):
        await fetcher.stop()


def _lost(reason: str) -> None:
    """The leader can no longer prove it leads: stop now, before another instance works too."""
    log.critical("stopping at once: %s; another instance takes over", reason)
    logging.shutdown()
    os._exit(EXIT_LOST_LEADERSHIP)


async def on_shutdown(app: AnyApp) -> None:
    """PTB's post-shutdown hook: leadership released at once (a follower takes over),
    the health server stopped, the database closed."""
    leadership = app.bot_data.get(LEADERSHIP_KEY)
    if isinstance(leadership, Leadership):
        watch = app.bot_data.get("leadership_watch")
        if isinstance(watch, asyncio.Task):
            watch.cancel()
        await leadership.release()  # a follower takes over at once
    health = app.bot_data.get(HEALTH_KEY)
    if isinstance(health, HealthServer):
        await health.stop()
    await deps_of(app).db.dispose()
    log.info("stopped")


async def set_command_menus(app: AnyApp) -> None:
    """The command menu and the bot's descriptions in both languages; Telegram picks by the
    user's app language (None: everyone else, in the default language)."""
    default = deps_of(app).settings.default_locale
    for language_code, locale in (("zh", "zh_CN"), ("en", "en"), (None, default)):
        t = translator(locale)
        # Telegram's menu is one for everybody: only what everybody may use. What a role adds
        # is in that person's /help.
        commands = [
            BotCommand(c.name, t.gettext(c.description))
            for c in COMMANDS
            if c.in_menu and not c.roles
        ]
        await app.bot.set_my_commands(
            commands, scope=BotCommandScopeDefault(), language_code=language_code
        )
        await app.bot.set_my_description(t.gettext(DESCRIPTION), language_code=language_code)
        await app.bot.set_my_short_description(
            t.gettext(SHORT_DESCRIPTION), language_code=language_code
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
