"""Free text in the private chat goes to the step of the person's draft, if any (rule 6)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Message, Update, User

from bot.context import Ctx
from bot.drafts import service as drafts
from bot.errors import UnknownCommand
from bot.inbox import service as inbox
from handlers import (
    accountability_flow,
    admission,
    event,
    event_cards,
    growth,
    incidents,
    ledger,
    meeting,
    policy,
    replay,
    report,
    roles,
)
from handlers.answers import Takes, wrong_kind
from handlers.common import command, is_private, reading_command, reply, tg_user, ungated_command
from render.renderer import Renderer
from runtime import durable

StepHandler = Callable[[Update, Ctx, Message, User, Renderer, drafts.DraftState], Awaitable[None]]

# flow name → the handler of its text steps. Workflows register theirs here.
FLOWS: dict[str, StepHandler] = {
    roles.FLOW_COMMITTEE: roles.on_committee_name,
    admission.FLOW_REFUSE: admission.on_reason,
    report.FLOW: report.on_message,
    incidents.FLOW_UPDATE: incidents.on_text_step,
    incidents.FLOW_UPWARD: incidents.on_text_step,
    incidents.FLOW_CLOSE: incidents.on_text_step,
    growth.FLOW_ADD: growth.on_message,
    growth.FLOW_SEVERITY: growth.on_message,
    growth.FLOW_REOPEN: growth.on_message,
    event.FLOW: event.on_message,
    event_cards.FLOW_NOTE: event_cards.on_text_step,
    event_cards.FLOW_FILING: event_cards.on_text_step,
    meeting.FLOW: meeting.on_message,
    ledger.FLOW: ledger.on_dates,
    accountability_flow.FLOW: accountability_flow.on_message,
}
# Flows that take files as answers (attachments): their handler answers any message. Of the
# others, what their current step takes (a typed text, unless said here).
MEDIA_FLOWS = {report.FLOW, event.FLOW, meeting.FLOW, growth.FLOW_ADD}
TAKES: dict[str, Callable[[drafts.DraftState], Takes]] = {
    accountability_flow.FLOW: accountability_flow.takes,
}


@reading_command  # an inspector's only text step: the ledger's dates
async def on_text(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """Route text to the draft's step; with no draft, say what the bot can do."""
    _, state = await drafts.of(ctx.deps, tg_user(user))  # the draft knows whose it is
    handler = FLOWS.get(state.flow) if state else None
    if state is None or handler is None:
        if inbox.again():
            # Handled before a crash, which ended its conversation (filed, closed): what it
            # answered then was its answer; "I did not understand that" would be untrue.
            return
        await reply(message, r("I did not understand that. Send /help to see what you can do."))
        return
    state.data.pop(replay.COPY, None)  # answered: the step it makes is saved without it
    durable.given_again(state)
    await handler(update, ctx, message, user, r, state)


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
    if state is not None and state.flow in MEDIA_FLOWS:
        await FLOWS[state.flow](update, ctx, message, user, r, state)
        return
    if policy.is_policy_file(message):  # an admin loading a policy
        await policy.on_file(update, ctx, message, user, r)
        return
    if state is None:
        await reply(message, r("I did not understand that. Send /help to see what you can do."))
    else:
        step = TAKES.get(state.flow)
        takes = step(state) if step is not None else Takes.TEXT
        await reply(message, r(wrong_kind(takes).key))
