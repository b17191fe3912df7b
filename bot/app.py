"""Builds the Application: the one place that wires settings, database, handlers and tasks."""

from __future__ import annotations

import asyncio
import logging
import os

from telegram import Bot, BotCommand, BotCommandScopeDefault, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import DEPS_KEY, AnyApp, Ctx
from bot.db.engine import Database, create_engine
from bot.db.migrate import upgrade
from bot.deps import Deps
from bot.i18n import translator
from bot.outbox import service as outbox
from bot.people import grants
from bot.policy import store as policy_store
from bot.policy.load import load as load_policy
from handlers import register
from handlers.commands import COMMANDS
from scheduler import jobs
from scheduler.delivery import Deliverer
from scheduler.pacing import Pacer

# Opt in to PTB 22.2+'s timedelta `retry_after` now (scheduler.delivery accepts both).
os.environ.setdefault("PTB_TIMEDELTA", "1")

log = logging.getLogger(__name__)
DELIVERER_KEY = "deliverer"


async def prepare_database(settings: Settings) -> None:
    """Apply migrations (start-up and `dutydesk db upgrade`), on an engine of its own loop."""
    engine = create_engine(settings.resolved_database_url)
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
        db=Database(create_engine(settings.resolved_database_url)),
        clock=clock or SystemClock(),
        policy=load_policy(settings.policy_file),
    )
    api = settings.telegram_api_url
    app: AnyApp = (
        ApplicationBuilder()
        .token(token or settings.token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
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
    """After getMe succeeded: bootstrap admins, recover the outbox, menus, start delivery."""
    deps = deps_of(app)
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
    await set_command_menus(app)
    jobs.schedule(app)
    deliverer = app.bot_data[DELIVERER_KEY]
    assert isinstance(deliverer, Deliverer)
    deliverer.start()
    deliverer.wake()


async def on_stop(app: AnyApp) -> None:
    deliverer = app.bot_data.get(DELIVERER_KEY)
    if isinstance(deliverer, Deliverer):
        await deliverer.stop()


async def on_shutdown(app: AnyApp) -> None:
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
