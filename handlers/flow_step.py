"""The parts a guided conversation is declared with (handlers/flow.py runs them): its steps,
and the turn, one answer to it.

What a step's handler returns (`Go`): None to stay and ask the step again, NEXT to move on (to
the summary when a field was being changed), or the name of the step to go to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import Update, User

from bot.buttons.flows import FlowButton, Nav
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import StaleButton
from bot.freetext import clean
from handlers.answers import Takes
from handlers.common import cd_rows
from render.renderer import Renderer

if TYPE_CHECKING:
    from handlers.flow import Flow

SUMMARY = "summary"  # the step every flow ends at: what was answered, and Submit
NEXT = "\0next"
Go = str | None
Question = tuple[str, cd_rows]  # what a step asks: its text and its buttons (Back, Cancel added)


def _always(data: dict[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One question of a flow. `code` names its buttons on the wire (unique in the flow)."""

    name: str
    ask: Callable[[Turn], Awaitable[Question]]
    code: str = ""
    on_text: Callable[[Turn, str], Awaitable[Go]] | None = None
    on_button: Callable[[Turn, str, str], Awaitable[Go]] | None = None
    files: str = ""  # the draft's list the files sent at this step go to
    takes: Takes | Callable[[dict[str, Any]], Takes] = Takes.BUTTONS
    field: str = ""  # a msgid: the step can be changed from the summary, under this name
    applies: Callable[[dict[str, Any]], bool] = _always  # asked only when this holds
    back_to: str = ""  # a step aside, out of the sequence: the step Back returns to
    back: Callable[[Turn], bool] | None = None  # Back within the step; True when it moved
    on_edit: Callable[[dict[str, Any]], None] | None = None  # chosen from the summary
    returns: bool = True  # chosen from the summary, its answer goes back to the summary

    def what_it_takes(self, data: dict[str, Any]) -> Takes:
        """What the step takes as an answer now (Back and Cancel do not count)."""
        return self.takes(data) if callable(self.takes) else self.takes


@dataclass
class Turn:
    """One answer to a flow: who gave it, where, and the draft it changes."""

    flow: Flow
    update: Update
    ctx: Ctx
    user: User
    r: Renderer
    state: DraftState
    note: str = ""  # said above the next question (what the answer linked, say)

    @property
    def data(self) -> dict[str, Any]:
        """The draft's answers so far."""
        return self.state.data

    def button(self, label: str, value: object = "", extra: object = "") -> tuple[str, str]:
        """A button of the current step, carrying `value` (and `extra`) to its on_button."""
        code = self.flow.step(self.state.step).code
        return label, FlowButton(self.flow.domain, code, str(value), str(extra)).pack()

    def nav(self, action: Nav, label: str, value: str = "") -> tuple[str, str]:
        """One of the engine's buttons (Back, Cancel, Submit …)."""
        return label, FlowButton(self.flow.domain, action.value, value).pack()

    async def save(self) -> None:
        """Keep the draft as it stands (before refusing an answer that undoes part of it)."""
        assert self.state.person_id is not None
        await drafts.save(self.ctx.deps, self.state.person_id, self.state)


def text_step(name: str, question: str, field: str = "") -> Step:
    """A step answered by a typed text, kept cleaned by the step's name (bot.freetext's
    field of that name gives its limits); `question` is its msgid."""

    async def ask_it(turn: Turn) -> Question:
        return turn.r(question), []

    async def on_text(turn: Turn, text: str) -> Go:
        turn.data[name] = clean(name, text, turn.ctx.deps.policy)
        return NEXT

    return Step(name, ask_it, on_text=on_text, takes=Takes.TEXT, field=field)


def files_step(name: str, question: str, kept: str = "attachments") -> Step:
    """A step that takes photos and documents into the draft's `kept` list, then Done;
    `question` is its msgid. Its one button is `a`, Done."""

    async def ask_it(turn: Turn) -> Question:
        r, count = turn.r, len(turn.data.get(kept, []))
        text = r(question)
        if count:
            text += "\n" + r.plural("{n} file received.", "{n} files received.", count)
        return text, [[turn.button(r.plain("Done"))]]

    async def done(turn: Turn, _: str, __: str) -> Go:
        return NEXT

    return Step(name, ask_it, code="a", on_button=done, files=kept, takes=Takes.FILES_OR_BUTTONS)


def choice_step(
    name: str,
    question: str,
    choices: Mapping[str, Any],
    label: Callable[[Renderer, Any], str],
    *,
    code: str,
    one_row: bool = False,
    marked: bool = False,
    then: Callable[[dict[str, Any]], None] | None = None,
    **more: Any,
) -> Step:
    """A step answered by one of `choices` (the wire's code → the value kept under the step's
    name), one button each, labelled by `label`; `marked`: the value kept is marked ✓ (a
    field changed from the summary); `then`: what the choice changes besides. `question` is
    its msgid; `more` are the Step's other fields."""

    async def ask_it(turn: Turn) -> Question:
        kept = turn.data.get(name) if marked else None
        buttons = [
            turn.button(("✓ " if v == kept and kept is not None else "") + label(turn.r, v), c)
            for c, v in choices.items()
        ]
        return turn.r(question), [buttons] if one_row else [[b] for b in buttons]

    async def on_button(turn: Turn, chosen: str, _: str) -> Go:
        if chosen not in choices:
            raise StaleButton()  # forged, or of a policy that changed
        turn.data[name] = choices[chosen]
        if then is not None:
            then(turn.data)
        return NEXT

    return Step(name, ask_it, code=code, on_button=on_button, **more)
