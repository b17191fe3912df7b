"""Failures a test (or the bench) switches on: 429 floods, 5xx errors, lost responses, delays,
held requests, and (off by default) Telegram's flood limits enforced for real. ReadingStandIn
(standin_reading.py) has them as `standin.faults`; the product's stand-in has none
(standin/faults.py, whose questions InjectedFaults answers)."""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from standin.faults import Failure, Faults
from standin.model import JSONDict


class Hold:
    """Requests of one method wait here until released; `reached()` waits for the first to
    arrive. `set()`/`wait()`/`is_set()` make it usable where an asyncio.Event is expected."""

    def __init__(self, method: str, after: bool, text: str = "") -> None:
        self.method = method
        self.after = after
        self.text = text  # only requests whose text or caption contains this (all if empty)
        self.arrived = 0  # requests that reached the hold
        self.dropped = False
        self._released = asyncio.Event()
        self._reached = asyncio.Event()

    def release(self) -> None:
        self._released.set()

    set = release

    def catches(self, params: dict[str, object]) -> bool:
        said = str(params.get("text") or params.get("caption") or "")
        return not self.text or self.text in said

    def drop(self) -> None:
        """Let the held requests go without effect: Telegram never received them (a hold
        before the effect only; e.g. the bot was killed while they were on the way)."""
        self.dropped = True
        self._released.set()

    def is_set(self) -> bool:
        return self._released.is_set()

    async def wait(self) -> None:
        await self._released.wait()

    async def reached(self, timeout: float = 5.0) -> None:
        """Wait until a request reached the hold (the bot is now stopped right there)."""
        async with asyncio.timeout(timeout):
            await self._reached.wait()

    async def pass_through(self) -> bool:
        """Wait for the release; False when the request is to be dropped instead."""
        self.arrived += 1
        self._reached.set()
        await self._released.wait()
        return not self.dropped


@dataclass
class Limits:
    """Telegram's published flood limits (approximate): what `realistic` mode enforces."""

    total_per_second: int = 30
    private_per_second: int = 1
    group_per_minute: int = 20


@dataclass
class InjectedFaults(Faults):
    """The failures switched on, and the server's questions answered from them."""

    clock: Callable[[], float]
    realistic: bool = False  # enforce `limits`, answering 429 with the right retry_after
    limits: Limits = field(default_factory=Limits)
    floods: list[list[int | None]] = field(default_factory=list)  # [chat_id, retry, times]
    failures: dict[str, Failure] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    holds: dict[str, Hold] = field(default_factory=dict)
    _sent: deque[tuple[float, int]] = field(default_factory=deque)

    def flood(self, chat_id: int | None = None, retry_after: int = 2, times: int = 1) -> None:
        """The next `times` sends (to `chat_id`, or to any chat) get 429 retry_after."""
        self.floods.append([chat_id, retry_after, times])

    def fail_next(
        self,
        method: str,
        status: int = 502,
        times: int = 1,
        *,
        after: bool = False,
        description: str = "",
        retry_after: int | None = None,
    ) -> None:
        """The next `times` calls of `method` fail with `status` (0: connection dropped).
        after=True: the call takes effect and only its answer fails (a send that "timed out"
        but was delivered). `retry_after` goes with a 429, as Telegram's flood answer does
        (`flood` does this for sends only; this for any method, e.g. editMessageText)."""
        self.failures[method.lower()] = Failure(status, times, after, description, retry_after)

    def drop_connection(self, method: str, times: int = 1, *, after: bool = False) -> None:
        self.fail_next(method, 0, times, after=after)

    def delay(self, method: str, seconds: float) -> None:
        """Hold every answer of `method` for `seconds` (0 removes the delay)."""
        if seconds > 0:
            self.delays[method.lower()] = seconds
        else:
            self.delays.pop(method.lower(), None)

    def hold(self, method: str, *, after: bool = False, text: str = "") -> Hold:
        """Stop every request of `method` (with `text` in its text or caption, if given) until
        the returned handle is released; after=True stops it after it took effect, before it is
        answered."""
        handle = Hold(method.lower(), after, text)
        self.holds[method.lower()] = handle
        return handle

    def release_all(self) -> None:
        for handle in self.holds.values():
            handle.release()

    def clear(self) -> None:
        """Back to normal: no floods, failures, delays or holds (held requests are released)."""
        self.release_all()
        self.floods.clear()
        self.failures.clear()
        self.delays.clear()
        self.holds.clear()
        self.realistic = False

    # --- used by the server ---------------------------------------------------------------
    def hold_for(self, method: str, params: JSONDict) -> Hold | None:
        hold = self.holds.get(method)
        return hold if hold is not None and hold.catches(params) else None

    def delay_of(self, method: str) -> float:
        return self.delays.get(method, 0.0)

    def take_failure(self, method: str, after: bool) -> Failure | None:
        failure = self.failures.get(method)
        if failure is None or failure.after != after:
            return None
        failure.times -= 1
        if failure.times <= 0:
            del self.failures[method]
        return failure

    def take_flood(self, chat_id: int) -> int | None:
        """retry_after for a send to this chat, or None if it may go."""
        for entry in self.floods:
            target, retry, times = entry
            if target in (None, chat_id) and times:
                entry[2] = times - 1
                if entry[2] == 0:
                    self.floods.remove(entry)
                return int(retry or 1)
        return self._over_limit(chat_id) if self.realistic else None

    def _over_limit(self, chat_id: int) -> int | None:
        now = self.clock()
        while self._sent and now - self._sent[0][0] >= 60:
            self._sent.popleft()
        second = [(t, c) for t, c in self._sent if now - t < 1]
        if len(second) >= self.limits.total_per_second:
            return _ceil(1 - (now - second[0][0]))
        if chat_id > 0:
            mine = [t for t, c in second if c == chat_id]
            if len(mine) >= self.limits.private_per_second:
                return _ceil(1 - (now - mine[0]))
        else:
            minute = [t for t, c in self._sent if c == chat_id]
            if len(minute) >= self.limits.group_per_minute:
                return _ceil(60 - (now - minute[0]))
        self._sent.append((now, chat_id))
        return None


def _ceil(seconds: float) -> int:
    return max(1, math.ceil(seconds))
