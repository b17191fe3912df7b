"""Recording a case in the accountability register (C1–C12), or a correction of one.

Steps: person concerned (picked a page at a time) → clause → facts (references to incidents and
events linked) → grade → measures (marked, then Done) → decision date → summary (Save, or tap a
field to change it). Back on every step, /cancel anywhere; kept as a draft in SQL, so a restart
resumes it. A correction starts at the summary, prefilled from the entry it corrects.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Message, Update, User

from bot import examples
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import InvalidInput, StaleButton
from bot.i18n import N_
from bot.people import service as people
from bot.register import service as register
from bot.register.rules import CLAUSES, MEASURES, Grade
from handlers import callback_data as cd
from handlers import replay
from handlers.accountability_render import (
    FIELD_NAMES,
    case_card,
    clause_label,
    grade_name,
    measure_name,
    measures_text,
    references,
    summary,
)
from handlers.answers import Takes, typed, wrong_kind
from handlers.common import cd_rows, draft_in, edit_or_send, nav_row, show_step, tg_user
from handlers.steps import day_pressed, day_row, day_typed, marked, people_rows, toggle
from render.renderer import Renderer

FLOW = "register"
STEPS = ("person", "clause", "facts", "grade", "measures", "date", "summary")
_KEPT = {"facts": "facts", "date": "decided_on"}  # steps with a Keep button: their answer
QUESTION_FACTS = N_(
    "What are the facts? Describe them in a message. Name incidents or events by their "
    "reference, such as INC-2026-0003 or EVT-2026-0012, to link them."
)
GONE = N_("This entry is no longer being filled in. Send /register to start.")


def _b(action: str, *args: object) -> str:
    return cd.encode("rg", action, *args)


async def begin(update: Update, ctx: Ctx, r: Renderer, user: User) -> None:
    """The register's Record a case: the first question, in place of the register's page."""
    me = await register.require_keeper(ctx.deps, tg_user(user))
    state = DraftState(FLOW, "person", {"measures": []})
    await drafts.save(ctx.deps, me.id, state)
    await _ask(update, ctx, r, user, state, edit=True)


async def begin_correction(update: Update, ctx: Ctx, r: Renderer, user: User, case_id: int) -> None:
    """An entry's Correct this entry: its summary, each field ready to be changed."""
    me = await register.require_keeper(ctx.deps, tg_user(user))
    old = await register.to_correct(ctx.deps, tg_user(user), case_id)
    f = old.facts
    state = DraftState(
        FLOW,
        "summary",
        {
            "corrects": old.id,
            "person": old.person_id,
            "person_name": old.person,
            "clause": old.clause,
            "facts": f.text,
            "incidents": f.incidents,
            "events": f.events,
            "missing": f.missing,
            "grade": old.grade,
            "measures": old.measures,
            "decided_on": old.decided_on.isoformat(),
        },
    )
    await drafts.save(ctx.deps, me.id, state)
    await _ask(update, ctx, r, user, state, edit=True)


async def _ask(
    update: Update, ctx: Ctx, r: Renderer, user: User, state: DraftState, edit: bool, note: str = ""
) -> None:
    d, step = state.data, state.step
    rows: cd_rows
    if step == "person":
        text = r("Whom does the case concern? Choose the person.")
        rows = await people_rows(ctx, r, user, d, "rg", {d["person"]} if "person" in d else set())
    elif step == "clause":
        text = r("Which situation of the regulation applies (C1–C12)?")
        rows = [[(marked(clause_label(r, c), c == d.get("clause")), _b("cl", c))] for c in CLAUSES]
    elif step == "facts":
        text = r(QUESTION_FACTS)
        rows = [[(r.plain("Keep the facts as written"), _b("k"))]] if d.get("facts") else []
    elif step == "grade":
        text = r("How serious is the case, by the regulation's grades?")
        rows = [[(marked(grade_name(r, g), g == d.get("grade")), _b("g", g))] for g in Grade]
    elif step == "measures":
        text, rows = _measures(r, d)
    elif step == "date":
        text = r(
            "On which day was it decided? Choose, or type a date such as {example}.",
            example=examples.day(ctx.deps.clock.now(), ctx.deps.zone),
        )
        rows = [day_row(r, "rg")]
        if d.get("decided_on"):
            day = r.t.date(date.fromisoformat(d["decided_on"]))
            rows.append([(r.plain("Keep: {date}", date=day), _b("k"))])
    else:
        text = summary(r, d) + "\n\n" + r("Save it, or tap a field to change it.")
        fields = [(r.plain(FIELD_NAMES[f]), _b("f", f)) for f in STEPS[:-1]]
        rows = [[(r.plain("Save"), _b("ok"))], fields[:3], fields[3:]]
    rows.append(nav_row(r, "rg"))
    await show_step(update, "\n\n".join(t for t in (note, text) if t), rows, edit)


