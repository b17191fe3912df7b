"""/register: the accountability register (C1–C12), kept by the secretary and the deputy.

To anyone else it does not exist. In a group the command gets what every unknown command gets
(silence unless addressed to the bot by name), keepers included: the register is not for a
group. In private the service refuses everyone else with UnknownCommand, which is answered with
the unknown-command text; its buttons, pressed by anyone else, answer as a button of no known
domain does. Every page and entry shown is audited by the service.
"""

from __future__ import annotations

from telegram import Message, Update, User

from bot.context import Ctx
from bot.errors import StaleButton, UnknownCommand
from bot.register import service as register
from handlers import accountability_flow as flow
from handlers import callback_data as cd
from handlers.accountability_render import case_card, register_page
from handlers.common import button, cd_rows, command, edit_or_send, is_private, tg_user
from handlers.steps import paging_row
from handlers.text import unknown_command
from render.renderer import Renderer


def _b(action: str, *args: object) -> str:
    return cd.encode("rg", action, *args)


@command
async def register_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """/register in the private chat: the register's first page."""
    if not is_private(update.effective_chat):
        await unknown_command(update, ctx)
        return
    await _show_page(update, ctx, r, user, 0)


async def _show_page(update: Update, ctx: Ctx, r: Renderer, user: User, page: int) -> None:
    listed = await register.cases(ctx.deps, tg_user(user), page)
    rows: cd_rows = [[(f"#{c.id} · {c.person} · {c.clause}", _b("v", c.id))] for c in listed.cases]
    paging = paging_row(r, "rg", listed.page, listed.pages, action="l")
    if paging:
        rows.append(paging)
    rows.append([(r.plain("Record a case"), _b("n"))])
    text = register_page(r, listed.cases, listed.page, listed.pages, listed.total)
    await edit_or_send(update, text, rows)


async def _show_case(update: Update, ctx: Ctx, r: Renderer, user: User, case_id: int) -> None:
    case = await register.case(ctx.deps, tg_user(user), case_id)
    rows: cd_rows = []
    if case.corrected_by is None:
        rows.append([(r.plain("Correct this entry"), _b("c", case.id))])
    others = [(f"#{i}", _b("v", i)) for i in case.chain if i != case.id]
    rows += [others[i : i + 6] for i in range(0, len(others), 6)]
    rows.append([(r.plain("Back to the register"), _b("l", 0))])
    await edit_or_send(update, case_card(r, case), rows)


@button
async def on_button(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """Every button of the register: its pages, its entries, recording and correcting."""
    try:
        # First of all: to anyone else, even a forged button must mean nothing.
        await register.require_keeper(ctx.deps, tg_user(user))
        return await _on_button(update, ctx, data, user, r)
    except UnknownCommand:
        raise StaleButton() from None


async def _on_button(
    update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer
) -> str | None:
    if data.action in ("l", "v", "c"):
        number = data.int_arg(0)
        if number is None:
            raise StaleButton()
        if data.action == "l":
            await _show_page(update, ctx, r, user, number)
        elif data.action == "v":
            await _show_case(update, ctx, r, user, number)
        else:
            await flow.begin_correction(update, ctx, r, user, number)
        return None
    if data.action == "n":
        await flow.begin(update, ctx, r, user)
        return None
    return await flow.on_button(update, ctx, data, user, r)
