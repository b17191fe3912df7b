"""/policy: the policy in force in the reader's words; an admin loads a new one by sending the
file, sees the differences and confirms (audited; a broken file never replaces a working one)."""

from __future__ import annotations

from datetime import date

from telegram import Message, Update, User

from bot.buttons.office import PolicyAction, PolicyButton
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import InvalidInput, NotAllowed
from bot.freetext import attachment_name
from bot.i18n import N_
from bot.people import authority
from bot.people import service as people
from bot.people.roles import Role
from bot.policy import store
from bot.policy.schema import Limit, Policy
from handlers.common import command, draft_in, edit_or_send, reply, tg_user, typed_button
from render.incident import KIND_NAMES, SEVERITY_NAMES
from render.renderer import Renderer

FLOW = "policy"
VIEWERS = (Role.ADMIN, Role.SECRETARY, Role.DEPUTY, Role.OFFICE)
SHOWN_CHANGES = 40
UNITS = {"week": N_("every week"), "month": N_("every month"), "quarter": N_("every quarter")}


def _zone(r: Renderer, name: str) -> str:
    """China's zone by the name people use for it (北京时间); any other by its own name."""
    return r.plain("Beijing time") if name in ("Asia/Shanghai", "Asia/Chongqing") else name


def _days(r: Renderer, n: int) -> str:
    return r.plural("{n} day", "{n} days", n)


def limit_words(r: Renderer, limit: Limit) -> str:
    """A time limit as the rule says it: 4 working hours (L4), not 240 minutes."""
    hours, minutes = divmod(limit.minutes, 60)
    if limit.working_time:
        if not minutes:
            return r.t.ngettext("{n} working hour", "{n} working hours", hours).format(n=hours)
        return r.t.ngettext("{n} working minute", "{n} working minutes", limit.minutes).format(
            n=limit.minutes
        )
    if not minutes:
        return r.t.ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    return r.t.ngettext("{n} minute", "{n} minutes", limit.minutes).format(n=limit.minutes)


def summary(r: Renderer, p: Policy, today: date) -> list[str]:
    """The policy's substance, one line per area, each citing its clause."""
    hours, cal, inc = p.working_hours, p.calendar, p.incidents
    names = {**SEVERITY_NAMES, "information": KIND_NAMES["information"]}
    limits = r.items(
        r.plain(
            "{what}: {limit}",
            what=r.plain(names[name]),
            limit=limit_words(r, getattr(inc.acknowledge, name)),
        )
        for name in ("critical", "major", "general", "information")
    )
    sensitive = r.items(
        r.aside(d.name_in(r.locale), r.t.date(on))
        for d in cal.sensitive_dates.dates
        if (on := d.day_in(today.year)) is not None
    )
    unit = cal.study_sessions.every
    return [
        r(
            "Time zone {zone}; working hours {start}–{end} on official working days.",
            zone=_zone(r, hours.time_zone),
            start=f"{hours.start:%H:%M}",
            end=f"{hours.end:%H:%M}",
        ),
        r("Incidents must be acknowledged within (L4): {limits}.", limits=limits),
        r(
            "Unacknowledged incidents go to (L2, L1): {chain}.",
            chain=r.items(r.role(Role(x)) for x in inc.escalation.chain),
        ),
        r(
            "Events (R6): requested {lead} ahead; filed {filing} before the event.",
            lead=_days(r, p.events.lead_days),
            filing=_days(r, p.events.filing_deadline_days),
        ),
        r("Reminders go out at {time} on working days.", time=f"{cal.send_at:%H:%M}"),
        r(
            "Quarterly review (A2): reminders {days} days before the quarter ends; areas: {areas}.",
            days=r.items(str(d) for d in cal.quarterly_review.remind_days_before_end),
            areas=r.items(t.name_in(r.locale) for t in cal.quarterly_review.topics),
        ),
        r(
            "Dedicated meetings (R2): at least {n} a year.",
            n=cal.dedicated_meetings.minimum_per_year,
        ),
        r("Study sessions (R3, P4): {rhythm}.", rhythm=r.plain(UNITS[unit])),
        r(
            "Sensitive dates (A3), reminded {days} ahead: {dates}.",
            days=_days(r, cal.sensitive_dates.days_ahead),
            dates=sensitive or "—",
        ),
        r(
            "Weekly digest for the leadership: {state}.",
            state=r.plain("on") if cal.digest.enabled else r.plain("off"),
        ),
        backups_line(r, p),
    ]


def backups_line(r: Renderer, p: Policy) -> str:
    """The daily backup of [backups] (bot/db/daily.py): when, and how many are kept."""
    plan = p.backups
    if plan.every_day_at is None:
        return r("Daily backup: off.")
    return r.plural(
        "Daily backup at {time}; the newest {n} is kept.",
        "Daily backup at {time}; the newest {n} are kept.",
        plan.keep,
        time=f"{plan.every_day_at:%H:%M}",
    )