def _measures(r: Renderer, d: dict[str, Any]) -> tuple[str, cd_rows]:
    chosen = d.get("measures", [])
    lines = [r("Which measures were decided? They may be combined. Tap to mark, then Done.")]
    rows: cd_rows = []
    for grade in Grade:
        codes = [code for code, g in MEASURES.items() if g == grade]
        lines.append(
            r("{grade}: {measures}", grade=grade_name(r, grade), measures=measures_text(r, codes))
        )
        buttons = [(marked(measure_name(r, c), c in chosen), _b("m", c)) for c in codes]
        rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([(r.plain("Done"), _b("md"))])
    return "\n".join(lines), rows


def _next(state: DraftState) -> None:
    """Move on; after changing one field go straight back to the summary."""
    if state.data.pop("editing", False):
        state.step = "summary"
    else:
        state.step = STEPS[STEPS.index(state.step) + 1]


async def on_button(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """The buttons of the conversation (the caller checked the presser keeps the register)."""
    person_id, state = await draft_in(ctx, user, FLOW, GONE)
    if state.replayed:  # handled again after a crash: show the step, apply nothing twice
        await _ask(update, ctx, r, user, state, edit=True)
        return None
    d, step, arg = state.data, state.step, data.args[0] if data.args else ""
    if data.action == "x":
        await drafts.clear(ctx.deps, user.id)
        await edit_or_send(update, r("Cancelled. Nothing was recorded."), None)
        return None
    if data.action == "ok" and step == "summary":
        return await _save(update, ctx, r, user, d)
    if data.action == "b":
        state.step = "summary" if d.pop("editing", False) else STEPS[max(0, STEPS.index(step) - 1)]
    elif data.action == "f" and step == "summary" and arg in STEPS[:-1]:
        state.step, d["editing"] = arg, True
    elif data.action == "a" and step == "person" and arg.isdigit():
        person = await people.find_person(ctx.deps, person_id=int(arg))
        d["person"], d["person_name"] = person.id, person.name
        _next(state)
    elif data.action == "p" and step == "person" and arg.isdigit():
        d["page"] = int(arg)
    elif data.action == "cl" and step == "clause" and arg in CLAUSES:
        d["clause"] = arg
        _next(state)
    elif data.action == "k" and step in _KEPT and d.get(_KEPT[step]):
        _next(state)
    elif data.action == "g" and step == "grade" and arg in set(Grade):
        d["grade"] = arg
        _next(state)
    elif data.action == "m" and step == "measures" and arg in MEASURES:
        toggle(d.setdefault("measures", []), arg)
    elif data.action == "md" and step == "measures":
        if not d.get("measures"):
            raise InvalidInput(N_("Choose at least one of the measures the regulation provides."))
        _next(state)
    elif data.action == "d" and step == "date" and arg in ("0", "1"):
        d["decided_on"] = day_pressed(ctx, arg).isoformat()
        _next(state)
    else:
        raise StaleButton()
    await drafts.save(ctx.deps, person_id, state)
    await _ask(update, ctx, r, user, state, edit=True)
    return None


async def _save(update: Update, ctx: Ctx, r: Renderer, user: User, d: dict[str, Any]) -> str:
    draft = register.CaseDraft(
        person_id=int(d["person"]),
        clause=d["clause"],
        facts=d["facts"],
        grade=d["grade"],
        measures=list(d["measures"]),
        decided_on=date.fromisoformat(d["decided_on"]),
        corrects_id=d.get("corrects"),
    )
    case, _ = await register.record_case(ctx.deps, tg_user(user), draft)
    done = r("Recorded as entry #{id}.", id=case.id)
    await edit_or_send(
        update,
        f"<b>{done}</b>\n\n{case_card(r, case)}",
        [[(r.plain("Open the register"), _b("l", 0))]],
    )
    return done


def takes(state: DraftState) -> Takes:
    """What the step takes as an answer: the facts are typed, the date typed or chosen."""
    return {"facts": Takes.TEXT, "date": Takes.TEXT_OR_BUTTONS}.get(state.step, Takes.BUTTONS)


async def on_message(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """Text while a case is being recorded: the facts, or a typed decision date."""
    if state.replayed:  # handled again after a crash: show the step, apply nothing twice
        await replay.ask_again(ctx, state, _ask(update, ctx, r, user, state, edit=False))
        return
    me = await register.require_keeper(ctx.deps, tg_user(user))
    d, note = state.data, ""
    if state.step == "facts" and message.text is not None:
        facts = await register.check_facts(ctx.deps, tg_user(user), message.text)
        d["facts"], d["incidents"], d["events"] = facts.text, facts.incidents, facts.events
        d["missing"] = facts.missing
        note = "\n".join(references(r, facts))
        _next(state)
    elif state.step == "date" and message.text is not None:
        decided_on = day_typed(ctx, typed(message))
        register.check_decided_on(ctx.deps, decided_on)
        d["decided_on"] = decided_on.isoformat()
        _next(state)
    else:
        raise wrong_kind(takes(state))
    await drafts.save(ctx.deps, me.id, state)
    await _ask(update, ctx, r, user, state, edit=False, note=note)
