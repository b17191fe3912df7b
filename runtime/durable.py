"""An answer Telegram did not take (a 429 too long to wait for, a 5xx, a connection closed or
hung) goes to the person later through the outbox, which retries it and paces it
(docs/decisions/005-outbox-guarantees.md).

By the time a step's question is shown, the person's answer is saved: the draft has moved on.
Told "nothing was changed, try again", they pressed a button the draft had left ("no longer
valid") or typed an answer into a step they never saw. So the question is not lost: it is
queued as it was meant to appear (an edit of the pressed message, or a new message), and the
press is answered with what is true: saved, the next step follows.

A question queued for a step the person has left by the time it can go (they went on from an
edit that did arrive late) is not sent: it would be a stale question as the newest message
(runtime.delivery checks `step_marker` against the draft then).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.deps import Deps
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.inbox import service as inbox
from bot.outbox import service as outbox
from bot.outbox.service import Button

log = logging.getLogger(__name__)

# The outbox template of an answer rendered already, in the person's language.
ANSWER = "answer"
# Set for the update being handled by the handler wrappers (handlers.common): the outbox
# needs the database, which `reply` and `edit_or_send` are not given.
_DEPS: ContextVar[Deps | None] = ContextVar("dutydesk_answer_deps", default=None)
_DEFERRED: ContextVar[bool] = ContextVar("dutydesk_answer_deferred", default=False)
# What the person gave in the update being handled: the text typed or the button's data.
_GIVEN: ContextVar[str | None] = ContextVar("dutydesk_answer_given", default=None)
# In a draft's data: what the person gave for a step whose next question has not reached
# them yet. The same again (a press or a text) is not a new answer: the step is shown.
UNSEEN = "_unseen"


def transient(exc: TelegramError) -> bool:
    """Telegram did not take it now and may later; a refusal (400) or a 403 is no such case."""
    return isinstance(exc, RetryAfter) or (
        isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)
    )


@contextmanager
def answering(deps: Deps, given: str | None) -> Iterator[None]:
    """Around one handler: where an answer that fails now is queued, and what the person
    gave (the text, or the button's data)."""
    tokens = _DEPS.set(deps), _DEFERRED.set(False), _GIVEN.set(given)
    try:
        yield
    finally:
        _GIVEN.reset(tokens[2])
        _DEFERRED.reset(tokens[1])
        _DEPS.reset(tokens[0])


def given_again(state: DraftState) -> None:
    """The person gives again what made a step they have not seen (nothing seemed to happen,
    so they pressed or typed once more): handle it as a replay, which shows the step and
    applies nothing (DraftState.replayed). The mark goes with the next save of the draft."""
    given = _GIVEN.get()
    if given is not None and state.data.pop(UNSEEN, None) == given:
        state.update_id = inbox.current()


def deferred() -> bool:
    """An answer of this update went to the outbox instead of straight to the person."""
    return _DEFERRED.get()


def step_marker(state: DraftState | None) -> list[Any] | None:
    """What says a draft is still at the step a queued question asks (None: no draft)."""
    return None if state is None else [state.flow, state.step, state.update_id]


async def later(
    chat_id: int,
    text: str,
    rows: Sequence[Sequence[tuple[str, str]]] | None,
    failure: TelegramError,
    edit: int | None = None,
) -> bool:
    """Queue an answer that failed with a transient `failure`: `edit` the message with that id,
    else send it. False (nothing queued) outside a handler or for any other failure."""
    deps = _DEPS.get()
    if deps is None or not transient(failure):
        return False
    log.warning("answer to chat %s failed (%s); it goes through the outbox", chat_id, failure)
    now = deps.clock.now()
    wait = failure.retry_after if isinstance(failure, RetryAfter) else 0
    seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
    # A private chat's id is the person's Telegram id; the draft is written only on this path.
    given = _GIVEN.get()
    marker = None
    if chat_id > 0:
        state = (
            await drafts.get(deps, chat_id)
            if given is None
            else await drafts.annotate(deps, chat_id, {UNSEEN: given})
        )
        marker = step_marker(state)
    buttons = [[Button(label, data, translate=False) for label, data in row] for row in rows or ()]
    async with deps.db.transaction() as session:
        outbox.enqueue(
            session,
            now=now,
            chat_id=chat_id,
            template=ANSWER,
            params={"text": text, "edit": edit, "step": marker},
            buttons=buttons or None,
            not_before=now + timedelta(seconds=seconds),
        )
    _DEFERRED.set(True)
    return True
