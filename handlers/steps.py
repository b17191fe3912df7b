"""Steps that several guided conversations ask the same way: a day (Today, Yesterday or typed),
people picked a page at a time, choices marked with ✓ and toggled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from bot.context import Ctx
from bot.errors import StaleButton
from bot.incidents.rules import parse_moment
from bot.people import directory
from handlers.common import cd_rows, tg_user
from handlers.flow_step import Turn
from render.renderer import Renderer

T = TypeVar("T")


def day_row(turn: Turn) -> list[tuple[str, str]]:
    """Today and Yesterday, buttons of the step; the press carries 0 or 1 (days back)."""
    return [turn.button(turn.r.plain("Today"), 0), turn.button(turn.r.plain("Yesterday"), 1)]


def day_pressed(ctx: Ctx, days_back: str) -> date:
    """The local day a press of `day_row` means; anything else is a stale button."""
    if days_back not in ("0", "1"):
        raise StaleButton()
    return ctx.deps.clock.now().astimezone(ctx.deps.zone).date() - timedelta(int(days_back))


def day_typed(ctx: Ctx, text: str) -> date:
    """A day as people type it (2026-11-20, 11-20, 2026年11月20日), in the organisation's zone."""
    moment, _ = parse_moment(text, ctx.deps.clock.now(), ctx.deps.zone)
    return moment.astimezone(ctx.deps.zone).date()


def marked(label: str, chosen: bool) -> str:
    """A choice's label, marked ✓ when chosen."""
    return ("✓ " if chosen else "") + label


def toggle(items: list[T], item: T) -> list[T]:
    """Mark an item, or unmark it when marked (a second tap)."""
    if item in items:
        items.remove(item)
    else:
        items.append(item)
    return items


Make = Callable[[str, int], tuple[str, str]]  # a label and a page: the button


def paging_row(r: Renderer, page: int, pages: int, make: Make) -> list[tuple[str, str]]:
    """‹ Previous and Next › where there are such pages, each made by `make`."""
    row = []
    if page > 0:
        row.append(make(r.plain("‹ Previous"), page - 1))
    if page + 1 < pages:
        row.append(make(r.plain("Next ›"), page + 1))
    return row


PAGE = "pg"  # the value of a people step's paging buttons; a name's is the person's id


async def people_rows(turn: Turn, chosen: set[int]) -> cd_rows:
    """The people the bot knows, a page at a time (the draft's "page"), those chosen marked;
    buttons of the step, a name carrying the person's id and a page PAGE and its number."""
    page = int(turn.data.get("page", 0))
    listed = await directory.list_people(turn.ctx.deps, tg_user(turn.user), page, pickable=True)
    rows = [[turn.button(marked(p.name, p.id in chosen), p.id)] for p in listed.people]
    paging = paging_row(turn.r, listed.page, listed.pages, lambda t, n: turn.button(t, PAGE, n))
    return [*rows, paging] if paging else rows


def turn_page(turn: Turn, value: str, extra: str) -> bool:
    """A paging press of `people_rows`: the draft's page is changed; False for a name."""
    if value != PAGE:
        return False
    if not extra.isdigit():
        raise StaleButton()
    turn.data["page"] = int(extra)
    return True