def regulation_lines(r: Renderer, p: Policy) -> list[str]:
    """R1 in full; the clauses the bot leaves to people (A4); the study materials (R8, P4)."""
    zh = r.locale.startswith("zh")
    reg = p.regulation
    lines = [r("<b>The regulation (R1)</b>: {text}", text=reg.r1 if zh else reg.r1_en)]
    for n in reg.not_automated:
        lines.append(
            r("Not automated ({clause}): {why}", clause=n.clause, why=n.why if zh else n.why_en)
        )
    if reg.study_materials:
        named = (r.aside(m.name_in(r.locale), r.items(m.clauses)) for m in reg.study_materials)
        lines.append(r("Study materials (R8, P4): {materials}.", materials=r.items(named)))
    return lines


async def _source(ctx: Ctx, r: Renderer) -> str:
    """Where the policy in force came from: the chat, a file, or the regulation's defaults."""
    version = await store.latest(ctx.deps)
    if version is not None:
        return r(
            "Loaded through the chat from {file} on {when}.",
            file=version.file_name,
            when=r.t.datetime(version.loaded_at, ctx.deps.zone),
        )
    if ctx.deps.settings.policy_file is not None:
        return r("From the file {file}.", file=str(ctx.deps.settings.policy_file))
    return r("The regulation's own values (the default policy).")


@command
async def policy(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/policy: the policy in force and where it came from."""
    me = await people.identify(ctx.deps, tg_user(user), private=False)
    if not authority.holds(me, *VIEWERS):
        raise NotAllowed(N_("Only an administrator or the leadership can see the policy."))
    today = ctx.deps.clock.now().astimezone(ctx.deps.zone).date()
    lines = [r("<b>Policy in force</b>"), await _source(ctx, r), ""]
    lines += ["· " + line for line in summary(r, ctx.deps.policy, today)]
    lines += ["", *regulation_lines(r, ctx.deps.policy)]
    if me.is_admin:
        lines += [
            "",
            r(
                "To change it, send me the policy file (.toml). I will show what "
                "changes and ask you to confirm."
            ),
        ]
    await reply(message, "\n".join(lines))


def is_policy_file(message: Message) -> bool:
    """A document whose name ends in .toml: a policy file to check (on_file)."""
    name = message.document.file_name if message.document else None
    return bool(name) and str(name).lower().endswith(".toml")


async def on_file(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """A .toml document in the private chat, outside a conversation that takes files: a policy
    to load (admins only). Called from text.not_text, which routes every file."""
    doc = message.document
    assert doc is not None
    await store.check_admin(ctx.deps, tg_user(user))
    if (doc.file_size or 0) > store.MAX_BYTES:
        raise InvalidInput(N_("That file is too large to be a policy file."))
    content = bytes(await (await ctx.bot.get_file(doc.file_id)).download_as_bytearray())
    name = attachment_name(doc.file_name) or "policy.toml"  # kept and shown: cleaned
    new, text = store.check(ctx.deps, content, name)
    changes = store.diff(ctx.deps.policy, new)
    if not changes:
        await reply(message, r("This policy is the same as the one in force; nothing changes."))
        return
    me = await people.identify(ctx.deps, tg_user(user), private=True)
    await drafts.save(ctx.deps, me.id, DraftState(FLOW, "confirm", {"text": text, "file": name}))
    lines = [r("<b>The policy in {file} is valid.</b> It changes:", file=name)]
    lines += [
        r("{key}: {old} → {new}", key=c.key, old=c.old, new=c.new) for c in changes[:SHOWN_CHANGES]
    ]
    if len(changes) > SHOWN_CHANGES:
        lines.append(
            r.plural(
                "… and {n} more change.", "… and {n} more changes.", len(changes) - SHOWN_CHANGES
            )
        )
    lines.append(r("Put it in force?"))
    text_out = "\n".join(lines)
    if len(text_out) > 3800:  # within Telegram's 4096, whatever the values
        text_out = text_out[:3800].rsplit("\n", 1)[0] + "\n…\n" + r("Put it in force?")
    rows = [
        [
            (r.plain("Put it in force"), PolicyButton(PolicyAction.CONFIRM).pack()),
            (r.plain("Cancel"), PolicyButton(PolicyAction.CANCEL).pack()),
        ]
    ]
    await reply(message, text_out, rows)


NOT_WAITING = N_("This policy is no longer waiting for you.")


@typed_button(PolicyButton.unpack)
async def on_cancel(update: Update, ctx: Ctx, b: PolicyButton, user: User, r: Renderer) -> None:
    """1po:x: the admin cancels; the policy in force stays."""
    await draft_in(ctx, user, FLOW, NOT_WAITING)
    await drafts.clear(ctx.deps, user.id)
    await edit_or_send(update, r("Cancelled. The policy in force stays."), None)


@typed_button(PolicyButton.unpack)
async def on_confirm(update: Update, ctx: Ctx, b: PolicyButton, user: User, r: Renderer) -> str:
    """1po:ok: the admin puts the policy shown in force (audited, change by change)."""
    _, state = await draft_in(ctx, user, FLOW, NOT_WAITING)
    changes = await store.apply(ctx.deps, tg_user(user), state.data["text"], state.data["file"])
    await drafts.clear(ctx.deps, user.id)
    await edit_or_send(
        update,
        r.plural(
            "<b>The new policy is in force.</b> {n} change was recorded in the audit trail.",
            "<b>The new policy is in force.</b> {n} changes were recorded in the audit trail.",
            len(changes),
        ),
        None,
    )
    return r.plain("Done")
