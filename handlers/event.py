"""/event: an event request as a guided conversation (R6), kept as a draft in SQL.

Steps: type → title → date and time → venue → audience → speakers (one per message, then
Done) → outline → the explicit confirmation that the speakers were vetted → summary (Submit /
Edit a field / Cancel). A request sent back for changes reopens here at the summary.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from telegram import Message, Update, User

from bot import examples
from bot.buttons import EventAction, EventButton
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import InvalidInput, StaleButton
from bot.events import resubmit as resubmission
from bot.events import service as events
from bot.events.draft import EventDraft, check_date
from bot.freetext import clean
from bot.i18n import N_
from bot.incidents.rules import parse_moment
from bot.people import service as people
from handlers import callback_data as cd
from handlers import replay
from handlers.answers import Takes, typed, wrong_kind
from handlers.common import (
    button,
    draft_in,
    edit_and_answer,
    edit_or_send,
    nav_row,
    show_step,
    tg_user,
)
from handlers.report import add_attachment
from render.event import speakers_text, type_name, when
from render.renderer import Renderer

FLOW = "event"
STEPS = (
    "type",
    "title",
    "organiser",
    "date",
    "venue",
    "audience",
    "speakers",
    "outline",
    "vetted",
    "attach",
    "summary",
)
TYPE_CODES = {"rm": "report_meeting", "se": "seminar", "le": "lecture", "fo": "forum"}
QUESTIONS = {
    "title": N_("What is the title of the event?"),
    "date": N_("When will it take place? Write the date and time, e.g. {example}."),
    "venue": N_("Where will it take place?"),
    "audience": N_("How many people are expected? Send a number."),
    "speakers": N_("Send each speaker as “name, affiliation”, one per message; then press Done."),
    "outline": N_("Send an outline of the topics."),
}
# What each step takes as an answer (the speakers' step: see _takes).
TAKES = {
    "title": Takes.TEXT,
    "organiser_name": Takes.TEXT,
    "date": Takes.TEXT,
    "venue": Takes.TEXT,
    "audience": Takes.TEXT,
    "outline": Takes.TEXT,
    "attach": Takes.FILES_OR_BUTTONS,
}
FIELDS = {
    "title": N_("Title"),
    "organiser": N_("Organiser"),
    "date": N_("Date and time"),
    "venue": N_("Venue"),
    "audience": N_("Expected audience"),
    "speakers": N_("Speakers"),
    "outline": N_("Outline"),
}


def _b(action: str, *args: object) -> str:
    return cd.encode("ee", action, *args)


def _nav(r: Renderer) -> list[tuple[str, str]]:
    return nav_row(r, "ee")


def summary(r: Renderer, d: dict[str, Any], lead_days: int, now: datetime) -> str:
    speakers = speakers_text(r, d.get("speakers", []))
    lines = [
        r("<b>Please check your request.</b>"),
        r("Type: {value}", value=type_name(r, d["type"])),
        r("Title: {text}", text=d["title"]),
        r("Organiser (responsible): {name}", name=d.get("organiser_name") or r.plain("you")),
        r("Date and time: {when}", when=when(r, d["date"])),
        r("Venue: {text}", text=d["venue"]),
        r("Expected audience: {n}", n=r.t.number(d["audience"])),
        r("Speakers: {text}", text=speakers),
        r("Outline: {text}", text=d["outline"]),
        r.plural("{n} attachment", "{n} attachments", len(d.get("attachments", []))),
    ]
    if (datetime.fromisoformat(d["date"]) - now).days < lead_days:
        lines.append(
            r.plural(
                "⚠ Less than {n} day ahead: the approver will see this warning.",
                "⚠ Less than {n} days ahead: the approver will see this warning.",
                lead_days,
            )
        )
    return "\n".join(lines)


async def ask(update: Update, ctx: Ctx, r: Renderer, state: DraftState, edit: bool) -> None:
    step, d = state.step, state.data
    rows: list[list[tuple[str, str]]] = [_nav(r)]
    if step == "type":
        text = r("Which kind of event do you want approved?")
        rows = [[(type_name(r, t), _b("t", c))] for c, t in TYPE_CODES.items()]
        rows.append([(r.plain("Cancel"), _b("x"))])
    elif step == "organiser":
        text = r("Who organises it? Whoever organises is responsible (R6).")
        rows = [
            [(r.plain("I organise it myself"), _b("o", "me"))],
            [(r.plain("Someone else (by @username)"), _b("o", "else"))],
            _nav(r),
        ]
    elif step == "organiser_name":
        text = r("Send the organiser's @username. They will be asked to confirm.")
    elif step == "speakers":
        text = r(QUESTIONS[step])
        if d.get("speakers"):
            text += "\n" + r.plural(
                "{n} speaker so far.", "{n} speakers so far.", len(d["speakers"])
            )
            rows = [[(r.plain("Done"), _b("d"))], _nav(r)]
    elif step == "vetted":
        # R6: no speaker with clearly deviant political leanings may be invited.
        text = r(
            "Please confirm: the speakers have been vetted, and none has clearly deviant "
            "political leanings (R6)."
        )
        rows = [[(r.plain("I confirm"), _b("v"))], _nav(r)]
    elif step == "attach":
        text = r(
            "Send the programme, speakers' CVs or other documents if you have any, then "
            "press Done; with none, press Done now."
        )
        count = len(d.get("attachments", []))
        if count:
            text += "\n" + r.plural("{n} file received.", "{n} files received.", count)
        rows = [[(r.plain("Done"), _b("a"))], _nav(r)]
    elif step == "summary":
        policy = ctx.deps.policy.events
        text = summary(r, d, policy.lead_days, ctx.deps.clock.now())
        rows = [
            [(r.plain("Submit"), _b("ok"))],
            [(r.plain("Edit a field"), _b("e")), (r.plain("Cancel"), _b("x"))],
        ]
    else:
        text = r(QUESTIONS[step], example=examples.upcoming(ctx.deps.clock.now(), ctx.deps.zone))
    await show_step(update, text, rows, edit)


def _next(state: DraftState) -> None:
    if state.data.pop("editing", False):
        state.step = "summary"
        return
    state.step = STEPS[STEPS.index(state.step) + 1]


async def start_new(update: Update, ctx: Ctx, r: Renderer, user: User) -> None:
    """A fresh request; also reached by the deep link /start event."""
    await begin(update, ctx, r, user, DraftState(FLOW, "type", {"speakers": []}))


async def begin(update: Update, ctx: Ctx, r: Renderer, user: User, state: DraftState) -> None:
    me = await people.member(ctx.deps, tg_user(user))
    await drafts.save(ctx.deps, me.id, state)
    await ask(update, ctx, r, state, edit=False)


async def _state(ctx: Ctx, user: User) -> tuple[int, DraftState]:
    return await draft_in(
        ctx, user, FLOW, N_("This request is no longer being filled in. Send /event to start.")
    )


@button
async def on_button(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """Every button of the request conversation."""
    person_id, state = await _state(ctx, user)
    if state.replayed:  # handled again after a crash: show the step, apply nothing twice
        await ask(update, ctx, r, state, edit=True)
        return None
    arg = data.args[0] if data.args else ""
    if data.action == "x":
        await drafts.clear(ctx.deps, user.id)
        await edit_or_send(update, r("The request was cancelled. Nothing was sent."), None)
        return None
    if data.action == "ok" and state.step == "summary":
        return await _submit(update, ctx, r, user, state)
    if data.action == "b" and state.step == "organiser_name":
        state.step = "organiser"
    elif data.action == "b" and state.step in STEPS:
        state.data.pop("editing", None)
        state.step = STEPS[max(0, STEPS.index(state.step) - 1)]
    elif data.action == "sm" and state.step == "summary":
        pass  # out of the field menu, back to the summary unchanged
    elif data.action == "e" and state.step == "summary":
        rows = [[(r.plain(name), _b("f", f))] for f, name in FIELDS.items()]
        rows.append([(r.plain("‹ Back to the summary"), _b("sm")), (r.plain("Cancel"), _b("x"))])
        await edit_or_send(update, r("Which field do you want to change?"), rows)
        return None
    elif data.action == "f" and arg in FIELDS:
        state.step, state.data["editing"] = arg, True
        if arg == "speakers":
            state.data["speakers"] = []
    elif data.action == "t" and state.step == "type" and arg in TYPE_CODES:
        state.data["type"] = TYPE_CODES[arg]
        _next(state)
    elif data.action == "o" and state.step == "organiser" and arg in ("me", "else"):
        if arg == "me":
            state.data.pop("organiser", None)
            state.data.pop("organiser_name", None)
            _next(state)
        else:
            state.step = "organiser_name"
    elif (data.action == "d" and state.step == "speakers" and state.data.get("speakers")) or (
        data.action == "a" and state.step == "attach"
    ):
        _next(state)
    elif data.action == "v" and state.step == "vetted":
        state.data["vetted"] = True
        _next(state)
    else:
        raise StaleButton()
    await drafts.save(ctx.deps, person_id, state)
    await ask(update, ctx, r, state, edit=True)
    return None


SPEAKER = re.compile(r"^\s*(?P<name>[^,，、;；]+?)\s*[,，、;；]\s*(?P<aff>.+?)\s*$")


async def on_message(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """A typed answer to the current step."""
    if state.replayed:  # handled again after a crash: show the step, apply nothing twice
        await replay.ask_again(ctx, state, ask(update, ctx, r, state, edit=False))
        return
    me = await people.identify(ctx.deps, tg_user(user), private=True)
    policy, step, d = ctx.deps.policy.events, state.step, state.data
    if step == "attach" and (message.photo or message.document):
        await add_attachment(ctx, message, r, d.setdefault("attachments", []))
        await drafts.save(ctx.deps, me.id, state)
        await ask(update, ctx, r, state, edit=False)
        return
    takes = _takes(state)
    if message.text is None or takes not in (Takes.TEXT, Takes.TEXT_OR_BUTTONS):
        raise wrong_kind(takes)
    text = typed(message)  # what is read, not kept: the kept fields are cleaned by their name
    if step in ("title", "venue", "outline"):
        d[step] = clean(step, message.text, ctx.deps.policy)
    elif step == "organiser_name":
        if not text:
            raise InvalidInput(N_("Send the organiser's @username. They will be asked to confirm."))
        person = await people.find_person(ctx.deps, username=text.split()[0], member=True)
        if not person.active:  # nobody who left is picked (the service refuses it too)
            raise InvalidInput(
                N_(
                    "{name} is no longer a member and cannot organise it. Name somebody else, or "
                    "organise it yourself."
                ),
                name=person.name,
            )
        if person.id == me.id:
            d.pop("organiser", None)
        else:
            d["organiser"], d["organiser_name"] = person.id, person.name
        state.step = "organiser"
    elif step == "date":
        moment, precision = parse_moment(text, ctx.deps.clock.now(), ctx.deps.zone)
        if precision != "minute":
            raise InvalidInput(
                N_("Please include the time too, e.g. {example}."),
                example=examples.upcoming(ctx.deps.clock.now(), ctx.deps.zone),
            )
        check_date(ctx.deps, moment, ctx.deps.clock.now())
        d["date"] = moment.isoformat()
    elif step == "audience":
        digits = text.replace(",", "").replace("，", "")
        # isdecimal: int() reads every decimal digit (１２０ too), but not ² or ①
        if not (digits.isdecimal() and len(digits) < 10) or not (
            1 <= int(digits) <= policy.max_audience
        ):
            raise InvalidInput(
                N_("Please give the expected audience as a number from 1 to {max}."),
                max=policy.max_audience,
            )
        d["audience"] = int(digits)
    elif step == "speakers":
        match = SPEAKER.match(text)
        if match is None:
            raise InvalidInput(N_("Please write the speaker as “name, affiliation”."))
        if len(d.get("speakers", [])) >= policy.max_speakers:
            raise InvalidInput(
                N_("An event needs between 1 and {max} speakers."), max=policy.max_speakers
            )
        d.setdefault("speakers", []).append(
            {
                "name": clean("speaker_name", match["name"], ctx.deps.policy),
                "affiliation": clean("speaker_affiliation", match["aff"], ctx.deps.policy),
            }
        )
        await drafts.save(ctx.deps, me.id, state)
        await ask(update, ctx, r, state, edit=False)
        return
    _next(state)
    await drafts.save(ctx.deps, me.id, state)
    await ask(update, ctx, r, state, edit=False)


def _takes(state: DraftState) -> Takes:
    """What the step takes: Done joins the speakers' step once there is one."""
    if state.step == "speakers":
        return Takes.TEXT_OR_BUTTONS if state.data.get("speakers") else Takes.TEXT
    return TAKES.get(state.step, Takes.BUTTONS)


