"""The stand-in as the bench drives it: the strict one of the tests, plus per-chat wake-ups
and timestamps, so hundreds of simulated people can wait for their own answers cheaply."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any, Literal

from standin.model import JSONDict, Message
from tests.support.standin_reading import ReadingStandIn


class BenchStandIn(ReadingStandIn):
    def __init__(self, token: str) -> None:
        super().__init__(token, "dutydesk_bench_bot")
        self.event_times: dict[int, list[float]] = defaultdict(list)  # parallel to events
        self.query_chat: dict[str, int] = {}  # open presses: query id -> chat
        self.answered_at: dict[str, float] = {}
        self.statuses: Counter[tuple[str, int]] = Counter()  # (method, HTTP status) -> count
        self.first_poll_at: float | None = None
        self.first_sent_at: dict[int, float] = {}  # chat -> when the bot first wrote there
        self._waiters: dict[int, list[asyncio.Future[None]]] = defaultdict(list)

    def record(self, kind: Literal["sent", "edited", "deleted"], msg: Message) -> None:
        super().record(kind, msg)
        now = time.perf_counter()
        self.event_times[msg.chat_id].append(now)
        if kind == "sent":
            self.first_sent_at.setdefault(msg.chat_id, now)
        self._wake(msg.chat_id)

    def _log(self, name: str, params: JSONDict, status: int) -> None:
        super()._log(name, params, status)
        self.statuses[name, status] += 1
        if name == "answercallbackquery" and status == 200:
            query_id = str(params.get("callback_query_id"))
            chat = self.query_chat.pop(query_id, None)
            if chat is not None:
                self.answered_at[query_id] = time.perf_counter()
                self._wake(chat)

    async def _dispatch(self, name: str, params: JSONDict) -> Any:
        if name == "getupdates" and self.first_poll_at is None:
            self.first_poll_at = time.perf_counter()  # when it arrives, not when answered
        return await super()._dispatch(name, params)

    def _wake(self, chat_id: int) -> None:
        for waiter in self._waiters.pop(chat_id, ()):
            if not waiter.done():
                waiter.set_result(None)

    async def wait_chat(
        self, chat_id: int, predicate: Callable[[], object], timeout: float, what: str
    ) -> None:
        """Wait until `predicate` holds, woken only by what happens in this chat."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"chat {chat_id}: timed out after {timeout} s waiting for {what}"
                )
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters[chat_id].append(waiter)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await waiter

    def count(self, methods: frozenset[str], status: int) -> int:
        return sum(n for (m, s), n in self.statuses.items() if m in methods and s == status)
