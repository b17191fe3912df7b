"""/ledger: a period's figures, lapses and evidence per clause; the inspection package (R7, C).

Everyone may open it and sees their part (bot.ledger.scope). Buttons carry the period itself
(2026-Q4, 2026, 20260101-20260331), so a page always shows what its title says. Files are made
in a worker thread while the chat shows progress (handlers/ledger_send.py); one at a time per
person.
"""

from __future__ import annotations

import logging

from telegram import Message, Update, User

from bot import examples
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import StaleButton
from bot.ledger import service as ledger
from bot.ledger.evidence import OFFERED, known
from bot.ledger.period import LedgerPeriod, chosen, from_token, parse_dates, token
from bot.ledger.service import Ledger
from handlers import callback_data as cd
from handlers import ledger_render as view
from handlers import ledger_send as send
from handlers.answers import typed
from handlers.common import (
    edit_or_send,
    is_private,
    private_only,
    reading_button,
    reading_command,
    reply,
    tg_user,
)
from render.renderer import Renderer

log = logging.getLogger(__name__)
FLOW = "ledger"
CHOICES = {"tq": "this_quarter", "lq": "last_quarter", "ty": "this_year", "ly": "last_year"}
BUSY = "ledger_busy"  # bot_data: telegram ids with a file being made
Rows = list[list[tuple[str, str]]]


def _b(action: str, *args: object) -> str:
    return cd.encode("ld", action, *args)


def _picker(r: Renderer, clause: str = "") -> tuple[str, Rows]:
    tail = (clause,) if clause else ()
    if clause:
        text = r("Which period for {clause}?", clause=clause)
    else:
        text = r(
            "Which period? The ledger shows what the records prove, in the organisation's "
            "time zone."
        )
    rows = [
        [
            (r.plain("This quarter"), _b("r", "tq", *tail)),
            (r.plain("Last quarter"), _b("r", "lq", *tail)),
        ],
        [
            (r.plain("This year"), _b("r", "ty", *tail)),
            (r.plain("Last year"), _b("r", "ly", *tail)),
        ],
        [(r.plain("Chosen dates…"), _b("d", *tail))],
    ]
    return text, rows


def _summary_rows(r: Renderer, book: Ledger) -> Rows:
    t = token(book.period)
    return [
        [
            (r.plain("Lapses ({n})", n=r.t.number(len(book.lapses))), _b("l", t, 0)),
            (r.plain("By clause"), _b("k", t)),
        ],
        [(r.plain("Inspection package (.zip)"), _b("x", t)), (r.plain("Chart"), _b("g", t))],
        [(r.plain("Another period"), _b("m"))],
    ]


def _paging(
    r: Renderer, action: str, args: tuple[object, ...], page: int, n: int
) -> list[tuple[str, str]]:
    row = []
    if page > 0:
        row.append((r.plain("‹ Previous"), _b(action, *args, page - 1)))
    if page + 1 < view.pages(n):
        row.append((r.plain("Next ›"), _b(action, *args, page + 1)))
    return row


def _clause_rows(r: Renderer, t: str) -> Rows:
    rows = [[(c, _b("c", c, t, 0)) for c in OFFERED[i : i + 5]] for i in range(0, len(OFFERED), 5)]
    return [*rows, [(r.plain("‹ Back to the summary"), _b("p", t))]]


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
    text, rows = _picker(r, clause)
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
    text, rows = _picker(r)
    if update.effective_message is not None:
        await reply(update.effective_message, text, rows)


def _period(ctx: Ctx, value: str) -> LedgerPeriod:
    period = from_token(value, ctx.deps.zone)
    if period is None:
        raise StaleButton()
    return period


async def _show(
    update: Update,
    ctx: Ctx,
    r: Renderer,
    user: User,
    period: LedgerPeriod,
    clause: str = "",
    page: int = 0,
    lapses: bool = False,
) -> None:
    t = token(period)
    book = await ledger.build(ctx.deps, tg_user(user), period, clause=clause or None)
    if clause:
        n = len(book.evidence(clause))
        rows = [row for row in [_paging(r, "c", (clause, t), page, n)] if row]
        rows.append(
            [(r.plain("Other clauses"), _b("k", t)), (r.plain("‹ Back to the summary"), _b("p", t))]
        )
        text = _not_automated(ctx, r, clause) + view.clause(r, book, clause, page)
        await edit_or_send(update, text, rows)
    elif lapses:
        rows = [row for row in [_paging(r, "l", (t,), page, len(book.lapses))] if row]
        rows.append([(r.plain("‹ Back to the summary"), _b("p", t))])
        await edit_or_send(update, view.lapses(r, book, page), rows)
    else:
        await edit_or_send(update, view.summary(r, book), _summary_rows(r, book))


@reading_button
async def on_button(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    a, args = data.action, data.args
    page = data.int_arg(len(args) - 1) if args else None
    if a == "m":
        await edit_or_send(update, *_picker(r))
    elif a == "r" and args and args[0] in CHOICES:
        clause = known(args[1]) or "" if len(args) > 1 else ""
        period = chosen(CHOICES[args[0]], ctx.deps.clock.now(), ctx.deps.zone)
        await _show(update, ctx, r, user, period, clause)
    elif a == "d":
        clause = known(args[0]) or "" if args else ""
        me = await ledger.reader_scope(ctx.deps, tg_user(user))
        await drafts.save(ctx.deps, me.person_id, DraftState(FLOW, "dates", {"clause": clause}))
        first, last = examples.year_so_far(ctx.deps.clock.now(), ctx.deps.zone)
        await edit_or_send(
            update,
            r(
                "Send the first and the last day, such as {first} {last}. /cancel leaves.",
                first=first,
                last=last,
            ),
            None,
        )
    elif a == "p" and len(args) == 1:
        await _show(update, ctx, r, user, _period(ctx, args[0]))
    elif a == "l" and len(args) == 2 and page is not None:
        await _show(update, ctx, r, user, _period(ctx, args[0]), page=page, lapses=True)
    elif a == "k" and len(args) == 1:
        period = _period(ctx, args[0])
        scope = await ledger.reader_scope(ctx.deps, tg_user(user))  # the title; no records read
        text = "\n".join(
            [
                *view.head(r, period, scope.level),
                "",
                r("Which clause? Or send /ledger and the clause's ID, such as /ledger C5."),
            ]
        )
        await edit_or_send(update, text, _clause_rows(r, token(period)))
    elif a == "c" and len(args) == 3 and page is not None and known(args[0]):
        await _show(update, ctx, r, user, _period(ctx, args[1]), args[0], page)
    elif a == "x" and len(args) == 1:
        return await _file(update, ctx, r, user, _period(ctx, args[0]), chart=False)
    elif a == "g" and len(args) == 1:
        return await _file(update, ctx, r, user, _period(ctx, args[0]), chart=True)
    else:
        raise StaleButton()
    return None


async def on_dates(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """The reader typed the dates of their period."""
    today = ctx.deps.clock.now().astimezone(ctx.deps.zone).date()
    period = parse_dates(typed(message), today, ctx.deps.zone)
    await drafts.clear(ctx.deps, user.id)
    await _show(update, ctx, r, user, period, str(state.data.get("clause", "")))


async def _file(
    update: Update, ctx: Ctx, r: Renderer, user: User, period: LedgerPeriod, chart: bool
) -> str:
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
