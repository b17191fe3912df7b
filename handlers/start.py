"""/start (with deep-link payloads), the first-contact language choice, /language and /help."""

from __future__ import annotations

import re

from telegram import Message, Update, User

from bot.buttons.office import LanguageAction, LanguageButton
from bot.context import Ctx
from bot.deps import Deps
from bot.errors import NotAllowed
from bot.i18n import LOCALES
from bot.people import admission, authority, inspectors, invitations
from bot.people import service as people
from bot.people.inspectors import Inspection
from bot.people.view import PersonView
from bot.policy.schema import Policy
from handlers import calendar as calendar_handlers
from handlers import draft_guard
from handlers import incidents as incident_handlers
from handlers import ledger as ledger_handlers
from handlers import meeting as meeting_handlers
from handlers import record as record_handlers
from handlers import roles as roles_handlers
from handlers.commands import INSPECTOR_COMMANDS, available
from handlers.common import (
    edit_or_send,
    is_private,
    private_only,
    reading_command,
    reply,
    tg_user,
    typed_button,
    ungated_command,
)
from handlers.policy import VIEWERS as POLICY_VIEWERS
from render.renderer import Renderer

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def language_rows() -> list[list[tuple[str, str]]]:
    """中文 and English, each named in itself, so that either reader finds theirs."""
    return [
        [(LANGUAGE_NAMES[loc], LanguageButton(LanguageAction.SET, loc).pack()) for loc in LOCALES]
    ]


@ungated_command
async def start(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """Register the person; on first contact ask for a language; follow deep-link payloads."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "start")
        return
    payload = ctx.args[0] if ctx.args else ""
    invited = payload.startswith(invitations.PAYLOAD)
    code = payload.removeprefix(invitations.PAYLOAD) if invited else None
    result = await people.start(ctx.deps, tg_user(user), code)
    if not result.person.admitted:  # R4: told, in their language, what happens next
        rows = language_rows() if result.first_contact else None
        await reply(message, welcome(r, result.person, ctx.deps), rows)
        return
    if result.first_contact:
        name = result.person.name
        text = r("Welcome to Duty Desk, {name}. Please choose your language.", name=name)
        await reply(message, text, language_rows())
        return
    if not await _follow(update, ctx, message, user, r, payload):
        await reply(message, welcome(r, result.person, ctx.deps))


async def _follow(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, payload: str
) -> bool:
    """Open what a deep link points to; False when it points to nothing known."""
    if payload in ("report", "event"):  # an open draft is asked about first
        await draft_guard.start(update, ctx, r, user, payload)
    elif payload.startswith("meeting"):  # a reminder's Record it: meeting-qr, meeting-st …
        await meeting_handlers.begin(update, ctx, r, user, payload.partition("-")[2])
    elif payload.startswith(record_handlers.LINK):  # a Details link in a group's message
        await record_handlers.open_link(message, ctx, r, user, payload)
    elif payload == "pending":
        await incident_handlers.pending(update, ctx)
    elif payload == "ledger":
        await ledger_handlers.begin(update, ctx, r, user)
    elif payload == "calendar":
        await calendar_handlers.calendar(update, ctx)
    elif payload.startswith("role_") and payload[5:].isdigit():
        await roles_handlers.show_card(update, ctx, r, int(payload[5:]))
    else:
        return False
    return True


def welcome(r: Renderer, person: PersonView, deps: Deps) -> str:
    """The greeting: to one not admitted, their standing (R4); to a member, what they can do."""
    if not person.admitted:
        return "\n\n".join(
            [r("Welcome, {name}.", name=person.name), r(admission.says(deps, person.admission))]
        )
    return "\n\n".join(
        [
            r("Welcome, {name}.", name=person.name),
            r(
                "Here you report incidents, request approval for events and receive the "
                "reminders the regulation requires."
            ),
            help_text(r, person),
        ]
    )


def help_text(r: Renderer, person: PersonView) -> str:
    """A member's roles and the commands they hold; to one who left, that alone."""
    if not person.active:  # left: nothing to offer but the truth
        return r(
            "You have been deactivated: you hold no role here and cannot act. If that is a "
            "mistake, please ask the office."
        )
    standings = r.standings(person.roles, person.committees_headed)
    lines = [
        r.plural(
            "Your role: {roles}", "Your roles: {roles}", len(standings), roles=r.items(standings)
        )
    ]
    lines.append(r("What you can do:"))
    for c in available(person.roles):
        lines.append(f"/{c.name} — {r(c.description)}")
    return "\n".join(lines)


def inspector_help(r: Renderer, inspection: Inspection) -> str:
    """R7, C: an inspector reads the ledger, the records and their evidence, and finds them;
    nothing else, and every reading is recorded."""
    lines = [
        r(
            "You are appointed to inspect from {first_day} to {last_day}.",
            first_day=inspection.first_day,
            last_day=inspection.last_day,
        )
    ]
    if inspection.period_first and inspection.period_last:
        lines.append(
            r(
                "You may read the records of {first} to {last}.",
                first=inspection.period_first,
                last=inspection.period_last,
            )
        )
    lines.append(r("What you can do:"))
    for name, says in INSPECTOR_COMMANDS:
        lines.append(f"/{name} — {r(says)}")
    lines.append(r("Every reading and every search you make is recorded."))
    return "\n".join(lines)


def r1_opening(r: Renderer, policy: Policy, person: PersonView) -> str:
    """R1 quoted: its first phrase, and where the whole text is for those who may read it."""
    reg = policy.regulation
    text = reg.r1 if r.locale.startswith("zh") else reg.r1_en
    first = re.split(r"[，；]" if r.locale.startswith("zh") else ";", text, maxsplit=1)[0]
    if first != text:
        first = r.plain("{text}…", text=first)
    quoted = r("<b>The regulation (R1)</b>: {text}", text=first)
    if authority.holds(person, *POLICY_VIEWERS):
        quoted += "\n" + r("The whole clause is shown in /policy.")
    return quoted


@typed_button(LanguageButton.unpack, gated=False)  # first contact: before admission (R4)
async def choose_language(
    update: Update, ctx: Ctx, b: LanguageButton, user: User, r: Renderer
) -> str | None:
    """1lg:set: a tap on 中文 / English: save the choice and greet in that language."""
    person = await people.set_locale(ctx.deps, tg_user(user), b.locale)
    r = Renderer(b.locale, ctx.deps.zone)
    await edit_or_send(update, welcome(r, person, ctx.deps), None)
    return r("Language saved.")


@ungated_command
async def language(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/language: offer both languages."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "language")
        return
    await reply(message, r("Choose your language."), language_rows())


@reading_command
async def help_command(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/help: what this person can do, by role; an inspector in office, what they may read."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    inspection = await inspectors.in_office(ctx.deps, user.id)
    try:
        person = await people.identify(ctx.deps, tg_user(user), private=True)
    except NotAllowed:
        if inspection is None:
            raise
        await reply(message, inspector_help(r, inspection))  # R7: reading, nothing else
        return
    text = help_text(r, person)
    if person.active:  # one who left is told that alone
        text += "\n\n" + r1_opening(r, ctx.deps.policy, person)
    if inspection is not None:
        text += "\n\n" + inspector_help(r, inspection)
    await reply(message, text)
