"""/calendar and the reminders' "Remind me tomorrow" button (A2, R2, R3, A3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Message, Update, User

from bot.buttons.calendar import CalendarButton
from bot.calendar import meetings
from bot.calendar.view import Overview, overview
from bot.context import Ctx
from handlers import briefing_docx
from handlers.common import command, reply, tg_user, typed_button
from render.calendar import (
    areas,
    day,
    due_day,
    held_line,
    item_line,
    obligation_name,
    period,
)
from render.renderer import Renderer, esc

# One callback per action of a reminder's buttons (bot/buttons/calendar.py).
pressed = typed_button(CalendarButton.unpack)


def _open_line(r: Renderer, item: dict[str, Any]) -> str:
    """What is open now, with the day it must be done by."""
    by = item["on"] if item["obligation"] == "sensitive" else item["end"]
    if item.get("missing"):  # A2: held, but not every area concluded
        return "· " + r(
            "{what}: held, incomplete; still without a conclusion: {areas}; by {date}",
            what=item_line(r, item),
            areas=areas(r, item["missing"]),
            date=day(r, by),
        )
    return "· " + r("{what}: by {date}", what=item_line(r, item), date=day(r, by))


def _overdue_line(r: Renderer, item: dict[str, Any]) -> str:
    if item["obligation"] == "sensitive":
        return "· " + item_line(r, item)
    if item.get("missing"):
        return "· " + r(
            "{what}, {period}: held, incomplete; without a conclusion: {areas}",
            what=obligation_name(r, item),
            period=period(r, item),
            areas=areas(r, item["missing"]),
        )
    return "· " + r(
        "{what}, {period}: nothing recorded", what=obligation_name(r, item), period=period(r, item)
    )


@command
async def calendar(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/calendar (private or group): what is due in the next weeks and what is overdue."""
    view = await overview(ctx.deps)
    today = ctx.deps.clock.now().astimezone(ctx.deps.zone).date()
    await reply(message, "\n".join(_overview_lines(r, view, today)))


def _overview_lines(r: Renderer, view: Overview, today: date) -> list[str]:
    """The dedicated meetings this year (R2), then what is open, due, overdue and held."""
    held, minimum = view.dedicated
    lines = [
        r("<b>The regulation's calendar</b> ({date})", date=r.t.date(today)),
        r(
            "Dedicated meetings this year (R2): {held} of at least {minimum}.",
            held=held,
            minimum=minimum,
        ),
    ]
    lines.append("\n" + r("<b>Open now</b>"))
    lines += [_open_line(r, i) for i in view.open] or [r("Nothing is open.")]
    lines.append("\n" + r("<b>In the next six weeks</b>"))
    lines += [
        "· " + r.plain("{date}: {what}", date=esc(due_day(r, i)), what=item_line(r, i))
        for i in view.upcoming
    ] or [r("Nothing falls due.")]
    if view.overdue:
        lines.append("\n" + r("<b>Overdue</b>"))
        lines += [_overdue_line(r, i) for i in view.overdue]
    if view.recent:  # R7: each with its reference, for /record and /find
        lines.append("\n" + r("<b>Meetings held most recently</b>"))
        lines += ["· " + held_line(r, m.ref, m.held_on, m.kind, m.title) for m in view.recent]
    lines.append("\n" + r("Record a meeting that was held with /meeting."))
    return lines


@pressed
async def on_snooze(
    update: Update, ctx: Ctx, b: CalendarButton, user: User, r: Renderer
) -> str | None:
    """1cl:sz:<occurrence>: remind the presser privately the next working morning (R2, R3)."""
    at, new = await meetings.snooze(ctx.deps, tg_user(user), b.occurrence_id)
    when = r.t.datetime(at, ctx.deps.zone)
    if new:
        return r.plain("I will remind you in our private chat on {when}.", when=when)
    return r.plain("You will already be reminded on {when}.", when=when)


@pressed
async def on_document(
    update: Update, ctx: Ctx, b: CalendarButton, user: User, r: Renderer
) -> str | None:
    """1cl:bd:<occurrence>: the quarterly briefing as a document, in this chat (A1)."""
    return await briefing_docx.send(update, ctx, user, r, b.occurrence_id)
