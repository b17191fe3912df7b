"""/event: an event request as a guided conversation (R6), kept as a draft in SQL.

Steps: type → title → organiser → date and time → venue → audience → speakers (one per
message, then Done) → outline → the explicit confirmation that the speakers were vetted →
attachments → summary (Submit / Edit a field / Cancel). A request sent back for changes reopens
here at the summary. The engine (handlers/flow.py) gives Back, Cancel and the crash replay.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from telegram import Update, User

from bot import examples
from bot.buttons import EventAction, EventButton
from bot.context import Ctx
from bot.drafts.service import DraftState
from bot.errors import InvalidInput, StaleButton
from bot.events import resubmit as resubmission
from bot.events import service as events
from bot.events.draft import EventDraft, check_date
from bot.freetext import clean
from bot.i18n import N_
from bot.incidents.rules import parse_moment
from bot.people import directory
from bot.people import service as people
from handlers.answers import Takes, line
from handlers.common import edit_and_answer, tg_user
from handlers.flow import Flow
from handlers.flow_step import NEXT, Go, Question, Step, Turn, choice_step, files_step, text_step
from render.event import request_summary, type_name
from render.renderer import Renderer

FLOW = "event"
TYPE_CODES = {"rm": "report_meeting", "se": "seminar", "le": "lecture", "fo": "forum"}
SPEAKER = re.compile(r"^\s*(?P<name>[^,，、;；]+?)\s*[,，、;；]\s*(?P<aff>.+?)\s*$")


async def _ask_organiser(turn: Turn) -> Question:
    r = turn.r
    rows = [
        [turn.button(r.plain("I organise it myself"), "me")],
        [turn.button(r.plain("Someone else (by @username)"), "else")],
    ]
    return r("Who organises it? Whoever organises is responsible (R6)."), rows


async def _on_organiser(turn: Turn, choice: str, _: str) -> Go:
    if choice == "else":
        return "organiser_name"
    if choice != "me":
        raise StaleButton()
    turn.data.pop("organiser", None)
    turn.data.pop("organiser_name", None)
    return NEXT


async def _ask_organiser_name(turn: Turn) -> Question:
    return turn.r("Send the organiser's @username. They will be asked to confirm."), []


async def _on_organiser_name(turn: Turn, text: str) -> Go:
    """R6: whoever organises is responsible; nobody who left is named (the service refuses it
    too)."""
    username = line(text)
    if not username:
        raise InvalidInput(N_("Send the organiser's @username. They will be asked to confirm."))
    person = await directory.find_person(turn.ctx.deps, username=username.split()[0], member=True)
    if not person.active:
        raise InvalidInput(
            N_(
                "{name} is no longer a member and cannot organise it. Name somebody else, or "
                "organise it yourself."
            ),
            name=person.name,
        )
    if person.id == turn.state.person_id:
        turn.data.pop("organiser", None)
    else:
        turn.data["organiser"], turn.data["organiser_name"] = person.id, person.name
    turn.state.step = "organiser"
    return NEXT


async def _ask_date(turn: Turn) -> Question:
    deps = turn.ctx.deps
    example = examples.upcoming(deps.clock.now(), deps.zone)
    return turn.r(
        "When will it take place? Write the date and time, e.g. {example}.", example=example
    ), []


async def _on_date(turn: Turn, text: str) -> Go:
    deps = turn.ctx.deps
    moment, precision = parse_moment(line(text), deps.clock.now(), deps.zone)
    if precision != "minute":
        raise InvalidInput(
            N_("Please include the time too, e.g. {example}."),
            example=examples.upcoming(deps.clock.now(), deps.zone),
        )
    check_date(deps, moment, deps.clock.now())
    turn.data["date"] = moment.isoformat()
    return NEXT


async def _ask_audience(turn: Turn) -> Question:
    return turn.r("How many people are expected? Send a number."), []


async def _on_audience(turn: Turn, text: str) -> Go:
    most = turn.ctx.deps.policy.events.max_audience
    digits = line(text).replace(",", "").replace("，", "")
    # isdecimal: int() reads every decimal digit (１２０ too), but not ² or ①
    if not (digits.isdecimal() and len(digits) < 10) or not 1 <= int(digits) <= most:
        raise InvalidInput(
            N_("Please give the expected audience as a number from 1 to {max}."), max=most
        )
    turn.data["audience"] = int(digits)
    return NEXT


async def _ask_speakers(turn: Turn) -> Question:
    r, speakers = turn.r, turn.data.get("speakers", [])
    text = r("Send each speaker as “name, affiliation”, one per message; then press Done.")
    if not speakers:
        return text, []
    count = r.plural("{n} speaker so far.", "{n} speakers so far.", len(speakers))
    return text + "\n" + count, [[turn.button(r.plain("Done"))]]


async def _on_speaker(turn: Turn, text: str) -> Go:
    policy = turn.ctx.deps.policy
    match = SPEAKER.match(line(text))
    if match is None:
        raise InvalidInput(N_("Please write the speaker as “name, affiliation”."))
    speakers = turn.data.setdefault("speakers", [])
    if len(speakers) >= policy.events.max_speakers:
        raise InvalidInput(
            N_("An event needs between 1 and {max} speakers."), max=policy.events.max_speakers
        )
    name = clean("speaker_name", match["name"], policy)
    speakers.append(
        {"name": name, "affiliation": clean("speaker_affiliation", match["aff"], policy)}
    )
    return None


async def _speakers_done(turn: Turn, _: str, __: str) -> Go:
    if not turn.data.get("speakers"):
        raise StaleButton()
    return NEXT


def _speakers_takes(data: dict[str, Any]) -> Takes:
    """Done joins the speakers' step once there is one."""
    return Takes.TEXT_OR_BUTTONS if data.get("speakers") else Takes.TEXT


