"""/meeting: record a meeting that was held, which closes its obligation (A2, R2, R3, A3).

Steps: kind → date → (quarterly review) each area's conclusion, or Not discussed and why →
(analysis) which sensitive date → subject → attendees (picked from members) → minutes or
photos → summary (Save). Back on every step, /cancel anywhere; kept as a draft in SQL, so a
restart resumes it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from telegram import Message, Update, User

from bot import examples
from bot.calendar import meetings
from bot.calendar.meetings import MeetingDraft
from bot.calendar.models import KIND_CODES, MeetingKind
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import InvalidInput, StaleButton
from bot.freetext import clean
from bot.i18n import N_
from bot.people import service as people
from handlers import callback_data as cd
from handlers import record, replay
from handlers.answers import Takes, typed, wrong_kind
from handlers.common import (
    button,
    cd_rows,
    command,
    draft_in,
    edit_or_send,
    is_private,
    nav_row,
    private_only,
    show_step,
    tg_user,
)
from handlers.report import add_attachment
from handlers.steps import day_pressed, day_row, day_typed, marked, people_rows, toggle
from render.calendar import kind_name, named
from render.meeting import summary
from render.renderer import Renderer

FLOW = "meeting"
STEPS = (
    "kind",
    "date",
    "areas",
    "studied",
    "sensitive",
    "subject",
    "attendees",
    "files",
    "summary",
)
# What each step takes as an answer (the others take buttons).
TAKES = {
    "date": Takes.TEXT_OR_BUTTONS,
    "areas": Takes.TEXT_OR_BUTTONS,
    "subject": Takes.TEXT,
    "studied": Takes.TEXT_OR_BUTTONS,
    "files": Takes.ANY,
}
AHEAD = timedelta(days=60)  # sensitive dates offered: those within two months of the meeting


def _b(action: str, *args: object) -> str:
    return cd.encode("mt", action, *args)


def _nav(r: Renderer) -> list[tuple[str, str]]:
    return nav_row(r, "mt")


def _steps(data: dict[str, Any]) -> list[str]:
    kind = data.get("kind")
    skip = set()
    if kind != MeetingKind.QUARTERLY_REVIEW:
        skip.add("areas")
    if kind != MeetingKind.FORWARD_ANALYSIS:
        skip.add("sensitive")
    if kind != MeetingKind.STUDY or data.get("no_materials"):
        skip.add("studied")
    return [s for s in STEPS if s not in skip]


def _sensitive_options(ctx: Ctx, held_on: date) -> list[tuple[str, date, dict[str, str]]]:
    options = []
    for item in ctx.deps.policy.calendar.sensitive_dates.dates:
        for year in (held_on.year, held_on.year + 1):
            on = item.day_in(year)
            if on is not None and held_on <= on <= held_on + AHEAD:
                options.append((item.key, on, {"name": item.name, "name_en": item.name_en}))
    return sorted(options, key=lambda o: o[1])


async def ask(update: Update, ctx: Ctx, r: Renderer, state: DraftState, edit: bool) -> None:
    d, user = state.data, update.effective_user
    assert user is not None
    rows: list[list[tuple[str, str]]]
    if state.step == "kind":
        text = r("Which meeting was held?")
        rows = [[(kind_name(r, k), _b("k", c))] for c, k in KIND_CODES.items()]
        rows.append([(r.plain("Cancel"), _b("x"))])
    elif state.step == "date":
        text = r(
            "When was it held? Choose, or type a date such as {example}.",
            example=examples.day(ctx.deps.clock.now(), ctx.deps.zone),
        )
        rows = [day_row(r, "mt"), _nav(r)]
    elif state.step == "areas":
        text, rows = _area_question(ctx, r, d)
    elif state.step == "studied":  # R3; R8, P4 through the materials' clauses
        text = r(
            "Which of the policy's study materials were studied (R8, P4)? Tap to mark, "
            "then Done; with none of them, press Done now."
        )
        chosen = d.get("studied", [])
        rows = [
            [(marked(m.name_in(r.locale), m.key in chosen), _b("m", m.key))]
            for m in ctx.deps.policy.regulation.study_materials
        ]
        rows += [[(r.plain("Done"), _b("md"))], _nav(r)]
    elif state.step == "sensitive":
        text = r("Which sensitive date did the analysis prepare for (A3)?")
        held_on = date.fromisoformat(d["held_on"])
        rows = [
            [(f"{named(r, n)} · {r.t.date(on)}", _b("s", key, on.isoformat()))]
            for key, on, n in _sensitive_options(ctx, held_on)
        ]
        rows += [[(r.plain("None: an ad-hoc analysis"), _b("s", "-"))], _nav(r)]
    elif state.step == "subject":
        text, rows = r("What was it about? Send a title or a short description."), [_nav(r)]
    elif state.step == "attendees":
        text, rows = await _attendees(ctx, r, user, d)
    elif state.step == "files":
        text = r(
            "Send the minutes as text, or as files or photos, then press Done. With "
            "none, press Done now."
        )
        count = len(d.get("files", []))
        if d.get("notes"):
            text += "\n" + r("Typed minutes received.")
        if count:
            text += "\n" + r.plural("{n} file received.", "{n} files received.", count)
        rows = [[(r.plain("Done"), _b("fd"))], _nav(r)]
    else:
        text = summary(r, d)
        rows = [[(r.plain("Save"), _b("ok"))], _nav(r)]
    await show_step(update, text, rows, edit)


def _area_question(ctx: Ctx, r: Renderer, d: dict[str, Any]) -> tuple[str, cd_rows]:
    """A2: one area at a time, its conclusion typed, or Not discussed and then the reason."""
    topics = ctx.deps.policy.calendar.quarterly_review.topics
    area = topics[int(d.get("area", 0))]
    if d.get("why"):
        text = r("Why was “{area}” not discussed? Send the reason.", area=area.name_in(r.locale))
        return text, [_nav(r)]
    text = r(
        "Area {i} of {n} (A2): <b>{area}</b>\nSend the conclusion the review reached on it, or "
        "press “Not discussed”.",
        i=int(d.get("area", 0)) + 1,
        n=len(topics),
        area=area.name_in(r.locale),
    )
    return text, [[(r.plain("Not discussed"), _b("nd"))], _nav(r)]


def _answer_area(ctx: Ctx, d: dict[str, Any], text: str) -> bool:
    """Keep the typed conclusion or reason for the current area; True once all are answered."""
    topics = ctx.deps.policy.calendar.quarterly_review.topics
    i = int(d.get("area", 0))
    key = topics[i].key
    answers = d.setdefault("answers", {})
    if d.pop("why", False):
        answers[key] = {"not_discussed": clean("reason", text, ctx.deps.policy)}
    else:
        answers[key] = {"conclusion": clean("conclusion", text, ctx.deps.policy)}
    d["answers_named"] = [[t.name, t.name_en, answers[t.key]] for t in topics if t.key in answers]
    d["area"] = i + 1
    if i + 1 < len(topics):
        return False
    d["area"] = i  # Back from the next step returns to the last area
    return True


async def _attendees(
    ctx: Ctx, r: Renderer, user: User, d: dict[str, Any]
) -> tuple[str, list[list[tuple[str, str]]]]:
    chosen = set(d.get("attendees", []))
    rows = await people_rows(ctx, r, user, d, "mt", chosen)
    rows += [[(r.plain("Done"), _b("ad"))], _nav(r)]
    text = (
        r("Who attended? Tap names to mark them, then Done.")
        + "\n"
        + r.plural("{n} person marked.", "{n} people marked.", len(chosen))
    )
    return text, rows


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
    await drafts.save(ctx.deps, me.id, state)
    await ask(update, ctx, r, state, edit=False)


def _next(state: DraftState) -> None:
    order = _steps(state.data)
    state.step = order[order.index(state.step) + 1]


@button
async def on_button(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """Every button of the /meeting conversation."""
    person_id, state = await draft_in(
        ctx, user, FLOW, N_("This record is no longer being filled in. Send /meeting to start.")
    )
    if state.replayed:  # handled again after a crash: show the step, apply nothing twice
        await ask(update, ctx, r, state, edit=True)
        return None
    d, a = state.data, data.args
    arg = a[0] if a else ""
    order = _steps(d)
    if data.action == "x":
        await drafts.clear(ctx.deps, user.id)
        await edit_or_send(update, r("Cancelled. Nothing was recorded."), None)
        return None
    if data.action == "ok" and state.step == "summary":
        return await _save(update, ctx, r, user, d)
    if data.action == "b" and state.step == "areas" and (d.get("why") or d.get("area")):
        if not d.pop("why", False):  # Back within the areas: the previous one again
            d["area"] = int(d["area"]) - 1
    elif data.action == "b" and state.step in order:
        state.step = order[max(0, order.index(state.step) - 1)]
    elif data.action == "k" and state.step == "kind" and arg in KIND_CODES:
        d["kind"] = KIND_CODES[arg]
        _next(state)
    elif data.action == "d" and state.step == "date" and arg in ("0", "1"):
        d["held_on"] = day_pressed(ctx, arg).isoformat()
        _next(state)
    elif data.action == "nd" and state.step == "areas" and not d.get("why"):
        d["why"] = True
    elif data.action == "m" and state.step == "studied":
        materials = {m.key: m for m in ctx.deps.policy.regulation.study_materials}
        if arg not in materials:
            raise StaleButton()
        chosen = toggle(d.setdefault("studied", []), arg)
        d["studied_named"] = [[materials[k].name, materials[k].name_en] for k in chosen]
    elif data.action == "md" and state.step == "studied":
        _next(state)
    elif data.action == "s" and state.step == "sensitive":
        options = {
            (k, on.isoformat()): n
            for k, on, n in _sensitive_options(ctx, date.fromisoformat(d["held_on"]))
        }
        if arg == "-":
            d.pop("sensitive", None)
            d.pop("sensitive_name", None)
        elif len(a) == 2 and (arg, a[1]) in options:
            d["sensitive"], d["sensitive_name"] = [arg, a[1]], options[(arg, a[1])]
        else:
            raise StaleButton()
        _next(state)
    elif data.action == "a" and state.step == "attendees" and arg.isdigit():
        toggle(d.setdefault("attendees", []), int(arg))
    elif data.action == "p" and state.step == "attendees" and arg.isdigit():
        d["page"] = int(arg)
    elif (data.action, state.step) in (("ad", "attendees"), ("fd", "files")):
        _next(state)
    else:
        raise StaleButton()
    await drafts.save(ctx.deps, person_id, state)
    await ask(update, ctx, r, state, edit=True)
    return None


async def _check_areas(ctx: Ctx, person_id: int, state: DraftState) -> None:
    """A2: a review reaches a conclusion on at least one area; with none it was not one, and
    the areas start again (kept, so the next answer is the first area's)."""
    d = state.data
    if not any("conclusion" in a for a in d.get("answers", {}).values()):
        d["area"], d["answers"], d["answers_named"] = 0, {}, []
        await drafts.save(ctx.deps, person_id, state)
        raise InvalidInput(
            N_(
                "A quarterly review reaches a conclusion on at least one area. "
                "Please start the areas again from the first."
            )
        )


async def _save(update: Update, ctx: Ctx, r: Renderer, user: User, d: dict[str, Any]) -> str:
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
    recorded = await meetings.record_meeting(ctx.deps, tg_user(user), draft)
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
    await edit_or_send(update, text, [[record.details(r, recorded.ref, "mtg", recorded.id)]])
    return r.plain("Recorded.")


async def on_message(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """Text or files while a meeting is being recorded."""
    if state.replayed:  # handled again after a crash: show the step, apply nothing twice
        await replay.ask_again(ctx, state, ask(update, ctx, r, state, edit=False))
        return
    me = await people.identify(ctx.deps, tg_user(user), private=True)
    if state.step == "files" and (message.photo or message.document):
        await add_attachment(ctx, message, r, state.data.setdefault("files", []))
    elif state.step == "date" and message.text is not None:
        held_on = day_typed(ctx, typed(message))
        meetings.check_held_on(ctx.deps, held_on, ctx.deps.clock.now())
        state.data["held_on"] = held_on.isoformat()
        _next(state)
    elif state.step == "areas" and message.text is not None:
        if _answer_area(ctx, state.data, message.text):
            await _check_areas(ctx, me.id, state)
            _next(state)
    elif state.step in ("studied", "subject") and message.text is not None:
        # At the materials step a typed line is the subject: none of the materials was named.
        state.data["subject"] = clean("subject", message.text, ctx.deps.policy)
        state.step = "subject"
        _next(state)
    elif state.step == "files" and message.text is not None:  # minutes typed, not scanned
        minutes = "\n".join(filter(None, (state.data.get("notes"), message.text)))
        state.data["notes"] = clean("minutes", minutes, ctx.deps.policy)
    else:
        raise wrong_kind(TAKES.get(state.step, Takes.BUTTONS))
    await drafts.save(ctx.deps, me.id, state)
    await ask(update, ctx, r, state, edit=False)
