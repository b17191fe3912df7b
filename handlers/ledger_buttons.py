"""The ledger's buttons (R7, C): one callback per action (bot/buttons/office.py), each
registered by its pattern in handlers/__init__.register. They only read, so an inspector in
office may press them as well as a member; handlers/ledger.py shows what they ask for."""

from __future__ import annotations

from telegram import Update, User

from bot import examples
from bot.buttons.office import (
    LedgerButton,
    LedgerEvidenceButton,
    LedgerLapsesButton,
    LedgerPickButton,
    LedgerRangeButton,
)
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import StaleButton
from bot.ledger import service as ledger
from bot.ledger.evidence import known
from bot.ledger.period import chosen, token
from handlers import ledger_render as view
from handlers.common import (
    anything,
    edit_or_send,
    tg_user,
    typed_button,
)
from handlers.ledger import CHOICES, FLOW, clause_rows, make_file, period_of, picker, show
from render.renderer import Renderer


@typed_button(LedgerPickButton.unpack, reading=True)
async def on_menu(update: Update, ctx: Ctx, b: LedgerPickButton, user: User, r: Renderer) -> None:
    """1ld:m: Another period: the choice of periods again."""
    await edit_or_send(update, *picker(r))


@typed_button(LedgerRangeButton.unpack, reading=True)
async def on_range(update: Update, ctx: Ctx, b: LedgerRangeButton, user: User, r: Renderer) -> None:
    """1ld:r: a period by its name (this quarter, last year …), for the clause asked about."""
    if b.choice not in CHOICES:
        raise StaleButton()
    period = chosen(CHOICES[b.choice], ctx.deps.clock.now(), ctx.deps.zone)
    await show(update, ctx, r, user, period, known(b.clause) or "")


@typed_button(LedgerPickButton.unpack, reading=True)
async def on_chosen_dates(
    update: Update, ctx: Ctx, b: LedgerPickButton, user: User, r: Renderer
) -> None:
    """1ld:d: Chosen dates…: the reader is asked for the first and the last day."""
    me = await ledger.reader_scope(ctx.deps, tg_user(user))
    clause = known(b.clause) or ""
    await drafts.save(ctx.deps, me.person_id, DraftState(FLOW, "dates", {"clause": clause}))
    first, last = examples.year_so_far(ctx.deps.clock.now(), ctx.deps.zone)
    text = r(
        "Send the first and the last day, such as {first} {last}. /cancel leaves.",
        first=first,
        last=last,
    )
    await edit_or_send(update, text, None)


@typed_button(LedgerButton.unpack, reading=True)
async def on_summary(update: Update, ctx: Ctx, b: LedgerButton, user: User, r: Renderer) -> None:
    """1ld:p: the period's summary."""
    await show(update, ctx, r, user, period_of(ctx, b.period))


@typed_button(LedgerLapsesButton.unpack, reading=True)
async def on_lapses(
    update: Update, ctx: Ctx, b: LedgerLapsesButton, user: User, r: Renderer
) -> None:
    """1ld:l: a page of the period's lapses."""
    period = period_of(ctx, b.period)
    await show(update, ctx, r, user, period, page=b.page, lapses=True)


@typed_button(LedgerButton.unpack, reading=True)
async def on_clauses(update: Update, ctx: Ctx, b: LedgerButton, user: User, r: Renderer) -> None:
    """1ld:k: the clauses to pick one's evidence from."""
    period = period_of(ctx, b.period)
    scope = await ledger.reader_scope(ctx.deps, tg_user(user))  # the title; no records read
    text = "\n".join(
        [
            *view.head(r, period, scope.level),
            "",
            r("Which clause? Or send /ledger and the clause's ID, such as /ledger C5."),
        ]
    )
    await edit_or_send(update, text, clause_rows(r, token(period)))


@typed_button(LedgerEvidenceButton.unpack, reading=True)
async def on_evidence(
    update: Update, ctx: Ctx, b: LedgerEvidenceButton, user: User, r: Renderer
) -> None:
    """1ld:c: a page of one clause's evidence in the period."""
    if not known(b.clause):
        raise StaleButton()
    await show(update, ctx, r, user, period_of(ctx, b.period), b.clause, b.page)


@typed_button(LedgerButton.unpack, reading=True)
async def on_package(update: Update, ctx: Ctx, b: LedgerButton, user: User, r: Renderer) -> str:
    """1ld:x: the inspection package (.zip), made while the chat shows progress (C)."""
    return await make_file(update, ctx, r, user, period_of(ctx, b.period), chart=False)


@typed_button(LedgerButton.unpack, reading=True)
async def on_chart(update: Update, ctx: Ctx, b: LedgerButton, user: User, r: Renderer) -> str:
    """1ld:g: the period's chart, sent as a photo."""
    return await make_file(update, ctx, r, user, period_of(ctx, b.period), chart=True)


@typed_button(anything, reading=True)
async def on_other(update: Update, ctx: Ctx, data: str, user: User, r: Renderer) -> None:
    """Any other 1ld: data (an old action, a forged one) is stale; answered after the reading
    gate, so that an inspector in office hears that, not that they may not act (R7)."""
    raise StaleButton()