def to_draft(d: dict[str, Any]) -> EventDraft:
    return EventDraft(
        event_type=d["type"],
        title=d["title"],
        starts_at=datetime.fromisoformat(d["date"]),
        venue=d["venue"],
        audience=int(d["audience"]),
        speakers=d["speakers"],
        outline=d["outline"],
        speakers_vetted=bool(d.get("vetted")),
        organiser_id=int(d["organiser"]) if d.get("organiser") else None,
        attachments=d.get("attachments", []),
    )


async def _submit(
    update: Update, ctx: Ctx, r: Renderer, user: User, state: DraftState
) -> str | None:
    d = state.data
    if d.get("resubmit"):
        result = await resubmission.resubmit(
            ctx.deps, tg_user(user), int(d["resubmit"]), to_draft(d)
        )
    else:
        result = await events.submit(ctx.deps, tg_user(user), to_draft(d))
    lead = ctx.deps.policy.events.lead_days
    text = (
        summary(r, d, lead, ctx.deps.clock.now())
        + "\n\n"
        + r(
            "Submitted as <b>{ref}</b> for approval. You can withdraw it until it is decided.",
            ref=result.ref,
        )
    )
    rows = [[(r.plain("Withdraw"), EventButton(EventAction.WITHDRAW, result.id, 0).pack())]]
    return await edit_and_answer(update, text, rows, r("Submitted as {ref}.", ref=result.ref))
