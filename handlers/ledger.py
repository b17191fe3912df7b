"""/ledger: a period's figures, lapses and evidence per clause; the inspection package (R7, C).

Everyone may open it and sees their part (bot.ledger.scope). Buttons carry the period itself
(2026-Q4, 2026, 20260101-20260331), so a page always shows what its title says. Files are made
in a worker thread while the chat shows progress (handlers/ledger_send.py); one at a time per
person.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Message, Update, User

from bot.buttons.codec import Family
from bot.buttons.office import (
    LedgerAction,
    LedgerButton,
    LedgerEvidenceAction,
    LedgerEvidenceButton,
    LedgerLapsesAction,
    LedgerLapsesButton,
    LedgerPickAction,
    LedgerPickButton,
    LedgerRangeAction,
    LedgerRangeButton,
)
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import StaleButton
from bot.ledger import service as ledger
from bot.ledger.evidence import OFFERED, known
from bot.ledger.period import LedgerPeriod, from_token, parse_dates, token
from bot.ledger.service import Ledger
from handlers import ledger_render as view
from handlers import ledger_send as send
from handlers.answers import typed
from handlers.common import (
    edit_or_send,
    is_private,
    private_only,
    reading_command,
    reply,
    tg_user,
)
from handlers.steps import paging_row
from render.renderer import Renderer

log = logging.getLogger(__name__)
FLOW = "ledger"
CHOICES = {"tq": "this_quarter", "lq": "last_quarter", "ty": "this_year", "ly": "last_year"}
BUSY = "ledger_busy"  # bot_data: telegram ids with a file being made
Rows = list[list[tuple[str, str]]]


def picker(r: Renderer, clause: str = "") -> tuple[str, Rows]:
    """The choice of period: four by name and Chosen dates…, for one clause or the whole."""
    if clause:
        text = r("Which period for {clause}?", clause=clause)
    else:
        text = r(
            "Which period? The ledger shows what the records prove, in the organisation's "
            "time zone."
        )

    def by_name(label: str, choice: str) -> tuple[str, str]:
        return label, LedgerRangeButton(LedgerRangeAction.RANGE, choice, clause).pack()

    rows = [
        [by_name(r.plain("This quarter"), "tq"), by_name(r.plain("Last quarter"), "lq")],
        [by_name(r.plain("This year"), "ty"), by_name(r.plain("Last year"), "ly")],
        [(r.plain("Chosen dates…"), LedgerPickButton(LedgerPickAction.DATES, clause).pack())],
    ]
    return text, rows


def _summary_rows(r: Renderer, book: Ledger) -> Rows:
    t = token(book.period)
    lapses = r.plain("Lapses ({n})", n=r.t.number(len(book.lapses)))
    return [
        [
            (lapses, LedgerLapsesButton(LedgerLapsesAction.LAPSES, t, 0).pack()),
            (r.plain("By clause"), LedgerButton(LedgerAction.CLAUSES, t).pack()),
        ],
        [
            (r.plain("Inspection package (.zip)"), LedgerButton(LedgerAction.PACKAGE, t).pack()),
            (r.plain("Chart"), LedgerButton(LedgerAction.CHART, t).pack()),
        ],
        [(r.plain("Another period"), LedgerPickButton(LedgerPickAction.MENU).pack())],
    ]


def _paging(r: Renderer, to: Callable[[int], Family], page: int, n: int) -> Rows:
    """Previous and Next under a paged view, `to(page)` the button of a page; no row when
    everything fits on one page."""
    row = paging_row(r, page, view.pages(n), lambda label, p: (label, to(p).pack()))
    return [row] if row else []


def _back(r: Renderer, t: str) -> tuple[str, str]:
    return r.plain("‹ Back to the summary"), LedgerButton(LedgerAction.SUMMARY, t).pack()


def clause_rows(r: Renderer, t: str) -> Rows:
    """A button per clause offered (five a row), each opening its evidence for period `t`."""

    def evidence(c: str) -> tuple[str, str]:
        return c, LedgerEvidenceButton(LedgerEvidenceAction.EVIDENCE, c, t, 0).pack()

    rows = [[evidence(c) for c in OFFERED[i : i + 5]] for i in range(0, len(OFFERED), 5)]
    return [*rows, [_back(r, t)]]


@reading_command
async def ledger_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """/ledger, or /ledger A2 for one clause's evidence."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "ledger")
        return
    await ledger.reader_scope(ctx.deps, tg_user(user))  # may they read it at all
    clause = ""
    if ctx.args:
        clause = known(ctx.args[0]) or ""
        if not clause:
            await reply(
                message,
                r(
                    "{clause} is not a clause of the regulation; they run "
                    "R1–R8, L1–L5, A1–A4, P1–P4 and C1–C12.",
                    clause=ctx.args[0][:10],
                ),
            )
            return
    text, rows = picker(r, clause)
    await reply(message, _not_automated(ctx, r, clause) + text, rows)


