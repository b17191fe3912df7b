"""Every conversation that takes typed answers in the private chat, declared in one place: the
text router (handlers/text.py) is built from this list, and `handlers.register` registers the
buttons of each guided conversation (handlers/flow.py) from it.

A guided conversation is a `Flow`. A `Prompt` is a conversation of one typed answer (a reason,
a committee's name, the ledger's dates) asked by a button of a card; it has no steps of its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from telegram import Message, Update, User

from bot.context import Ctx
from bot.drafts.service import DraftState
from handlers import (
    accountability_flow,
    admission,
    event,
    event_cards,
    growth,
    incidents,
    ledger,
    meeting,
    roles,
)
from handlers.answers import Takes
from handlers.flow import Flow
from handlers.report import REPORT
from render.renderer import Renderer

OnMessage = Callable[[Update, Ctx, Message, User, Renderer, DraftState], Awaitable[None]]


class Conversation(Protocol):
    """What the text router needs of a conversation."""

    @property
    def name(self) -> str: ...  # the draft's flow

    @property
    def media(self) -> bool: ...  # it takes files: every message goes to it

    def takes(self, state: DraftState) -> Takes: ...

    async def on_message(
        self, update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, s: DraftState
    ) -> None: ...


@dataclass(frozen=True)
class Prompt:
    """A conversation of one typed answer, or of a few handled by one function."""

    name: str
    handle: OnMessage
    media: bool = False
    step_takes: Callable[[DraftState], Takes] | None = None

    def takes(self, state: DraftState) -> Takes:
        """What its step takes: a typed text, unless it says otherwise."""
        return self.step_takes(state) if self.step_takes is not None else Takes.TEXT

    async def on_message(
        self, update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, s: DraftState
    ) -> None:
        """The typed answer (or file) to its step."""
        await self.handle(update, ctx, message, user, r, s)


FLOWS: tuple[Flow, ...] = (REPORT, event.REQUEST, meeting.MEETING, accountability_flow.CASE)
PROMPTS: tuple[Prompt, ...] = (
    Prompt(roles.FLOW_COMMITTEE, roles.on_committee_name),
    Prompt(admission.FLOW_REFUSE, admission.on_reason),
    Prompt(incidents.FLOW_UPDATE, incidents.on_text_step),
    Prompt(incidents.FLOW_UPWARD, incidents.on_text_step),
    Prompt(incidents.FLOW_CLOSE, incidents.on_text_step),
    Prompt(growth.FLOW_ADD, growth.on_message, media=True),
    Prompt(growth.FLOW_SEVERITY, growth.on_message),
    Prompt(growth.FLOW_REOPEN, growth.on_message),
    Prompt(event_cards.FLOW_NOTE, event_cards.on_text_step),
    Prompt(event_cards.FLOW_FILING, event_cards.on_text_step),
    Prompt(ledger.FLOW, ledger.on_dates),
)
ROUTES: dict[str, Conversation] = {f.name: f for f in FLOWS} | {p.name: p for p in PROMPTS}
