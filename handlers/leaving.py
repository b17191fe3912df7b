"""Deactivate and Reactivate on a person's card in /members (R4): authority in the service."""

from __future__ import annotations

from telegram import Update, User

from bot.context import Ctx
from bot.errors import StaleButton
from bot.people import grants, leaving
from handlers import callback_data as cd
from handlers.common import button, edit_or_send, tg_user
from handlers.roles import card_rows, card_text
from render.renderer import Renderer


@button
async def on_button(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """d: ask to confirm; dd: deactivate; a: reactivate. Each answers on the person's card."""
    pid = data.int_arg(0)
    if pid is None or data.action not in ("d", "dd", "a"):
        raise StaleButton()
    me = tg_user(user)
    if data.action == "d":
        await leaving.check_may(ctx.deps, me, pid)  # nothing is asked of who may not
        card = await grants.role_card(ctx.deps, me, pid)
        text = r(
            "Deactivate {name}? Their roles end, the open work they hold moves to others (the "
            "office is told), and they can no longer act or be picked. Their name stays on "
            "every record. They can be reactivated later.",
            name=card.person.name,
        )
        rows = [
            [(r.plain("Yes, deactivate"), cd.encode("lv", "dd", pid))],
            [(r.plain("Back"), cd.encode("ro", "v", pid))],
        ]
        await edit_or_send(update, text, rows)
        return None
    if data.action == "dd":
        left = await leaving.deactivate(ctx.deps, me, pid)
        toast = r("{name} is deactivated.", name=left.person.name)
    else:
        back = await leaving.reactivate(ctx.deps, me, pid)
        toast = r("{name} is a member again, without any role.", name=back.name)
    card = await grants.role_card(ctx.deps, me, pid)
    await edit_or_send(update, card_text(r, card), card_rows(r, card))
    return toast
