"""A text answer handled again after a crash (bot.inbox) shows the step the draft is at, once.

The answer was saved before the crash; whether its next question reached the person before
the process died cannot be known. So the question is sent again, and this copy is remembered
in the draft. The person may answer either copy: a press on the earlier one (likely, when it
did arrive and they pressed it while the bot was down) shows the next step there and deletes
this copy, which would otherwise be the newest message asking a step the draft has left.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from contextvars import ContextVar

from telegram import Bot, Message
from telegram.error import TelegramError

from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState

log = logging.getLogger(__name__)

COPY = "_copy"  # in a draft's data: the message id of a question sent again by a replay
# The message id of the last question `reply` sent in this update (read by `ask_again`).
_SENT: ContextVar[int | None] = ContextVar("dutydesk_replay_sent", default=None)
# A copy to delete once the press being handled has been applied (set by `take_copy`).
_STALE: ContextVar[int | None] = ContextVar("dutydesk_replay_stale", default=None)


def sent(message_id: int) -> None:
    """Note the question `reply` just sent in this update (`ask_again` keeps it as the copy)."""
    _SENT.set(message_id)


async def ask_again(ctx: Ctx, state: DraftState, ask: Awaitable[object]) -> None:
    """Show the draft's step again as a new message (`ask`) and remember that copy."""
    _SENT.set(None)
    await ask
    copy = _SENT.get()
    if copy is not None and state.person_id is not None:
        state.data[COPY] = copy
        await drafts.save(ctx.deps, state.person_id, state)


def take_copy(state: DraftState) -> None:
    """A press or text on a draft with a copy: the copy goes from the draft (the step the
    answer makes is saved without it); for a press, `tidy` then deals with the message."""
    copy = state.data.pop(COPY, None)
    if isinstance(copy, int):
        _STALE.set(copy)


async def tidy(bot: Bot, pressed: Message | None, applied: bool) -> None:
    """After a press: delete the copy `take_copy` found, when the press was applied and came
    from another message (a press on the copy itself leaves it, showing the next step)."""
    copy = _STALE.get()
    _STALE.set(None)  # handlers run in one task, one update after another
    if copy is None or not applied or pressed is None or pressed.message_id == copy:
        return
    try:
        await bot.delete_message(pressed.chat_id, copy)
    except TelegramError as exc:  # gone already, or too old to delete: nothing to tidy
        log.info("could not delete the replayed question %s: %s", copy, exc)
