"""/meeting: record a meeting that was held, which closes its obligation (A2, R2, R3, A3).

Steps: kind → date → (quarterly review) each area's conclusion, or Not discussed and why →
(study session) which materials were studied → (analysis) which sensitive date → subject →
attendees (picked from members) → minutes or photos → summary (Save). The engine
(handlers/flow.py) gives Back, Cancel, the draft in SQL and the crash replay.
"""

from __future__ import annotations

from datetime import date

from telegram import Message, Update, User

from bot import examples
from bot.calendar import meetings
from bot.calendar.meetings import MeetingDraft
from bot.calendar.models import KIND_CODES, MeetingKind
from bot.context import Ctx
from bot.drafts.service import DraftState
from bot.errors import StaleButton
from bot.freetext import clean
from bot.i18n import N_
from bot.people import service as people
from handlers import record
from handlers.answers import Takes, line
from handlers.common import cd_rows, command, edit_or_send, is_private, private_only, tg_user
from handlers.flow import Flow
from handlers.flow_step import NEXT, Go, Question, Step, Turn, choice_step, text_step
from handlers.meeting_steps import AREAS, SENSITIVE, STUDIED
from handlers.steps import day_pressed, day_row, day_typed, people_rows, toggle, turn_page
from render.calendar import kind_name
from render.meeting import summary
from render.renderer import Renderer

FLOW = "meeting"


async def _ask_date(turn: Turn) -> Question:
    deps = turn.ctx.deps
    text = turn.r(
        "When was it held? Choose, or type a date such as {example}.",
        example=examples.day(deps.clock.now(), deps.zone),
    )
    return text, [day_row(turn)]


async def _on_day_pressed(turn: Turn, days_back: str, _: str) -> Go:
    turn.data["held_on"] = day_pressed(turn.ctx, days_back).isoformat()
    return NEXT


async def _on_day_typed(turn: Turn, text: str) -> Go:
    held_on = day_typed(turn.ctx, line(text))
    meetings.check_held_on(turn.ctx.deps, held_on, turn.ctx.deps.clock.now())
    turn.data["held_on"] = held_on.isoformat()
    return NEXT


async def _ask_attendees(turn: Turn) -> Question:
    r, chosen = turn.r, set(turn.data.get("attendees", []))
    rows: cd_rows = await people_rows(turn, chosen)
    rows.append([turn.button(r.plain("Done"), "ok")])
    text = (
        r("Who attended? Tap names to mark them, then Done.")
        + "\n"
        + r.plural("{n} person marked.", "{n} people marked.", len(chosen))
    )
    return text, rows


async def _on_attendee(turn: Turn, value: str, extra: str) -> Go:
    if value == "ok":
        return NEXT
    if turn_page(turn, value, extra):
        return None
    if not value.isdigit():
        raise StaleButton()
    toggle(turn.data.setdefault("attendees", []), int(value))
    return None


async def _ask_files(turn: Turn) -> Question:
    r, d = turn.r, turn.data
    text = r(
        "Send the minutes as text, or as files or photos, then press Done. With "
        "none, press Done now."
    )
    if d.get("notes"):
        text += "\n" + r("Typed minutes received.")
    if count := len(d.get("files", [])):
        text += "\n" + r.plural("{n} file received.", "{n} files received.", count)
    return text, [[turn.button(r.plain("Done"))]]


async def _on_minutes(turn: Turn, text: str) -> Go:
    """The minutes typed, not scanned: each message adds to them."""
    minutes = "\n".join(filter(None, (turn.data.get("notes"), text)))
    turn.data["notes"] = clean("minutes", minutes, turn.ctx.deps.policy)
    return None


async def _files_done(turn: Turn, _: str, __: str) -> Go:
    return NEXT


async def _summary(turn: Turn) -> str:
    return summary(turn.r, turn.data)


