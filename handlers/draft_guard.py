"""Starting /report or /event while a draft is open asks first: continue that draft, or
discard it and start anew. One draft per person (bot.drafts), so starting silently would
throw away what was typed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Message, Update, User

from bot.buttons.office import DraftGuardAction, DraftGuardButton
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import InvalidInput, StaleButton
from bot.i18n import N_
from handlers import event, meeting, report
from handlers.common import (
    command,
    edit_or_send,
    is_private,
    private_only,
    reply,
    tg_user,
    typed_button,
)
from render.renderer import Renderer

Start = Callable[[Update, Ctx, Renderer, User], Awaitable[None]]
Ask = Callable[[Update, Ctx, Renderer, DraftState, bool], Awaitable[None]]

STARTS: dict[str, Start] = {report.FLOW: report.begin, event.FLOW: event.start_new}
# The guided conversations worth keeping: what they are called, and how to show their step.
OPEN: dict[str, tuple[str, Ask]] = {
    report.FLOW: (N_("You have a report that is not submitted yet."), report.ask),
    event.FLOW: (N_("You have an event request that is not submitted yet."), event.ask),
    meeting.FLOW: (N_("You have a meeting record that is not saved yet."), meeting.ask),
}


async def start(update: Update, ctx: Ctx, r: Renderer, user: User, flow: str) -> None:
    """Start `flow`, or first ask what becomes of the draft already open."""
    _, state = await drafts.of(ctx.deps, tg_user(user))
    message = update.effective_message
    if state is None or state.flow not in OPEN or message is None:
        await STARTS[flow](update, ctx, r, user)
        return
    text = r(OPEN[state.flow][0]) + "\n" + r("Continue it, or discard it and start a new one?")
    rows = [
        [(r.plain("Continue it"), DraftGuardButton(DraftGuardAction.CONTINUE).pack())],
        [
            (
                r.plain("Discard it and start anew"),
                DraftGuardButton(DraftGuardAction.ANEW, flow).pack(),
            )
        ],
    ]
    await reply(message, text, rows)


@command
async def report_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """/report: start a report (asking first about an open draft)."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "report")
        return
    await start(update, ctx, r, user, report.FLOW)


@command
async def event_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """/event: start a request for approval of an event (asking first about an open draft)."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "event")
        return
    await start(update, ctx, r, user, event.FLOW)


@typed_button(DraftGuardButton.unpack)
async def on_continue(
    update: Update, ctx: Ctx, b: DraftGuardButton, user: User, r: Renderer
) -> None:
    """1dg:c: Continue it: the open draft's step again."""
    _, state = await drafts.of(ctx.deps, tg_user(user))
    if state is None or state.flow not in OPEN:
        raise InvalidInput(N_("There is no draft to continue any more."))
    await OPEN[state.flow][1](update, ctx, r, state, True)


@typed_button(DraftGuardButton.unpack)
async def on_anew(update: Update, ctx: Ctx, b: DraftGuardButton, user: User, r: Renderer) -> None:
    """1dg:n:<flow>: Discard it and start anew: the draft goes, the new one starts."""
    if b.flow not in STARTS:
        raise StaleButton()
    _, state = await drafts.of(ctx.deps, tg_user(user))
    await drafts.clear(ctx.deps, user.id)
    if state is not None:
        await edit_or_send(update, r("The unfinished draft was discarded."), None)
    await STARTS[b.flow](update, ctx, r, user)
