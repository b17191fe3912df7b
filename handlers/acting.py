"""/acting: the secretary names who decides on events while she is away, lists and revokes the
appointments (R6); the appointee is told when one starts and ends."""

from __future__ import annotations

from telegram import Message, Update, User

from bot import dates, examples
from bot.context import Ctx
from bot.errors import StaleButton
from bot.events.acting import Appointment, appointments, name_acting, revoke_acting
from bot.freetext import normalise
from bot.people import service as people
from handlers import callback_data as cd
from handlers.common import button, command, is_private, private_only, reply, tg_user
from render.renderer import Renderer


@command
async def acting_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """/acting @username FIRST LAST: the secretary names an acting approver for those days;
    /acting alone: the appointments in force or to come, each with Revoke."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    args = [typed_arg for a in ctx.args or [] if (typed_arg := normalise(a, multiline=False))]
    if not args:
        listed = await appointments(ctx.deps, tg_user(user))
        lines = [r("<b>Acting approvers</b>")]
        lines += [_appointment(r, a) for a in listed] or [r("Nobody is named now.")]
        one, other = examples.absence(ctx.deps.clock.now(), ctx.deps.zone)
        lines.append(
            r(
                "Send /acting @username {first} {last} to name who decides on events "
                "while you are away, for those days.",
                first=one,
                last=other,
            )
        )
        rows = [
            [(r.plain("Revoke: {name}", name=a.name), cd.encode("ac", "rv", a.id))] for a in listed
        ]
        await reply(message, "\n".join(lines), rows)
        return
    today = ctx.deps.clock.now().astimezone(ctx.deps.zone).date()
    try:  # the days in any form of bot.dates: 2026-12-01 2026-12-10, 12月1日至12月10日
        first, last = dates.two_days(" ".join(args[1:]), today)
        readable = args[0].startswith("@")
    except dates.Unreadable:
        readable = False
    if not readable:
        one, other = examples.absence(ctx.deps.clock.now(), ctx.deps.zone)
        await reply(
            message,
            r(
                "Send /acting @username {first} {last} to name who decides on "
                "events while you are away, for those days.",
                first=one,
                last=other,
            ),
        )
        return
    person = await people.find_person(ctx.deps, username=args[0], member=True)
    named = await name_acting(
        ctx.deps,
        tg_user(user),
        person_id=person.id,
        first_day=first.isoformat(),
        last_day=last.isoformat(),
    )
    await reply(
        message,
        r(
            "{name} decides on events from {first} to {last}.",
            name=named.name,
            first=named.first_day,
            last=named.last_day,
        ),
    )


def _appointment(r: Renderer, a: Appointment) -> str:
    if a.current:
        return "· " + r("{name}: in force, until {last}", name=a.name, last=a.last_day)
    return "· " + r(
        "{name}: from {first} to {last}", name=a.name, first=a.first_day, last=a.last_day
    )


@button
async def on_acting(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """1ac:rv:<appointment>: the secretary revokes an acting approver (R6)."""
    appointment_id = data.int_arg(0)
    if data.action != "rv" or appointment_id is None:
        raise StaleButton()
    ended = await revoke_acting(ctx.deps, tg_user(user), appointment_id)
    return r.plain("{name} no longer decides on events, and is told so.", name=ended.name)
