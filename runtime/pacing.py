"""Telegram's flood limits, kept on our side so 429s stay rare
(docs/decisions/001-telegram-limits.md).

About 30 messages a second in total, 20 a minute to one group, about 1 a second to one
private chat. A 429 for one chat pushes back that chat only, never everyone else.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

GLOBAL_INTERVAL = 1 / 30
GROUP_INTERVAL = 60 / 20
PRIVATE_INTERVAL = 1.0
# Of Telegram's ~30 messages in any second, the outbox takes at most this many: the rest is
# kept for answers to people, which cannot wait (a 429 on an answer holds up every update
# behind it for `retry_after`; the bench measured press p95 × 144 during a broadcast without).
OUTBOX_PER_SECOND = 27
# Answers may fill any second up to this many sends: one short of Telegram's 30, for the
# milliseconds between a send counted here and its arrival there.
ANSWER_CEILING = 29


@dataclass(slots=True)
class Send:
    """One send in the last second's count: from when it started until Telegram answers it,
    then from the answer (its arrival there lies between the two)."""

    chat_id: int
    at: float


@dataclass
class Pacer:
    global_interval: float = GLOBAL_INTERVAL
    group_interval: float = GROUP_INTERVAL
    private_interval: float = PRIVATE_INTERVAL
    outbox_per_second: int = OUTBOX_PER_SECOND
    _next_global: float = 0.0
    _next_chat: dict[int, float] = field(default_factory=dict)
    _recent: list[Send] = field(default_factory=list)  # every send of the last second

    def outbox_wait(self, chat_id: int, now: float | None = None) -> float:
        """Seconds until the outbox may send to this chat (0: now): the chat's interval, 1/30 s
        after the last send of any kind, and room in the last second for the outbox's share."""
        now = time.monotonic() if now is None else now
        return max(
            self.chat_wait(chat_id, now),
            self._next_global - now,
            self._room(now, self.outbox_per_second),
        )

    def answer_wait(self, chat_id: int, now: float | None = None) -> float:
        """The chat's own interval, and room in the last second's sends (ANSWER_CEILING). An
        answer waits the milliseconds until the oldest send leaves the second rather than meet
        a 429: its retry_after (a second or more) held up every update behind it
        (docs/decisions/006-performance.md: 20
        people filing during a broadcast needed ~5 answers a second beside the outbox's 27,
        and their press p95 went from 19 to 198 ms in a run with 9 such 429s).
        Not the 1/30 s after the last send: Telegram counts sends in a second, and the
        outbox's steady 27 made three answers in four wait for that spacing (13 ms median,
        up to 33), holding up every update behind them (press p95 ×3 during a broadcast)."""
        now = time.monotonic() if now is None else now
        return max(self.chat_wait(chat_id, now), self._room(now, ANSWER_CEILING))

    async def answer_turn(self, chat_id: int) -> Send:
        """Wait for `answer_wait` to be 0, then count the send: answers waiting for the same
        room look again when they wake (two that waited for one place met a 429 in CI)."""
        return await self._turn(chat_id, self.answer_wait)

    async def outbox_turn(self, chat_id: int) -> Send:
        """The same for the outbox's share (`outbox_wait`)."""
        return await self._turn(chat_id, self.outbox_wait)

    async def _turn(self, chat_id: int, wait: Callable[[int], float]) -> Send:
        # A time to wait, not an event: another send may take the room meanwhile, so look again.
        seconds = wait(chat_id)
        while seconds > 0:
            await asyncio.sleep(seconds)
            seconds = wait(chat_id)
        return self.sent(chat_id)

    def _room(self, now: float, ceiling: int) -> float:
        """Seconds until fewer than `ceiling` sends are left in the last second."""
        if self.global_interval <= 0:  # pacing off
            return 0.0
        self._forget(now)
        if len(self._recent) < ceiling:
            return 0.0
        return sorted(s.at for s in self._recent)[-ceiling] + 1.0 - now

    def _forget(self, now: float) -> None:
        self._recent = [s for s in self._recent if now - s.at < 1.0]

    def chat_wait(self, chat_id: int, now: float | None = None) -> float:
        """Seconds until this chat may have a message again, Telegram's total aside."""
        now = time.monotonic() if now is None else now
        return max(0.0, self._next_chat.get(chat_id, 0.0) - now)

    def sent(self, chat_id: int, now: float | None = None) -> Send:
        """A message to this chat is on its way: counted as it starts, so whoever decides
        meanwhile sees it (and a 20 ms answer does not stretch 1/30 s). Pass the returned
        Send to `answered` when Telegram answers."""
        now = time.monotonic() if now is None else now
        self._next_chat[chat_id] = now + self._interval(chat_id)
        self._next_global = now + self.global_interval
        send = Send(chat_id, now)
        self._forget(now)
        self._recent.append(send)
        if len(self._next_chat) > 10_000:  # forget chats that are free again
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        return send

    def answered(self, send: Send, now: float | None = None) -> None:
        """Telegram answered `send` (or it failed). It arrived there somewhere between its
        start and now, and Telegram's second runs from the arrival: from now on it counts from
        now, in the total and for its chat, so a slow request (a new connection, a busy
        machine) cannot leave the count here before it leaves Telegram's."""
        now = time.monotonic() if now is None else now
        send.at = max(send.at, now)
        chat_id = send.chat_id
        self._next_chat[chat_id] = max(
            self._next_chat.get(chat_id, 0.0), now + self._interval(chat_id)
        )

    def _interval(self, chat_id: int) -> float:
        """Between two messages to one chat: a private chat's (id > 0) or a group's."""
        return self.private_interval if chat_id > 0 else self.group_interval

    def back_off(self, chat_id: int, seconds: float, now: float | None = None) -> None:
        """Telegram said 429 retry_after for this chat."""
        now = time.monotonic() if now is None else now
        self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), now + seconds)
