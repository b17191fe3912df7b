"""Steps that several guided conversations ask the same way: a day (Today, Yesterday or typed),
people picked a page at a time, choices marked with ✓ and toggled."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypeVar

from telegram import User

from bot.context import Ctx
from bot.incidents.rules import parse_moment
from bot.people import service as people
from handlers import callback_data as cd
from handlers.common import cd_rows, tg_user
from render.renderer import Renderer

T = TypeVar("T")


def day_row(r: Renderer, domain: str) -> list[tuple[str, str]]:
    """Today and Yesterday; the press arrives as action "d" with 0 or 1 (days back)."""
    return [
        (r.plain("Today"), cd.encode(domain, "d", 0)),
        (r.plain("Yesterday"), cd.encode(domain, "d", 1)),
    ]


def day_pressed(ctx: Ctx, days_back: str) -> date:
    """The local day a press of `day_row` means."""
    return ctx.deps.clock.now().astimezone(ctx.deps.zone).date() - timedelta(int(days_back))


def day_typed(ctx: Ctx, text: str) -> date:
    """A day as people type it (2026-11-20, 11-20, 2026年11月20日), in the organisation's zone."""
    moment, _ = parse_moment(text, ctx.deps.clock.now(), ctx.deps.zone)
    return moment.astimezone(ctx.deps.zone).date()


def marked(label: str, chosen: bool) -> str:
    return ("✓ " if chosen else "") + label


def toggle(items: list[T], item: T) -> list[T]:
    """Mark an item, or unmark it when marked (a second tap)."""
    if item in items:
        items.remove(item)
    else:
        items.append(item)
    return items


def paging_row(
    r: Renderer, domain: str, page: int, pages: int, action: str = "p"
) -> list[tuple[str, str]]:
    """‹ Previous and Next › where there are such pages; they arrive as `action`."""
    row = []
    if page > 0:
        row.append((r.plain("‹ Previous"), cd.encode(domain, action, page - 1)))
    if page + 1 < pages:
        row.append((r.plain("Next ›"), cd.encode(domain, action, page + 1)))
    return row


async def people_rows(
    ctx: Ctx, r: Renderer, user: User, d: dict[str, Any], domain: str, chosen: set[int]
) -> cd_rows:
    """The people the bot knows, a page at a time (the draft's "page"), those chosen marked;
    a name arrives as action "a" with the person's id."""
    listed = await people.list_people(ctx.deps, tg_user(user), int(d.get("page", 0)), pickable=True)
    rows = [[(marked(p.name, p.id in chosen), cd.encode(domain, "a", p.id))] for p in listed.people]
    paging = paging_row(r, domain, listed.page, listed.pages)
    return [*rows, paging] if paging else rows
