"""Pull in (L5): whoever acts on an incident asks someone else to help, chosen from a list of
the people who have started the bot, a page at a time."""

from __future__ import annotations

from telegram import Update, User

from bot.buttons.incidents import IncidentButton, PullInAction, PullInButton
from bot.context import Ctx
from bot.incidents import pulling
from bot.incidents import queries as incidents
from handlers.common import cd_rows, edit_or_send, reply, tg_user, typed_button
from handlers.steps import paging_row
from render.renderer import Renderer

PAGE, PERSON = PullInAction.PAGE, PullInAction.PERSON


def _button(action: PullInAction, incident_id: int, number: int) -> str:
    return PullInButton(action, incident_id, number).pack()


@typed_button(IncidentButton.unpack)
async def on_pull_in(
    update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer
) -> str | None:
    """1in:pl: Pull in, on the card: the list's first page, as a new message."""
    return await _pull_in_list(update, ctx, r, user, b.incident_id, None)


@typed_button(PullInButton.unpack)
async def on_page(update: Update, ctx: Ctx, b: PullInButton, user: User, r: Renderer) -> str | None:
    """1in:pl:<id>:<page>: another page of the list, in place of the pressed one."""
    return await _pull_in_list(update, ctx, r, user, b.incident_id, b.number)


@typed_button(PullInButton.unpack)
async def on_person(update: Update, ctx: Ctx, b: PullInButton, user: User, r: Renderer) -> None:
    """1in:pp:<id>:<person>: that person is asked to help (L5)."""
    name = await pulling.pull_in(ctx.deps, tg_user(user), b.incident_id, b.number)
    await edit_or_send(update, r("{name} has been asked to help.", name=name), None)


async def _pull_in_list(
    update: Update, ctx: Ctx, r: Renderer, user: User, incident_id: int, page: int | None
) -> str | None:
    """Pull in (L5): the people who could help, a page at a time; a page turn (`page` given)
    replaces the list, a press on the card sends it."""
    found = await incidents.candidates(ctx.deps, tg_user(user), incident_id, page or 0)
    if not found.people:
        if found.others:
            return r(
                "Everyone else who has started the bot already handles {ref} or reported it.",
                ref=found.ref,
            )
        return r("Nobody else has started the bot yet.")
    text = r("Whom do you want to pull in?")
    if found.pages > 1:
        text += "\n" + r("Page {page} of {pages}.", page=found.page + 1, pages=found.pages)
    if page is not None:
        await edit_or_send(update, text, _rows(r, found, incident_id))
    elif update.effective_message is not None:
        await reply(update.effective_message, text, _rows(r, found, incident_id))
    return None


def _rows(r: Renderer, found: incidents.Candidates, incident_id: int) -> cd_rows:
    """One button per person of the page, then ‹ and › where there is another page."""
    rows = [[(name, _button(PERSON, incident_id, pid))] for pid, name in found.people]
    turn = paging_row(r, found.page, found.pages, lambda t, n: (t, _button(PAGE, incident_id, n)))
    return [*rows, turn] if turn else rows
