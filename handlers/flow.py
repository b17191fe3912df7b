"""One engine for every guided conversation: a `Flow` declares its steps, the engine does the rest.

A step asks (its text and buttons), and takes a typed answer (`on_text`), a press of one of its
buttons (`on_button`) or files (`files`, the draft's list they go to). The engine gives every
conversation the same Back and Cancel, the summary with Submit and Edit a field, the answer to a
message of the wrong kind (handlers/answers.py), the draft kept in SQL after every answer
(rule 6), and the replay after a crash: an answer handled again shows its step and applies
nothing twice (handlers/replay.py). The text router (handlers/text.py) is built from the
declared flows. The parts a flow is declared with are in handlers/flow_step.py.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Message, Update, User
from telegram.ext import CallbackQueryHandler

from bot.buttons.flows import FlowButton, Nav
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import StaleButton
from bot.i18n import N_
from handlers import replay
from handlers.answers import Takes, wrong_kind
from handlers.attachments import add_attachment
from handlers.common import draft_in, edit_or_send, reply, typed_button
from handlers.flow_step import NEXT, SUMMARY, Go, Question, Step, Turn
from render.renderer import Renderer

Check = Callable[[Ctx, User, bool], Awaitable[None]]  # before every answer; True for a press


@dataclass(frozen=True)
class Flow:
    """A guided conversation, declared: its steps, its summary and what submitting does."""

    name: str  # the draft's flow
    domain: str  # its buttons' domain on the wire
    steps: tuple[Step, ...]
    summary: Callable[[Turn], Awaitable[str]]
    submit: Callable[[Turn], Awaitable[str | None]]  # the toast, as a button callback's
    gone: str  # a msgid: a button of this flow with no such draft open
    cancelled: str  # a msgid: what Cancel leaves in place of the question
    submit_label: str = N_("Submit")
    edit: str = "menu"  # "menu": Edit a field; "inline": the fields on the summary; "": none
    check: Check | None = None  # authority that must still hold at every answer
    # Back on the first step: the page the flow was opened from, its draft dropped (without
    # it, the first step has Cancel alone).
    leave: Callable[[Turn], Awaitable[None]] | None = None

    def step(self, name: str) -> Step:
        """The step called `name`."""
        return self._steps[name]

    @functools.cached_property
    def _steps(self) -> dict[str, Step]:
        return {s.name: s for s in self.steps}

    def order(self, data: dict[str, Any]) -> list[str]:
        """The steps asked, in order, for these answers; the summary last."""
        return [s.name for s in self.steps if not s.back_to and s.applies(data)] + [SUMMARY]

    @property
    def media(self) -> bool:
        """Whether some step takes files (the text router gives it every message)."""
        return any(s.files for s in self.steps)

    def takes(self, state: DraftState) -> Takes:
        """What the draft's step takes as an answer."""
        if state.step == SUMMARY:
            return Takes.BUTTONS
        return self.step(state.step).what_it_takes(state.data)

    def pattern(self) -> str:
        """The regex of this flow's buttons, for its one CallbackQueryHandler."""
        return FlowButton.pattern(self.domain, self._codes)

    @functools.cached_property
    def _codes(self) -> frozenset[str]:
        return frozenset({n.value for n in Nav} | {s.code for s in self.steps if s.code})

    def handler(self) -> CallbackQueryHandler[Any, Any]:
        """The one callback of every button of this flow, registered by its pattern."""
        unpack = functools.partial(FlowButton.unpack, domain=self.domain, codes=self._codes)
        return CallbackQueryHandler(typed_button(unpack)(self.on_button), pattern=self.pattern())

    async def begin(
        self, update: Update, ctx: Ctx, r: Renderer, person_id: int, state: DraftState
    ) -> None:
        """Start the flow (or take it up again) at `state`, as the person's draft."""
        await drafts.save(ctx.deps, person_id, state)
        await self.ask(update, ctx, r, state, edit=False)

    async def ask(
        self, update: Update, ctx: Ctx, r: Renderer, state: DraftState, edit: bool
    ) -> None:
        """Show the draft's step: in place of the pressed message, or as a new message."""
        assert update.effective_user is not None
        await self._show(Turn(self, update, ctx, update.effective_user, r, state), edit)

    async def _show(self, turn: Turn, edit: bool) -> None:
        text, rows = await self._question(turn)
        text = "\n\n".join(t for t in (turn.note, text) if t)
        if edit:
            await edit_or_send(turn.update, text, rows)
        elif turn.update.effective_message is not None:
            await reply(turn.update.effective_message, text, rows)

    async def on_button(
        self, update: Update, ctx: Ctx, b: FlowButton, user: User, r: Renderer
    ) -> str | None:
        """Every press of this flow: the engine's own buttons, or the step's."""
        if self.check is not None:
            await self.check(ctx, user, True)
        _, state = await draft_in(ctx, user, self.name, self.gone)
        turn = Turn(self, update, ctx, user, r, state)
        if not state.replayed:  # handled again after a crash: show the step, apply nothing
            done, toast = await self._pressed(turn, b)
            if done:
                return toast
            await turn.save()
        await self._show(turn, edit=True)
        return None

    async def on_message(
        self, update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
    ) -> None:
        """A typed answer, or files, to the draft's step (from the text router)."""
        turn = Turn(self, update, ctx, user, r, state)
        if state.replayed:  # handled again after a crash: show the step, apply nothing twice
            await replay.ask_again(ctx, state, self._show(turn, edit=False))
            return
        if self.check is not None:
            await self.check(ctx, user, False)
        step = self.step(state.step) if state.step != SUMMARY else None
        if step is not None and step.files and (message.photo or message.document):
            await add_attachment(ctx, message, r, state.data.setdefault(step.files, []))
        elif step is not None and step.on_text is not None and message.text is not None:
            self.go(turn, await step.on_text(turn, message.text))
        else:
            raise wrong_kind(self.takes(state))
        await turn.save()
        await self._show(turn, edit=False)

    def go(self, turn: Turn, go: Go) -> None:
        """Move the draft as a step's answer says."""
        state, data = turn.state, turn.data
        if go is None:
            return
        if go != NEXT:
            state.step = go
        elif data.pop("editing", False):
            state.step = SUMMARY
        else:
            order = self.order(data)
            state.step = order[order.index(state.step) + 1]
            while state.step in data.get("prefilled", []):  # known from where it started
                state.step = order[order.index(state.step) + 1]

    def back(self, turn: Turn) -> None:
        """Back: within the step, to the summary from a field being changed, or one step."""
        state, data = turn.state, turn.data
        step = self.step(state.step) if state.step != SUMMARY else None
        if step is not None and step.back is not None and step.back(turn):
            return
        if data.pop("editing", False):
            state.step = SUMMARY
        elif step is not None and step.back_to:
            state.step = step.back_to
        else:
            order = self.order(data)
            if state.step not in order:
                raise StaleButton()
            state.step = order[max(0, order.index(state.step) - 1)]

    # --- what the person sees --------------------------------------------------------------
    async def _question(self, turn: Turn) -> Question:
        """The step's question with Back and Cancel (Cancel alone on the first), or the
        summary."""
        r, step = turn.r, turn.state.step
        cancel = turn.nav(Nav.CANCEL, r.plain("Cancel"))
        back = [turn.nav(Nav.BACK, r.plain("‹ Back")), cancel]
        if step == SUMMARY:
            text, submit = (
                await self.summary(turn),
                [turn.nav(Nav.SUBMIT, r.plain(self.submit_label))],
            )
            if self.edit == "menu":
                return text, [submit, [turn.nav(Nav.EDIT, r.plain("Edit a field")), cancel]]
            fields = [turn.nav(Nav.FIELD, r.plain(s.field), s.name) for s in self._fields(turn)]
            return text, [submit, *(f for f in (fields[:3], fields[3:]) if f), back]
        text, rows = await self.step(step).ask(turn)
        return text, [*rows, [cancel] if self._first(turn) and not self.leave else back]

    def _first(self, turn: Turn) -> bool:
        return self.order(turn.data)[0] == turn.state.step

    def _fields(self, turn: Turn) -> list[Step]:
        order = self.order(turn.data) if self.edit else []
        return [s for s in self.steps if s.field and s.name in order]

    async def _field_menu(self, turn: Turn) -> None:
        r = turn.r
        rows = [[turn.nav(Nav.FIELD, r.plain(s.field), s.name)] for s in self._fields(turn)]
        rows.append(
            [
                turn.nav(Nav.SUMMARY, r.plain("‹ Back to the summary")),
                turn.nav(Nav.CANCEL, r.plain("Cancel")),
            ]
        )
        await edit_or_send(turn.update, r("Which field do you want to change?"), rows)

    # --- what a press does -----------------------------------------------------------------
    async def _pressed(self, turn: Turn, b: FlowButton) -> tuple[bool, str | None]:
        """Apply a press; (True, toast) when it answered by itself, else the step is shown."""
        state, at_summary = turn.state, turn.state.step == SUMMARY
        if b.code == Nav.CANCEL:
            await drafts.clear(turn.ctx.deps, turn.user.id)
            await edit_or_send(turn.update, turn.r(self.cancelled), None)
            return True, None
        if b.code == Nav.SUBMIT and at_summary:
            return True, await self.submit(turn)
        if b.code == Nav.EDIT and at_summary and self.edit == "menu":
            await self._field_menu(turn)
            return True, None
        if b.code == Nav.BACK and self.leave is not None and self._first(turn):
            await drafts.clear(turn.ctx.deps, turn.user.id)
            await self.leave(turn)
            return True, None
        if b.code == Nav.BACK:
            self.back(turn)
        elif b.code == Nav.FIELD and at_summary and b.value in {s.name for s in self._fields(turn)}:
            self._change(turn, self.step(b.value))
        elif not (b.code == Nav.SUMMARY and at_summary):
            step = None if at_summary else self.step(state.step)
            if step is None or step.code != b.code or step.on_button is None:
                raise StaleButton()  # a button of another step: an older question's
            self.go(turn, await step.on_button(turn, b.value, b.extra))
        return False, None

    def _change(self, turn: Turn, step: Step) -> None:
        """A field chosen from the summary: its step, and back to the summary after it."""
        turn.state.step, turn.data["editing"] = step.name, step.returns
        if step.on_edit is not None:
            step.on_edit(turn.data)
