"""Recording a case in the accountability register (C1–C12), or a correction of one.

Steps: person concerned (picked a page at a time) → clause → facts (references to incidents and
events linked) → grade → measures (marked, then Done) → decision date → summary (Save, or tap a
field to change it). The engine (handlers/flow.py) gives Back, Cancel, the draft in SQL and the
crash replay; the keeper's authority is checked again at every answer. A correction starts at
the summary, prefilled from the entry it corrects.
"""

from __future__ import annotations

from datetime import date

from telegram import Update, User

from bot import examples
from bot.buttons.register import RegisterAction, RegisterButton
from bot.context import Ctx
from bot.drafts.service import DraftState
from bot.errors import InvalidInput, StaleButton, UnknownCommand
from bot.i18n import N_
from bot.people import directory
from bot.register import service as register
from bot.register.rules import CLAUSES, MEASURES, Grade
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
from handlers.answers import Takes, line
from handlers.common import cd_rows, edit_or_send, tg_user
from handlers.flow import Flow
from handlers.flow_step import NEXT, Go, Question, Step, Turn, choice_step
from handlers.steps import (
    day_pressed,
    day_row,
    day_typed,
    marked,
    people_rows,
    toggle,
    turn_page,
)
from render.renderer import Renderer

FLOW = "register"
QUESTION_FACTS = N_(
    "What are the facts? Describe them in a message. Name incidents or events by their "
    "reference, such as INC-2026-0003 or EVT-2026-0012, to link them."
)
KEEP = "k"  # the value of a Keep button: the answer given before stays
GONE = N_("This entry is no longer being filled in. Send /register to start.")


async def _keeper(ctx: Ctx, user: User, pressed: bool) -> None:
    """C: only the register's keepers record cases, and only while they keep it; to anyone
    else a button of it means nothing (stale), a typed answer what an unknown command gets."""
    try:
        await register.require_keeper(ctx.deps, tg_user(user))
    except UnknownCommand:
        if pressed:
            raise StaleButton() from None
        raise


async def _to_the_register(turn: Turn) -> None:
    """Back from the first question: the register's page it was opened from."""
    from handlers.accountability import show_page  # the register's page opens this flow

    await show_page(turn.update, turn.ctx, turn.r, turn.user, 0)


async def _ask_person(turn: Turn) -> Question:
    chosen = {turn.data["person"]} if "person" in turn.data else set()
    return turn.r("Whom does the case concern? Choose the person."), await people_rows(turn, chosen)


async def _on_person(turn: Turn, value: str, extra: str) -> Go:
    if turn_page(turn, value, extra):
        return None
    if not value.isdigit():
        raise StaleButton()
    person = await directory.find_person(turn.ctx.deps, person_id=int(value))
    turn.data["person"], turn.data["person_name"] = person.id, person.name
    return NEXT


async def _ask_facts(turn: Turn) -> Question:
    keep = [[turn.button(turn.r.plain("Keep the facts as written"), KEEP)]]
    return turn.r(QUESTION_FACTS), keep if turn.data.get("facts") else []


async def _on_facts(turn: Turn, text: str) -> Go:
    """The facts, and the incidents and events they name by reference, linked (C)."""
    facts = await register.check_facts(turn.ctx.deps, tg_user(turn.user), text)
    d = turn.data
    d["facts"], d["incidents"], d["events"] = facts.text, facts.incidents, facts.events
    d["missing"] = facts.missing
    turn.note = "\n".join(references(turn.r, facts))
    return NEXT


async def _keep_facts(turn: Turn, value: str, _: str) -> Go:
    if value != KEEP or not turn.data.get("facts"):
        raise StaleButton()
    return NEXT


async def _ask_measures(turn: Turn) -> Question:
    r, d = turn.r, turn.data
    chosen = d.get("measures", [])
    lines = [r("Which measures were decided? They may be combined. Tap to mark, then Done.")]
    rows: cd_rows = []
    for grade in Grade:
        codes = [code for code, g in MEASURES.items() if g == grade]
        lines.append(
            r("{grade}: {measures}", grade=grade_name(r, grade), measures=measures_text(r, codes))
        )
        buttons = [turn.button(marked(measure_name(r, c), c in chosen), c) for c in codes]
        rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([turn.button(r.plain("Done"))])
    return "\n".join(lines), rows


