"""/members: the people the bot knows, a page at a time, each opening their role card (R4)."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.buttons.people import MembersAction, MembersButton, RoleCardAction, RoleCardButton
from bot.context import Ctx
from bot.people import directory
from bot.people.view import PersonView
from handlers.common import command, edit_or_send, is_private, private_only, tg_user, typed_button
from render.renderer import Renderer


@command
async def members(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/members: the people the bot knows, a page at a time, each opening their role card."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    await _show_members(update, ctx, r, user, 0)


@typed_button(MembersButton.unpack)
async def on_members_page(
    update: Update, ctx: Ctx, b: MembersButton, user: User, r: Renderer
) -> None:
    """1mb:p: ‹ and › on the member list."""
    await _show_members(update, ctx, r, user, b.page)


def _standing(r: Renderer, p: PersonView) -> str:
    return r.roles(p.roles, p.committees_headed) if p.active else r.plain("deactivated")


async def _show_members(update: Update, ctx: Ctx, r: Renderer, user: User, page: int) -> None:
    result = await directory.list_people(ctx.deps, tg_user(user), page)
    rows = [[(f"{p.name} · {_standing(r, p)}", _card(p.id))] for p in result.people]
    nav = []
    if result.page > 0:
        nav.append(("‹", _page(result.page - 1)))
    if result.page + 1 < result.pages:
        nav.append(("›", _page(result.page + 1)))
    if nav:
        rows.append(nav)
    text = r.plural(
        "{n} person is known to the bot (page {page} of {pages}).",
        "{n} people are known to the bot (page {page} of {pages}).",
        result.total,
        page=result.page + 1,
        pages=result.pages,
    )
    await edit_or_send(update, text, rows)


def _page(page: int) -> str:
    return MembersButton(MembersAction.PAGE, page).pack()


def _card(person_id: int) -> str:
    return RoleCardButton(RoleCardAction.VIEW, person_id).pack()
