"""/acting: the secretary names who decides on events while she is away, lists and revokes the
appointments (R6); the appointee is told when one starts and ends."""

from __future__ import annotations

from telegram import Message, Update, User

from bot import dates, examples
from bot.buttons.people import ActingAction, ActingButton
from bot.context import Ctx
from bot.events.acting import Appointment, appointments, name_acting, revoke_acting
from bot.freetext import normalise
from bot.people import directory
from handlers.common import command, is_private, private_only, reply, tg_user, typed_button
from render.renderer import Renderer


@command
async def acting_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """/acting @username FIRST LAST: the secretary names an acting approver for those days (R6);
    /acting alone: the appointments in force or to come, each with Revoke."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    args = [typed_arg for a in ctx.args or [] if (typed_arg := normalise(a, multiline=False))]
    if not args:
        await _list(ctx, message, user, r)
        return
    days = _days(ctx, args)
    if days is None:
        await reply(message, _usage(ctx, r))
        return
    await reply(message, await _name(ctx, user, r, args[0], days))


async def _name(ctx: Ctx, user: User, r: Renderer, username: str, days: tuple[str, str]) -> str:
    """Name the member an acting approver for those days (R6): what the secretary is told."""
    person = await directory.find_person(ctx.deps, username=username, member=True)
    first, last = days
    named = await name_acting(
        ctx.deps, tg_user(user), person_id=person.id, first_day=first, last_day=last
    )
    return r(
        "{name} decides on events from {first} to {last}.",
        name=named.name,
        first=named.first_day,
        last=named.last_day,
    )


def _days(ctx: Ctx, args: list[str]) -> tuple[str, str] | None:
    """The first and last day after @username, in any form of bot.dates (2026-12-01
    2026-12-10, 12月1日至12月10日); None when the command cannot be read."""
    if not args[0].startswith("@"):
        return None
    today = ctx.deps.clock.now().astimezone(ctx.deps.zone).date()
    try:
        first, last = dates.two_days(" ".join(args[1:]), today)
    except dates.Unreadable:
        return None
    return first.isoformat(), last.isoformat()


def _usage(ctx: Ctx, r: Renderer) -> str:
    one, other = examples.absence(ctx.deps.clock.now(), ctx.deps.zone)
    return r(
        "Send /acting @username {first} {last} to name who decides on events "
        "while you are away, for those days.",
        first=one,
        last=other,
    )


async def _list(ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """The appointments in force or to come, each with Revoke, and how to name one."""
    listed = await appointments(ctx.deps, tg_user(user))
    lines = [r("<b>Acting approvers</b>")]
    lines += [_appointment(r, a) for a in listed] or [r("Nobody is named now.")]
    lines.append(_usage(ctx, r))
    revoke = ActingAction.REVOKE
    rows = [
        [(r.plain("Revoke: {name}", name=a.name), ActingButton(revoke, a.id).pack())]
        for a in listed
    ]
    await reply(message, "\n".join(lines), rows)


def _appointment(r: Renderer, a: Appointment) -> str:
    if a.current:
        return "· " + r("{name}: in force, until {last}", name=a.name, last=a.last_day)
    return "· " + r(
        "{name}: from {first} to {last}", name=a.name, first=a.first_day, last=a.last_day
    )


@typed_button(ActingButton.unpack)
async def on_revoke(update: Update, ctx: Ctx, b: ActingButton, user: User, r: Renderer) -> str:
    """1ac:rv: the secretary revokes an acting approver (R6); they are told."""
    ended = await revoke_acting(ctx.deps, tg_user(user), b.appointment_id)
    return r.plain("{name} no longer decides on events, and is told so.", name=ended.name)
