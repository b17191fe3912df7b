"""The stand-in as the tests and the bench drive it: the product's StandIn (standin/) with
the acts only tests perform (standin_acts.py), readers that wait for what the bot did,
failures to switch on (`faults`: standin_faults.py) and the JSON control API
(standin_control.py).

    standin = ReadingStandIn("123:ABC", bot_username="dutydesk_test_bot")
    await standin.start()
    await alice.send("/start")
    msg = await standin.next_message(1001)           # the bot's next *new* message to Alice
    await alice.press(msg, "English")
    await standin.wait_until(lambda: msg.edits)      # edits change msg in place

- `next_message(chat_id)` returns each message the bot sent to that chat once, in order;
  edits and deletions are not new messages: they change the Message in place (`.text`,
  `.buttons` are current, `.edits` holds earlier texts, `.deleted`).
- `next_event(chat_id)` has its own cursor over everything the bot did in the chat: Events
  "sent", "edited", "deleted", each with the text and buttons as they were at that moment.
- `wait_until(predicate)` for anything else; `quiet()` until the bot has fetched every update
  and made no request for a while (use it to assert that nothing was sent).
- `calls` logs every request (method lower-cased, params, HTTP status); `calls_of(method)`.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from aiohttp import web

from standin.model import Event, JSONDict, Message
from tests.support.standin_acts import ActingStandIn
from tests.support.standin_control import add_control_routes
from tests.support.standin_faults import InjectedFaults


class ReadingStandIn(ActingStandIn):
    """The stand-in with cursors over what the bot sent, waits, faults and the control API."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._consumed: dict[int, int] = defaultdict(int)  # next_message cursor per chat
        self._event_cursor: dict[int, int] = defaultdict(int)  # next_event cursor per chat
        # Set by a harness that runs the bot in this process: whether it is still working on
        # something (an update being handled, a delivery round); `quiet` waits for it too, so
        # a slow moment between two requests is not taken for the end (a loaded machine).
        self.busy: Callable[[], bool] | None = None
        self.faults: InjectedFaults = InjectedFaults(clock=self.now)

    def _add_routes(self, app: web.Application) -> None:
        super()._add_routes(app)
        add_control_routes(app, self)

    def bot_messages(self, chat_id: int) -> list[Message]:
        """The bot's messages in the chat, service messages aside (deleted ones gone)."""
        return [x for x in self.chat_messages.get(chat_id, []) if x.from_bot and not x.service]

    def _sent(self, chat_id: int) -> list[Message]:
        return [e.message for e in self.events.get(chat_id, []) if e.kind == "sent"]

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> Message:
        """The bot's next message to this chat not returned before (edits are not new)."""
        await self.wait_until(
            lambda: len(self._sent(chat_id)) > self._consumed[chat_id],
            timeout,
            f"a new bot message in chat {chat_id}",
        )
        msg = self._sent(chat_id)[self._consumed[chat_id]]
        self._consumed[chat_id] += 1
        return msg

    def unread(self, chat_id: int) -> list[Message]:
        """The bot's messages to this chat that next_message has not returned yet."""
        return self._sent(chat_id)[self._consumed[chat_id] :]

    def mark_read(self, *chat_ids: int) -> None:
        """Skip everything the bot did so far in these chats: next_message and next_event
        return only what comes after this."""
        for chat_id in chat_ids:
            self._consumed[chat_id] = len(self._sent(chat_id))
            self._event_cursor[chat_id] = len(self.events.get(chat_id, []))

    async def next_event(self, chat_id: int, timeout: float = 5.0) -> Event:
        """The next thing the bot did in this chat: a message sent, edited or deleted."""
        events = self.events[chat_id]
        await self.wait_until(
            lambda: len(events) > self._event_cursor[chat_id],
            timeout,
            f"the bot to send, edit or delete in chat {chat_id}",
        )
        self._event_cursor[chat_id] += 1
        return events[self._event_cursor[chat_id] - 1]

    async def wait_until(
        self, predicate: Callable[[], object], timeout: float = 5.0, what: str = "condition"
    ) -> None:
        """Wake on every change in the stand-in (and every 50 ms for outside state)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
            await self.changed.wait(min(remaining, 0.05))

    async def quiet(self, seconds: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the bot fetched every update, no request is being answered, and no
        request (polls aside) came for `seconds`: then it has finished reacting."""
        deadline = time.monotonic() + timeout
        await self.wait_until(self.queue.all_delivered, timeout, "the bot to fetch all updates")
        count = -1
        while count != self.request_count or self._in_flight or (self.busy and self.busy()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot kept calling the API for {timeout} s")
            count = self.request_count
            await asyncio.sleep(seconds)

    def calls_of(self, method: str) -> list[JSONDict]:
        """Parameters of every request of `method` (any spelling), answered or refused."""
        return [c.params for c in self.calls if c.method == method.lower()]
