"""Free text in the private chat goes to the step of the person's draft, if any (rule 6)."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.context import Ctx
from bot.drafts import service as drafts
from bot.errors import UnknownCommand
from bot.inbox import service as inbox
from handlers import policy, replay
from handlers.answers import Takes, wrong_kind
from handlers.common import command, is_private, reading_command, reply, tg_user, ungated_command
from handlers.conversations import ROUTES
from render.renderer import Renderer
from runtime import durable


@reading_command  # an inspector's only text step: the ledger's dates
async def on_text(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """Route text to the draft's step; with no draft, say what the bot can do."""
    _, state = await drafts.of(ctx.deps, tg_user(user))  # the draft knows whose it is
    conversation = ROUTES.get(state.flow) if state else None
    if state is None or conversation is None:
        if inbox.again():
            # Handled before a crash, which ended its conversation (filed, closed): what it
            # answered then was its answer; "I did not understand that" would be untrue.
            return
        await reply(message, r("I did not understand that. Send /help to see what you can do."))
        return
    state.data.pop(replay.COPY, None)  # answered: the step it makes is saved without it
    durable.given_again(state)
    await conversation.on_message(update, ctx, message, user, r, state)


@reading_command
async def cancel(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/cancel anywhere: drop the draft."""
    dropped = await drafts.clear(ctx.deps, user.id)
    await reply(message, r("Cancelled.") if dropped else r("There is nothing to cancel."))


@ungated_command
async def unknown_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """A command the bot does not have; in groups only when addressed to this bot by name."""
    if not is_private(update.effective_chat):
        head = (message.text or "").split(maxsplit=1)[0]
        addressee = head.partition("@")[2].lower()
        if not addressee or addressee != (ctx.bot.username or "").lower():
            return  # another bot's command, or chatter: not ours to answer
    await reply(message, r(UnknownCommand().key))


@command
async def not_text(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """A file, sticker, voice message or the like: a step may take files, others want text."""
    _, state = await drafts.of(ctx.deps, tg_user(user))
    conversation = ROUTES.get(state.flow) if state is not None else None
    if state is not None and conversation is not None and conversation.media:
        await conversation.on_message(update, ctx, message, user, r, state)
        return
    if policy.is_policy_file(message):  # an admin loading a policy
        await policy.on_file(update, ctx, message, user, r)
        return
    if state is None:
        await reply(message, r("I did not understand that. Send /help to see what you can do."))
    else:
        takes = conversation.takes(state) if conversation is not None else None
        await reply(message, r(wrong_kind(takes or Takes.TEXT).key))
