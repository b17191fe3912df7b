"""/register: the accountability register (C1–C12), kept by the secretary and the deputy.

To anyone else it does not exist. In a group the command gets what every unknown command gets
(silence unless addressed to the bot by name), keepers included: the register is not for a
group. In private the service refuses everyone else with UnknownCommand, which is answered with
the unknown-command text; its buttons, pressed by anyone else, answer as a button of no known
domain does. Every page and entry shown is audited by the service.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from telegram import Message, Update, User

from bot.buttons.register import RegisterAction, RegisterButton
from bot.context import Ctx
from bot.errors import StaleButton, UnknownCommand
from bot.register import service as register
from handlers import accountability_flow as flow
from handlers.accountability_render import case_card, register_page
from handlers.common import (
    Handler,
    cd_rows,
    command,
    edit_or_send,
    is_private,
    tg_user,
    typed_button,
)
from handlers.steps import paging_row
from handlers.text import unknown_command
from render.renderer import Renderer


def _b(action: RegisterAction, number: int = 0) -> str:
    return RegisterButton(action, number).pack()


@command
async def register_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """/register in the private chat: the register's first page."""
    if not is_private(update.effective_chat):
        await unknown_command(update, ctx)
        return
    await show_page(update, ctx, r, user, 0)


async def show_page(update: Update, ctx: Ctx, r: Renderer, user: User, page: int) -> None:
    """A page of the register, in place of the pressed message (audited by the service)."""
    listed = await register.cases(ctx.deps, tg_user(user), page)
    rows: cd_rows = [
        [(f"#{c.id} · {c.person} · {c.clause}", _b(RegisterAction.VIEW, c.id))]
        for c in listed.cases
    ]
    paging = paging_row(r, listed.page, listed.pages, lambda t, n: (t, _b(RegisterAction.PAGE, n)))
    if paging:
        rows.append(paging)
    rows.append([(r.plain("Record a case"), _b(RegisterAction.NEW))])
    text = register_page(r, listed.cases, listed.page, listed.pages, listed.total)
    await edit_or_send(update, text, rows)


async def _show_case(update: Update, ctx: Ctx, r: Renderer, user: User, case_id: int) -> None:
    case = await register.case(ctx.deps, tg_user(user), case_id)
    rows: cd_rows = []
    if case.corrected_by is None:
        rows.append([(r.plain("Correct this entry"), _b(RegisterAction.CORRECT, case.id))])
    others = [(f"#{i}", _b(RegisterAction.VIEW, i)) for i in case.chain if i != case.id]
    rows += [others[i : i + 6] for i in range(0, len(others), 6)]
    rows.append([(r.plain("Back to the register"), _b(RegisterAction.PAGE))])
    await edit_or_send(update, case_card(r, case), rows)


Pressed = Callable[[Update, Ctx, RegisterButton, User, Renderer], Awaitable[None]]


def _kept(func: Pressed) -> Handler:
    """One action of the register's pages: only for its keepers; to anyone else, even a
    forged button means nothing (answered as stale)."""

    @typed_button(RegisterButton.unpack)
    @functools.wraps(func)
    async def wrapper(
        update: Update, ctx: Ctx, b: RegisterButton, user: User, r: Renderer
    ) -> str | None:
        try:
            await register.require_keeper(ctx.deps, tg_user(user))
        except UnknownCommand:
            raise StaleButton() from None
        await func(update, ctx, b, user, r)
        return None

    return wrapper


@_kept
async def on_page(update: Update, ctx: Ctx, b: RegisterButton, user: User, r: Renderer) -> None:
    """1rg:l:<page>: a page of the register."""
    await show_page(update, ctx, r, user, b.number)


@_kept
async def on_entry(update: Update, ctx: Ctx, b: RegisterButton, user: User, r: Renderer) -> None:
    """1rg:v:<entry>: one entry and its chain of corrections."""
    await _show_case(update, ctx, r, user, b.number)


@_kept
async def on_correct(update: Update, ctx: Ctx, b: RegisterButton, user: User, r: Renderer) -> None:
    """1rg:c:<entry>: Correct this entry: the conversation at its summary, prefilled."""
    await flow.begin_correction(update, ctx, r, user, b.number)


@_kept
async def on_new(update: Update, ctx: Ctx, b: RegisterButton, user: User, r: Renderer) -> None:
    """1rg:n: Record a case: the conversation's first question."""
    await flow.begin(update, ctx, r, user)


ACTIONS = {
    RegisterAction.PAGE: on_page,
    RegisterAction.VIEW: on_entry,
    RegisterAction.CORRECT: on_correct,
    RegisterAction.NEW: on_new,
}
