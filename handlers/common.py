"""What every handler does the same way: who is asking, in which language, and errors."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import DomainError, InvalidInput, StaleButton
from bot.people import admission
from bot.people import service as people
from bot.people.view import TgUser
from handlers import replay
from render.fitting import fit, plain_text
from render.renderer import Renderer, keyboard
from runtime import durable

log = logging.getLogger(__name__)

cd_rows = list[list[tuple[str, str]]]
# What python-telegram-bot calls: a coroutine function of (update, context).
Handler = Callable[[Update, Ctx], Coroutine[Any, Any, None]]


def tg_user(user: User) -> TgUser:
    """Who pressed or wrote, as the services know a Telegram user (no telegram in bot/)."""
    return TgUser(
        id=user.id,
        first_name=user.first_name or "",
        last_name=user.last_name,
        username=user.username,
        language_code=user.language_code,
    )


async def renderer_for(ctx: Ctx, user: User | None) -> Renderer:
    """The locale is resolved per update and passed explicitly (rule 7)."""
    settings = ctx.deps.settings
    if user is None:
        return Renderer(settings.default_locale, ctx.deps.zone)
    return Renderer(await people.locale_for(ctx.deps, tg_user(user)), ctx.deps.zone)


def is_private(chat: Chat | None) -> bool:
    """Whether the update came from a private chat with the bot."""
    return chat is not None and chat.type == Chat.PRIVATE


async def reply(message: Message, text: str, rows: cd_rows | None = None) -> Message | None:
    """A new message in the chat of `message`; None when Telegram did not take it now and it
    was queued to go later (runtime.durable)."""
    text = fit(text)
    try:
        sent = await message.reply_text(
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(rows) if rows else None,
            do_quote=False,
        )
    except TelegramError as exc:
        if not await durable.later(message.chat_id, text, rows, exc):
            raise
        return None
    replay.sent(sent.message_id)
    return sent


MessageCallback = Callable[[Update, Ctx, Message, User, Renderer], Awaitable[None]]


def command(func: MessageCallback, *, gated: bool = True, reading: bool = False) -> Handler:
    """Wrap a message handler: resolve sender and language; a DomainError becomes a reply.

    `gated`: only admitted people get through (R4); the others are told their standing.
    `reading`: an inspector in office gets through too (the ledger, R7)."""

    @functools.wraps(func)
    async def wrapper(update: Update, ctx: Ctx) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        r = await renderer_for(ctx, user)
        with durable.answering(ctx.deps, message.text):
            try:
                if gated:
                    await admission.gate(ctx.deps, tg_user(user), reading=reading)
                await func(update, ctx, message, user, r)
            except DomainError as err:
                await reply(message, r(err.key, **err.params))

    return wrapper


def ungated_command(func: MessageCallback) -> Handler:
    """A command anybody may send, admitted or not: /start, /language, unknown commands."""
    return command(func, gated=False)


def reading_command(func: MessageCallback) -> Handler:
    """A command an inspector in office may send as well as a member: the ledger's."""
    return command(func, reading=True)


Pressed = TypeVar("Pressed")
# The callback of one typed button's action (bot/buttons/): it receives the button unpacked.
TypedCallback = Callable[[Update, Ctx, Pressed, User, Renderer], Awaitable[str | None]]


def typed_button(
    unpack: Callable[[str | None], Pressed | None], *, gated: bool = True, reading: bool = False
) -> Callable[[TypedCallback[Pressed]], Handler]:
    """Wrap the callback of one action of a typed button family, e.g.
    `@typed_button(EventButton.unpack)`: the admission gate (R4), the press answered exactly
    once, a DomainError as an alert (a double tap, a stale button: nothing changes); data that
    does not unpack (forged, truncated, old) is answered as a stale button. `reading`: a
    button that only reads, which an inspector in office may press too (R7); not `gated`: one
    anybody may press, admitted or not (the language at first contact)."""

    def wrap(func: TypedCallback[Pressed]) -> Handler:
        return _pressed(func, unpack, gated=gated, reading=reading)

    return wrap


def _pressed(
    func: Callable[..., Awaitable[str | None]],
    unpack: Callable[[str | None], object | None],
    *,
    gated: bool,
    reading: bool,
) -> Handler:
    @functools.wraps(func)
    async def wrapper(update: Update, ctx: Ctx) -> None:
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        r = await renderer_for(ctx, user)
        with durable.answering(ctx.deps, query.data):
            applied = False
            try:
                data = unpack(query.data)
                if data is None:
                    raise StaleButton()
                if gated:  # R4: only admitted people press buttons that act
                    await admission.gate(ctx.deps, tg_user(user), reading=reading)
                toast, alert, applied = await func(update, ctx, data, user, r), False, True
            except DomainError as err:
                toast, alert = r(err.key, **err.params), True
            finally:
                pressed = query.message if isinstance(query.message, Message) else None
                await replay.tidy(ctx.bot, pressed, applied)
            if toast is None and durable.deferred():
                # The screen was not updated now; it is queued. Say so, not "try again".
                toast = r("Your answer was saved. The next step will appear in a moment.")
        if toast != ANSWERED:
            await _answer(query, toast, alert)

    return wrapper


