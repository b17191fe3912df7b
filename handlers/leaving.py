"""Deactivate and Reactivate on a person's card in /members (R4): authority in the service.
One callback per button (bot/buttons/people.LeavingButton); each answers on the person's card."""

from __future__ import annotations

from telegram import Update, User

from bot.buttons.people import LeavingAction, LeavingButton
from bot.context import Ctx
from bot.people import card, leaving
from handlers.common import edit_or_send, tg_user, typed_button
from handlers.roles import back_row, show_card
from render.renderer import Renderer

pressed = typed_button(LeavingButton.unpack)


@pressed
async def on_ask(update: Update, ctx: Ctx, b: LeavingButton, user: User, r: Renderer) -> None:
    """1lv:d: Deactivate…: what it does, and Yes or Back."""
    me, pid = tg_user(user), b.person_id
    await leaving.check_may(ctx.deps, me, pid)  # nothing is asked of who may not
    shown = await card.role_card(ctx.deps, me, pid)
    text = r(
        "Deactivate {name}? Their roles end, the open work they hold moves to others (the "
        "office is told), and they can no longer act or be picked. Their name stays on "
        "every record. They can be reactivated later.",
        name=shown.person.name,
    )
    yes = LeavingButton(LeavingAction.DEACTIVATE, pid).pack()
    await edit_or_send(update, text, [[(r.plain("Yes, deactivate"), yes)], back_row(r, pid)])


@pressed
async def on_deactivate(update: Update, ctx: Ctx, b: LeavingButton, user: User, r: Renderer) -> str:
    """1lv:dd: deactivate the person (R4): their roles end and their open work moves on."""
    left = await leaving.deactivate(ctx.deps, tg_user(user), b.person_id)
    await show_card(update, ctx, r, b.person_id)
    return r("{name} is deactivated.", name=left.person.name)


@pressed
async def on_reactivate(update: Update, ctx: Ctx, b: LeavingButton, user: User, r: Renderer) -> str:
    """1lv:a: bring the person back as a member, without any role (R4)."""
    back = await leaving.reactivate(ctx.deps, tg_user(user), b.person_id)
    await show_card(update, ctx, r, b.person_id)
    return r("{name} is a member again, without any role.", name=back.name)