async def _save(turn: Turn) -> str:
    """Save: the meeting is recorded, which closes its obligation (R2, R3, A2, A3)."""
    d, r, ctx = turn.data, turn.r, turn.ctx
    sensitive = d.get("sensitive")
    answers: dict[str, dict[str, str]] = d.get("answers", {})
    draft = MeetingDraft(
        kind=MeetingKind(d["kind"]),
        held_on=date.fromisoformat(d["held_on"]),
        title=d.get("subject", ""),
        topics=list(d.get("topics", [])),
        sensitive_key=sensitive[0] if sensitive else None,
        sensitive_on=date.fromisoformat(sensitive[1]) if sensitive else None,
        attendee_ids=list(d.get("attendees", [])),
        files=[(f["file_id"], f["kind"], f.get("name") or "") for f in d.get("files", [])],
        notes=d.get("notes", ""),
        conclusions={k: a["conclusion"] for k, a in answers.items() if "conclusion" in a},
        not_discussed={k: a["not_discussed"] for k, a in answers.items() if "not_discussed" in a},
        studied=list(d.get("studied", [])),
    )
    recorded = await meetings.record_meeting(ctx.deps, tg_user(turn.user), draft)
    done = r(
        "<b>Recorded as {ref}.</b> Its reminders stop; the ledger shows it under clause {clause}.",
        ref=recorded.ref,
        clause=meetings.clause_of(recorded),
    )
    if draft.not_discussed:  # A2: held, incomplete: the quarter stays open for those areas
        done = r(
            "<b>Recorded as {ref}, held, incomplete.</b> The areas without a conclusion stay "
            "open: the reminders continue for them until the quarter ends, and the ledger does "
            "not count the quarter as met until they are recorded.",
            ref=recorded.ref,
        )
    text = summary(r, d) + "\n\n" + done
    # R7: the whole record, as /record shows it (and /find finds it by its reference).
    await edit_or_send(turn.update, text, [[record.details(r, recorded.ref, "mtg", recorded.id)]])
    return r.plain("Recorded.")


MEETING = Flow(
    name=FLOW,
    domain="mt",
    steps=(
        choice_step("kind", N_("Which meeting was held?"), KIND_CODES, kind_name, code="k"),
        Step(
            "date",
            _ask_date,
            code="d",
            on_button=_on_day_pressed,
            on_text=_on_day_typed,
            takes=Takes.TEXT_OR_BUTTONS,
        ),
        AREAS,
        STUDIED,
        SENSITIVE,
        text_step("subject", N_("What was it about? Send a title or a short description.")),
        Step("attendees", _ask_attendees, code="a", on_button=_on_attendee),
        Step(
            "files",
            _ask_files,
            code="fd",
            on_button=_files_done,
            on_text=_on_minutes,
            files="files",
            takes=Takes.ANY,
        ),
    ),
    summary=_summary,
    submit=_save,
    submit_label=N_("Save"),
    edit="",
    gone=N_("This record is no longer being filled in. Send /meeting to start."),
    cancelled=N_("Cancelled. Nothing was recorded."),
)
ask = MEETING.ask  # the draft's step again (Continue it, handlers/draft_guard.py)


@command
async def meeting(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/meeting: record a meeting (secretary, deputy, office)."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "meeting")
        return
    await begin(update, ctx, r, user)


async def begin(update: Update, ctx: Ctx, r: Renderer, user: User, code: str = "") -> None:
    """The first question; the deep link /start meeting-qr (a reminder's Record it) skips it."""
    me = await people.identify(ctx.deps, tg_user(user), private=True)
    meetings.check_recorder(me)
    state = DraftState(FLOW, "kind", {"files": [], "attendees": []})
    state.data["no_materials"] = not ctx.deps.policy.regulation.study_materials
    if code in KIND_CODES:
        state.data["kind"], state.step = KIND_CODES[code], "date"
    await MEETING.begin(update, ctx, r, me.id, state)