# What a button callback returns when it has answered the press itself (edit_and_answer).
ANSWERED = "\0answered"


async def _answer(query: CallbackQuery, toast: str | None, alert: bool) -> None:
    try:
        await query.answer(text=_plain(toast), show_alert=alert)
    except BadRequest as exc:
        # After a restart, presses queued meanwhile are too old to answer
        # (docs/decisions/001-telegram-limits.md).
        log.info("could not answer callback query: %s", exc.message)
    except TelegramError as exc:
        # The press was handled; only its toast is lost (Telegram stops the spinner itself).
        # Not the error handler: its "nothing was changed" would be untrue now.
        log.warning("could not answer callback query: %s", exc)


async def edit_and_answer(update: Update, text: str, rows: cd_rows | None, toast: str) -> str:
    """The last step of a conversation: its card in place of the pressed message and the
    toast, both requests at once instead of one after the other (docs/decisions/006-performance.md:
    the answer to Submit
    waited for the edit). Return what this returns from the button callback."""
    query = update.callback_query
    if query is None:
        await edit_or_send(update, text, rows)
        return toast
    return await answer_while(update, toast, edit_or_send(update, text, rows))


async def answer_while(update: Update, toast: str, work: Awaitable[object]) -> str:
    """Answer the press with `toast` together with `work` (showing the record as it now
    stands), both requests at once instead of one after the other; the work's request goes
    first, so whoever is told the press was answered finds the message already changed.
    Return what this returns from the button callback."""
    query = update.callback_query
    if query is None:
        await work
        return toast
    await asyncio.gather(work, _answer(query, toast, False))
    return ANSWERED


def _plain(text: str | None) -> str | None:
    """Callback answers are plain text (no HTML) of at most 200 characters."""
    if text is None:
        return None
    # Not named `plain`: Babel 2.19's extractor takes that keyword, followed later in the line
    # by a call, for a translation call and loses the msgids after it in this module.
    shown = plain_text(text)
    return shown if len(shown) <= 200 else shown[:199] + "…"


async def edit_or_send(update: Update, text: str, rows: cd_rows | None) -> None:
    """Show a card in place of the pressed message; ignore 'message is not modified'."""
    text = fit(text)
    query = update.callback_query
    markup = keyboard(rows) if rows else None
    if query is not None and query.message is not None and isinstance(query.message, Message):
        pressed = query.message
        try:
            await pressed.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except BadRequest as exc:
            if "not modified" not in exc.message:
                raise
        except TelegramError as exc:
            if not await durable.later(pressed.chat_id, text, rows, exc, pressed.message_id):
                raise
        return
    if update.effective_message is not None:
        await reply(update.effective_message, text, rows)


def deep_link(ctx: Ctx, payload: str) -> str:
    """A link that opens the private chat and sends /start <payload> (a bot can't write first)."""
    return f"https://t.me/{ctx.bot.username}?start={payload}"


async def private_only(message: Message, ctx: Ctx, r: Renderer, payload: str = "help") -> None:
    """Answer a command given in a group that belongs in the private chat."""
    await reply(
        message,
        r("Let's continue in our private chat, where this stays between us."),
        [[(r.plain("Open private chat"), deep_link(ctx, payload))]],
    )


async def draft_in(ctx: Ctx, user: User, flow: str, gone: str) -> tuple[int, DraftState]:
    """The person's draft of `flow`, with their person id; `gone` (a msgid) when there is none
    (a button of a conversation that was finished, cancelled or replaced)."""
    me, state = await drafts.of(ctx.deps, tg_user(user))
    if state is None or state.flow != flow:
        raise InvalidInput(gone)
    replay.take_copy(state)
    durable.given_again(state)
    return me.id, state


def anything(raw: str | None) -> str | None:
    """The "unpacking" of a catch-all: any data, as it came (the callback says it is stale)."""
    return raw


@typed_button(anything)
async def stale_button(update: Update, ctx: Ctx, data: str, user: User, r: Renderer) -> str | None:
    """A button of no known domain or action: forged, or from a version that no longer exists."""
    raise StaleButton()