async def _on_measure(turn: Turn, code: str, _: str) -> Go:
    if code:
        if code not in MEASURES:
            raise StaleButton()
        toggle(turn.data.setdefault("measures", []), code)
        return None
    if not turn.data.get("measures"):  # Done
        raise InvalidInput(N_("Choose at least one of the measures the regulation provides."))
    return NEXT


async def _ask_date(turn: Turn) -> Question:
    r, deps, decided_on = turn.r, turn.ctx.deps, turn.data.get("decided_on")
    text = r(
        "On which day was it decided? Choose, or type a date such as {example}.",
        example=examples.day(deps.clock.now(), deps.zone),
    )
    rows = [day_row(turn)]
    if decided_on:
        day = r.t.date(date.fromisoformat(decided_on))
        rows.append([turn.button(r.plain("Keep: {date}", date=day), KEEP)])
    return text, rows


async def _on_date_pressed(turn: Turn, value: str, _: str) -> Go:
    if value == KEEP and turn.data.get("decided_on"):
        return NEXT
    turn.data["decided_on"] = day_pressed(turn.ctx, value).isoformat()
    return NEXT


async def _on_date_typed(turn: Turn, text: str) -> Go:
    decided_on = day_typed(turn.ctx, line(text))
    register.check_decided_on(turn.ctx.deps, decided_on)
    turn.data["decided_on"] = decided_on.isoformat()
    return NEXT


async def _summary(turn: Turn) -> str:
    return summary(turn.r, turn.data) + "\n\n" + turn.r("Save it, or tap a field to change it.")


async def _save(turn: Turn) -> str:
    """Save: the case goes into the register (C1–C12), or corrects the entry it was made from."""
    d, r, ctx, user = turn.data, turn.r, turn.ctx, turn.user
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
        turn.update,
        f"<b>{done}</b>\n\n{case_card(r, case)}",
        [[(r.plain("Open the register"), RegisterButton(RegisterAction.PAGE).pack())]],
    )
    return done


CASE = Flow(
    name=FLOW,
    domain="rg",
    steps=(
        Step("person", _ask_person, code="a", on_button=_on_person, field=FIELD_NAMES["person"]),
        choice_step(
            "clause",
            N_("Which situation of the regulation applies (C1–C12)?"),
            {c: c for c in CLAUSES},
            clause_label,
            code="cl",
            marked=True,
            field=FIELD_NAMES["clause"],
        ),
        Step(
            "facts",
            _ask_facts,
            code="fa",
            on_text=_on_facts,
            on_button=_keep_facts,
            takes=Takes.TEXT,
            field=FIELD_NAMES["facts"],
        ),
        choice_step(
            "grade",
            N_("How serious is the case, by the regulation's grades?"),
            {g.value: g.value for g in Grade},
            grade_name,
            code="g",
            marked=True,
            field=FIELD_NAMES["grade"],
        ),
        Step(
            "measures",
            _ask_measures,
            code="m",
            on_button=_on_measure,
            field=FIELD_NAMES["measures"],
        ),
        Step(
            "date",
            _ask_date,
            code="d",
            on_button=_on_date_pressed,
            on_text=_on_date_typed,
            takes=Takes.TEXT_OR_BUTTONS,
            field=FIELD_NAMES["date"],
        ),
    ),
    summary=_summary,
    submit=_save,
    submit_label=N_("Save"),
    edit="inline",
    check=_keeper,
    leave=_to_the_register,
    gone=GONE,
    cancelled=N_("Cancelled. Nothing was recorded."),
)


async def begin(update: Update, ctx: Ctx, r: Renderer, user: User) -> None:
    """The register's Record a case: the first question, in place of the register's page."""
    me = await register.require_keeper(ctx.deps, tg_user(user))
    state = DraftState(FLOW, "person", {"measures": []})
    await CASE.begin(update, ctx, r, me.id, state, edit=True)


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
    await CASE.begin(update, ctx, r, me.id, state, edit=True)
