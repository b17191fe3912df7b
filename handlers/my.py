"""/my: what you filed, what you handle, and what waits for your decision, in sections."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    mine = Mine(
        reports=await incidents.my_reports(ctx.deps, me),
        handled=await incidents.handled_by_me(ctx.deps, me),
        requests=await events.my_events(ctx.deps, me),
        deciding=await events.awaiting_my_decision(ctx.deps, me),
        waiting=await incidents.pending_for(ctx.deps, me),
    )
    if not mine.anything:
        await reply(
            message,
            r("You have no reports or event requests yet. Send /report or /event to start one."),
        )
        return
    rows: cd_rows = []
    sections = [_filed(r, mine, rows), _handled(r, mine, rows), _deciding(r, mine, rows)]
    lines = [line for section in sections if section for line in ["", *section]][1:]
    await reply(message, "\n".join(lines), rows[:MAX_ROWS])


@dataclass
class Mine:
    """What /my lists, and which Details buttons were given already (one per record)."""

    reports: list[incidents.MyItem]
    handled: list[incidents.MyItem]
    requests: list[events.MyEvent]
    deciding: list[events.MyEvent]
    waiting: list[incidents.PendingItem]
    shown: set[int] = field(default_factory=set)
    listed: set[str] = field(default_factory=set)

    @property
    def anything(self) -> bool:
        """Whether there is anything to list."""
        return bool(self.reports or self.handled or self.requests or self.deciding or self.waiting)


def _filed(r: Renderer, mine: Mine, rows: cd_rows) -> list[str]:
    """What you filed: your requests (each open one with Withdraw) and your reports."""
    own = [ev for ev in mine.requests if ev.requested]
    if not (own or mine.reports):
        return []
    lines = [r("<b>What you filed</b>")]
    for ev in own:
        lines.append(_event_line(r, ev, rows, mine.listed))
        if ev.status in ("in_review", "pending", "changes_requested"):
            label = r.plain("Withdraw {ref}", ref=ev.ref)
            withdraw = EventButton(EventAction.WITHDRAW, ev.id, ev.version)
            rows[-1].append((label, withdraw.pack()))
    return lines + _report_lines(r, mine.reports, rows, mine.shown)


def _handled(r: Renderer, mine: Mine, rows: cd_rows) -> list[str]:
    """What you handle: the events you organise (R6) and the reports you handle."""
    deciding_ids = {ev.id for ev in mine.deciding}
    organised = [ev for ev in mine.requests if not ev.requested and ev.id not in deciding_ids]
    if not (mine.handled or organised):
        return []
    lines = [r("<b>What you handle</b>")]
    for ev in organised:  # R6: named as organiser, they answer for it
        lines.append(
            _event_line(r, ev, rows, mine.listed) + " · " + esc(r.plain("you organise it"))
        )
    return lines + _report_lines(r, mine.handled, rows, mine.shown)


def _deciding(r: Renderer, mine: Mine, rows: cd_rows) -> list[str]:
    """What waits for your decision: requests, and incidents with what is due on each."""
    if not (mine.deciding or mine.waiting):
        return []
    lines = [r("<b>Waiting for your decision</b>")]
    lines += [_event_line(r, ev, rows, mine.listed) for ev in mine.deciding]
    for item in mine.waiting:
        lines.append(r(PENDING_REASONS[item.reason], ref=item.ref))
        button = IncidentButton(IncidentAction.OPEN, item.id)
        rows.append([(r.plain("Open {ref}", ref=item.ref), button.pack())])
    return lines
