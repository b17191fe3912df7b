"""/my: what you filed, what you handle, and what waits for your decision, in sections."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.buttons import EventAction, EventButton
from bot.buttons.incidents import IncidentAction, IncidentButton
from bot.context import Ctx
from bot.events import queries as events
from bot.incidents import queries as incidents
from handlers.common import cd_rows, command, is_private, private_only, reply, tg_user
from handlers.incidents import PENDING_REASONS
from handlers.record import details
from render.event import status_name
from render.incident import STATUS_NAMES, kind
from render.renderer import Renderer, esc

MAX_ROWS = 12  # buttons under the message; every reference stays in its text


def _report_lines(
    r: Renderer, items: list[incidents.MyItem], rows: cd_rows, shown: set[int]
) -> list[str]:
    lines = []
    for item in items:
        status = r.plain(STATUS_NAMES[item.status])
        lines.append(f"{esc(item.ref)} · {esc(kind(r, item.kind))} · {esc(status)}")
        if item.upward_to:  # P3: to whom it went
            lines.append("    " + r("Reported to the higher department: {to}", to=item.upward_to))
        if item.id not in shown:
            shown.add(item.id)
            rows.append(
                [
                    (
                        r.plain("Timeline of {ref}", ref=item.ref),
                        IncidentButton(IncidentAction.TIMELINE, item.id).pack(),
                    ),
                    details(r, item.ref, "INC", item.id),
                ]
            )
    return lines


def _event_line(r: Renderer, ev: events.MyEvent, rows: cd_rows, shown: set[str]) -> str:
    """The request's line, and once per request its Details button."""
    if ev.ref not in shown:
        shown.add(ev.ref)
        rows.append([details(r, ev.ref, "EVT", ev.id)])
    return f"{esc(ev.ref)} · {esc(ev.title)} · {esc(status_name(r, ev.status))}"


@command
async def my(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/my: my reports and requests, what I handle, and what waits for my decision."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "my")
        return
    me = tg_user(user)
    reports = await incidents.my_reports(ctx.deps, me)
    handled = await incidents.handled_by_me(ctx.deps, me)
    requests = await events.my_events(ctx.deps, me)
    deciding = await events.awaiting_my_decision(ctx.deps, me)
    waiting = await incidents.pending_for(ctx.deps, me)
    if not (reports or handled or requests or deciding or waiting):
        await reply(
            message,
            r("You have no reports or event requests yet. Send /report or /event to start one."),
        )
        return
    lines: list[str] = []
    rows: cd_rows = []
    shown: set[int] = set()
    listed: set[str] = set()
    own = [ev for ev in requests if ev.requested]
    if own or reports:
        lines.append(r("<b>What you filed</b>"))
        for ev in own:
            lines.append(_event_line(r, ev, rows, listed))
            if ev.status in ("in_review", "pending", "changes_requested"):
                label = r.plain("Withdraw {ref}", ref=ev.ref)
                withdraw = EventButton(EventAction.WITHDRAW, ev.id, ev.version)
                rows[-1].append((label, withdraw.pack()))
        lines += _report_lines(r, reports, rows, shown)
    deciding_ids = {ev.id for ev in deciding}
    organised = [ev for ev in requests if not ev.requested and ev.id not in deciding_ids]
    if handled or organised:
        lines += ["", r("<b>What you handle</b>")] if lines else [r("<b>What you handle</b>")]
        for ev in organised:  # R6: named as organiser, they answer for it
            lines.append(_event_line(r, ev, rows, listed) + " · " + esc(r.plain("you organise it")))
        lines += _report_lines(r, handled, rows, shown)
    if deciding or waiting:
        head = r("<b>Waiting for your decision</b>")
        lines += ["", head] if lines else [head]
        lines += [_event_line(r, ev, rows, listed) for ev in deciding]
        for item in waiting:
            lines.append(r(PENDING_REASONS[item.reason], ref=item.ref))
            rows.append(
                [
                    (
                        r.plain("Open {ref}", ref=item.ref),
                        IncidentButton(IncidentAction.OPEN, item.id).pack(),
                    )
                ]
            )
    await reply(message, "\n".join(lines), rows[:MAX_ROWS])