def _speakers_again(data: dict[str, Any]) -> None:
    data["speakers"] = []


async def _ask_vetted(turn: Turn) -> Question:
    # R6: no speaker with clearly deviant political leanings may be invited.
    text = turn.r(
        "Please confirm: the speakers have been vetted, and none has clearly deviant "
        "political leanings (R6)."
    )
    return text, [[turn.button(turn.r.plain("I confirm"))]]


async def _on_vetted(turn: Turn, _: str, __: str) -> Go:
    turn.data["vetted"] = True
    return NEXT


async def _summary(turn: Turn) -> str:
    deps = turn.ctx.deps
    return request_summary(turn.r, turn.data, deps.policy.events.lead_days, deps.clock.now())


def to_draft(d: dict[str, Any]) -> EventDraft:
    """The request's answers as the service takes them (R6)."""
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


async def _submit(turn: Turn) -> str | None:
    d, r, ctx, user = turn.data, turn.r, turn.ctx, turn.user
    if d.get("resubmit"):
        result = await resubmission.resubmit(
            ctx.deps, tg_user(user), int(d["resubmit"]), to_draft(d)
        )
    else:
        result = await events.submit(ctx.deps, tg_user(user), to_draft(d))
    lead = ctx.deps.policy.events.lead_days
    text = (
        request_summary(r, d, lead, ctx.deps.clock.now())
        + "\n\n"
        + r(
            "Submitted as <b>{ref}</b> for approval. You can withdraw it until it is decided.",
            ref=result.ref,
        )
    )
    rows = [[(r.plain("Withdraw"), EventButton(EventAction.WITHDRAW, result.id, 0).pack())]]
    return await edit_and_answer(turn.update, text, rows, r("Submitted as {ref}.", ref=result.ref))


REQUEST = Flow(
    name=FLOW,
    domain="ee",
    steps=(
        choice_step(
            "type", N_("Which kind of event do you want approved?"), TYPE_CODES, type_name, code="t"
        ),
        text_step("title", N_("What is the title of the event?"), N_("Title")),
        Step("organiser", _ask_organiser, code="o", on_button=_on_organiser, field=N_("Organiser")),
        Step(
            "organiser_name",
            _ask_organiser_name,
            on_text=_on_organiser_name,
            takes=Takes.TEXT,
            back_to="organiser",
        ),
        Step("date", _ask_date, on_text=_on_date, takes=Takes.TEXT, field=N_("Date and time")),
        text_step("venue", N_("Where will it take place?"), N_("Venue")),
        Step(
            "audience",
            _ask_audience,
            on_text=_on_audience,
            takes=Takes.TEXT,
            field=N_("Expected audience"),
        ),
        Step(
            "speakers",
            _ask_speakers,
            code="d",
            on_text=_on_speaker,
            on_button=_speakers_done,
            takes=_speakers_takes,
            field=N_("Speakers"),
            on_edit=_speakers_again,
        ),
        text_step("outline", N_("Send an outline of the topics."), N_("Outline")),
        Step("vetted", _ask_vetted, code="v", on_button=_on_vetted),
        files_step(
            "attach",
            N_(
                "Send the programme, speakers' CVs or other documents if you have any, then "
                "press Done; with none, press Done now."
            ),
        ),
    ),
    summary=_summary,
    submit=_submit,
    gone=N_("This request is no longer being filled in. Send /event to start."),
    cancelled=N_("The request was cancelled. Nothing was sent."),
)
ask = REQUEST.ask  # the draft's step again (Continue it, handlers/draft_guard.py)


async def start_new(update: Update, ctx: Ctx, r: Renderer, user: User) -> None:
    """A fresh request; also reached by the deep link /start event."""
    await begin(update, ctx, r, user, DraftState(FLOW, "type", {"speakers": []}))


async def begin(update: Update, ctx: Ctx, r: Renderer, user: User, state: DraftState) -> None:
    """The request's conversation at `state`: a fresh one, or one sent back for changes."""
    me = await people.member(ctx.deps, tg_user(user))
    await REQUEST.begin(update, ctx, r, me.id, state)
