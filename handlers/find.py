"""/find: reports, event requests and meetings by words, reference, person, kind, status or
period.

One line per record, newest first, ten a page; ‹ and › page through the kept search (the
buttons carry its id, never the words). Each record has a Details button (its whole record).
An inspector in office may search too, within what the grant lets them read (R7)."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.buttons.records import FindAction, FindButton
from bot.context import Ctx
from bot.search import service as search
from bot.search.hits import Hit
from handlers import record
from handlers.common import (
    cd_rows,
    edit_or_send,
    is_private,
    private_only,
    reading_command,
    reply,
    tg_user,
    typed_button,
)
from render.calendar import kind_name
from render.event import status_name, type_name
from render.incident import STATUS_NAMES, kind, severity
from render.renderer import Renderer, esc


def _line(r: Renderer, hit: Hit) -> str:
    day = r.t.date(hit.at.astimezone(r.zone).date())
    if hit.kind == "inc":
        what = kind(r, hit.category)
        if hit.severity:
            what = r.plain("{kind}, {severity}", kind=what, severity=severity(r, hit.severity))
        status = r.plain(STATUS_NAMES.get(hit.status, hit.status))
    elif hit.kind == "evt":
        what, status = type_name(r, hit.category), status_name(r, hit.status)
    else:  # a meeting: held on its day; no status
        what, status = kind_name(r, hit.category), ""
    rest = " · ".join(esc(part) for part in (day, what, status) if part)
    line = f"<b>{esc(hit.ref)}</b> · {rest}"
    return f"{line}\n    {esc(hit.excerpt)}" if hit.excerpt else line


def _text(r: Renderer, page: search.Page) -> str:
    if not page.total:
        return r("Nothing found for “{query}” among the records you may see.", query=page.query)
    if page.more:  # counted no further (bot/search/service.py CAP): narrow it
        head = r(
            "More than {n} records found for “{query}” (page {page}); the newest first. Add "
            "words, a status or a period to narrow the search:",
            n=page.total,
            query=page.query,
            page=page.page + 1,
        )
    else:
        head = r.plural(
            "{n} record found for “{query}” (page {page} of {pages}):",
            "{n} records found for “{query}” (page {page} of {pages}):",
            page.total,
            query=page.query,
            page=page.page + 1,
            pages=page.pages,
        )
    return "\n\n".join([head, *(_line(r, h) for h in page.hits)])


def _rows(r: Renderer, page: search.Page) -> cd_rows:
    rows: cd_rows = []
    # The whole record (/record's Details), which an inspector may open too (R7).
    for i in range(0, len(page.hits), 2):
        rows.append([record.details(r, h.ref, h.kind, h.id) for h in page.hits[i : i + 2]])
    nav = []
    if page.page > 0:
        nav.append(("‹", FindButton(FindAction.PAGE, page.search_id, page.page - 1).pack()))
    if page.has_next:
        nav.append(("›", FindButton(FindAction.PAGE, page.search_id, page.page + 1).pack()))
    if nav:
        rows.append(nav)
    return rows


@reading_command
async def find(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/find words…: the first page."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r)
        return
    page = await search.find(ctx.deps, tg_user(user), " ".join(ctx.args or []))
    await reply(message, _text(r, page), _rows(r, page))


@typed_button(FindButton.unpack, reading=True)
async def on_page(update: Update, ctx: Ctx, b: FindButton, user: User, r: Renderer) -> None:
    """1fd:p:<search>:<page>: ‹ and › under a search's results (R7)."""
    page = await search.page(ctx.deps, tg_user(user), b.search_id, b.page)
    await edit_or_send(update, _text(r, page), _rows(r, page))
