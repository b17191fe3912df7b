"""The steps of /meeting that only some meetings have: a quarterly review's areas (A2), a study
session's materials (R3, R8, P4) and an analysis's sensitive date (A3)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.calendar.models import MeetingKind
from bot.context import Ctx
from bot.errors import InvalidInput, StaleButton
from bot.freetext import clean
from bot.i18n import N_
from handlers.answers import Takes
from handlers.flow_step import NEXT, Go, Question, Step, Turn
from handlers.steps import marked, toggle
from render.calendar import named

AHEAD = timedelta(days=60)  # sensitive dates offered: those within two months of the meeting


def _is(kind: MeetingKind) -> Any:
    return lambda d: d.get("kind") == kind


def _sensitive_options(ctx: Ctx, held_on: date) -> list[tuple[str, date, dict[str, str]]]:
    options = []
    for item in ctx.deps.policy.calendar.sensitive_dates.dates:
        for year in (held_on.year, held_on.year + 1):
            on = item.day_in(year)
            if on is not None and held_on <= on <= held_on + AHEAD:
                options.append((item.key, on, {"name": item.name, "name_en": item.name_en}))
    return sorted(options, key=lambda o: o[1])


async def _ask_area(turn: Turn) -> Question:
    """A2: one area at a time, its conclusion typed, or Not discussed and then the reason."""
    r, d = turn.r, turn.data
    topics = turn.ctx.deps.policy.calendar.quarterly_review.topics
    area = topics[int(d.get("area", 0))]
    if d.get("why"):
        text = r("Why was “{area}” not discussed? Send the reason.", area=area.name_in(r.locale))
        return text, []
    text = r(
        "Area {i} of {n} (A2): <b>{area}</b>\nSend the conclusion the review reached on it, or "
        "press “Not discussed”.",
        i=int(d.get("area", 0)) + 1,
        n=len(topics),
        area=area.name_in(r.locale),
    )
    return text, [[turn.button(r.plain("Not discussed"))]]


async def _not_discussed(turn: Turn, _: str, __: str) -> Go:
    if turn.data.get("why"):
        raise StaleButton()
    turn.data["why"] = True
    return None


async def _on_area(turn: Turn, text: str) -> Go:
    if not _answer_area(turn.ctx, turn.data, text):
        return None
    await _check_areas(turn)
    return NEXT


def _area_back(turn: Turn) -> bool:
    """Back within the areas: out of the reason, or to the previous area."""
    d = turn.data
    if not (d.get("why") or d.get("area")):
        return False
    if not d.pop("why", False):
        d["area"] = int(d["area"]) - 1
    return True


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


async def _check_areas(turn: Turn) -> None:
    """A2: a review reaches a conclusion on at least one area; with none it was not one, and
    the areas start again (kept, so the next answer is the first area's)."""
    d = turn.data
    if not any("conclusion" in a for a in d.get("answers", {}).values()):
        d["area"], d["answers"], d["answers_named"] = 0, {}, []
        await turn.save()
        raise InvalidInput(
            N_(
                "A quarterly review reaches a conclusion on at least one area. "
                "Please start the areas again from the first."
            )
        )


async def _ask_studied(turn: Turn) -> Question:
    """R3; R8, P4 through the materials' clauses."""
    r, chosen = turn.r, turn.data.get("studied", [])
    text = r(
        "Which of the policy's study materials were studied (R8, P4)? Tap to mark, "
        "then Done; with none of them, press Done now."
    )
    rows = [
        [turn.button(marked(m.name_in(r.locale), m.key in chosen), m.key)]
        for m in turn.ctx.deps.policy.regulation.study_materials
    ]
    return text, [*rows, [turn.button(r.plain("Done"))]]


async def _on_studied(turn: Turn, key: str, _: str) -> Go:
    if not key:
        return NEXT  # Done
    materials = {m.key: m for m in turn.ctx.deps.policy.regulation.study_materials}
    if key not in materials:
        raise StaleButton()
    chosen = toggle(turn.data.setdefault("studied", []), key)
    turn.data["studied_named"] = [[materials[k].name, materials[k].name_en] for k in chosen]
    return None


async def _studied_typed(turn: Turn, text: str) -> Go:
    """At the materials step a typed line is the subject: none of the materials was named."""
    turn.data["subject"] = clean("subject", text, turn.ctx.deps.policy)
    turn.state.step = "subject"
    return NEXT


async def _ask_sensitive(turn: Turn) -> Question:
    r, held_on = turn.r, date.fromisoformat(turn.data["held_on"])
    rows = [
        [turn.button(f"{named(r, n)} · {r.t.date(on)}", key, on.isoformat())]
        for key, on, n in _sensitive_options(turn.ctx, held_on)
    ]
    rows.append([turn.button(r.plain("None: an ad-hoc analysis"), "-")])
    return r("Which sensitive date did the analysis prepare for (A3)?"), rows


async def _on_sensitive(turn: Turn, key: str, on: str) -> Go:
    d = turn.data
    options = {
        (k, day.isoformat()): n
        for k, day, n in _sensitive_options(turn.ctx, date.fromisoformat(d["held_on"]))
    }
    if key == "-":
        d.pop("sensitive", None)
        d.pop("sensitive_name", None)
    elif (key, on) in options:
        d["sensitive"], d["sensitive_name"] = [key, on], options[(key, on)]
    else:
        raise StaleButton()
    return NEXT


AREAS = Step(
    "areas",
    _ask_area,
    code="nd",
    on_button=_not_discussed,
    on_text=_on_area,
    takes=Takes.TEXT_OR_BUTTONS,
    applies=_is(MeetingKind.QUARTERLY_REVIEW),
    back=_area_back,
)

STUDIED = Step(
    "studied",
    _ask_studied,
    code="m",
    on_button=_on_studied,
    on_text=_studied_typed,
    takes=Takes.TEXT_OR_BUTTONS,
    applies=lambda d: d.get("kind") == MeetingKind.STUDY and not d.get("no_materials"),
)

SENSITIVE = Step(
    "sensitive",
    _ask_sensitive,
    code="s",
    on_button=_on_sensitive,
    applies=_is(MeetingKind.FORWARD_ANALYSIS),
)