def _not_automated(ctx: Ctx, r: Renderer, clause: str) -> str:
    """A clause the bot deliberately leaves to people (A4, R1): said before any evidence, so
    an empty view is not mistaken for a lapse."""
    why = ctx.deps.policy.regulation.why_not(clause) if clause else None
    if why is None:
        return ""
    return (
        r(
            "<b>{clause} is not automated by the bot</b>: {why}",
            clause=clause,
            why=why.why if r.locale.startswith("zh") else why.why_en,
        )
        + "\n\n"
    )


async def begin(update: Update, ctx: Ctx, r: Renderer, user: User) -> None:
    """The deep link /start ledger (from a group's /ledger)."""
    text, rows = picker(r)
    if update.effective_message is not None:
        await reply(update.effective_message, text, rows)


def period_of(ctx: Ctx, value: str) -> LedgerPeriod:
    """The period a button carries; a stale button when it names none."""
    period = from_token(value, ctx.deps.zone)
    if period is None:
        raise StaleButton()
    return period


async def show(
    update: Update,
    ctx: Ctx,
    r: Renderer,
    user: User,
    period: LedgerPeriod,
    clause: str = "",
    page: int = 0,
    lapses: bool = False,
) -> None:
    """A period's summary; with `lapses` a page of its lapses; with `clause` a page of that
    clause's evidence."""
    t = token(period)
    book = await ledger.build(ctx.deps, tg_user(user), period, clause=clause or None)
    if clause:

        def evidence(p: int) -> Family:
            return LedgerEvidenceButton(LedgerEvidenceAction.EVIDENCE, clause, t, p)

        rows = _paging(r, evidence, page, len(book.evidence(clause)))
        others = (r.plain("Other clauses"), LedgerButton(LedgerAction.CLAUSES, t).pack())
        rows.append([others, _back(r, t)])
        text = _not_automated(ctx, r, clause) + view.clause(r, book, clause, page)
        await edit_or_send(update, text, rows)
    elif lapses:

        def lapses_page(p: int) -> Family:
            return LedgerLapsesButton(LedgerLapsesAction.LAPSES, t, p)

        rows = _paging(r, lapses_page, page, len(book.lapses))
        rows.append([_back(r, t)])
        await edit_or_send(update, view.lapses(r, book, page), rows)
    else:
        await edit_or_send(update, view.summary(r, book), _summary_rows(r, book))


async def on_dates(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """The reader typed the dates of their period."""
    today = ctx.deps.clock.now().astimezone(ctx.deps.zone).date()
    period = parse_dates(typed(message), today, ctx.deps.zone)
    await drafts.clear(ctx.deps, user.id)
    await show(update, ctx, r, user, period, str(state.data.get("clause", "")))


async def make_file(
    update: Update, ctx: Ctx, r: Renderer, user: User, period: LedgerPeriod, chart: bool
) -> str:
    """The inspection package or the chart, made in the background while the chat shows
    progress (handlers/ledger_send.py); one at a time per person. The press's toast."""
    busy: set[int] = ctx.bot_data.setdefault(BUSY, set())
    if user.id in busy:
        return r("Your file is still being prepared; it comes in a moment.")
    chat = update.effective_chat
    assert chat is not None
    busy.add(user.id)
    make = send.chart if chart else send.package

    async def one_at_a_time() -> None:
        try:
            await make(ctx, r, user, chat.id, period)
        finally:
            busy.discard(user.id)

    ctx.application.create_task(one_at_a_time(), update=update)
    return r("Drawing the chart…") if chart else r("Preparing the inspection package…")
