"""Telegram's flood limits, kept on our side so 429s stay rare (STACK-NOTES).

About 30 messages a second in total, 20 a minute to one group, about 1 a second to one
private chat. A 429 for one chat pushes back that chat only, never everyone else.
"""

from __future__ import annotations

import time
from collections import deque
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


@dataclass
class Pacer:
    global_interval: float = GLOBAL_INTERVAL
    group_interval: float = GROUP_INTERVAL
    private_interval: float = PRIVATE_INTERVAL
    outbox_per_second: int = OUTBOX_PER_SECOND
    _next_global: float = 0.0
    _next_chat: dict[int, float] = field(default_factory=dict)
    _recent: deque[float] = field(default_factory=deque)  # every send of the last second

    def wait_for(self, chat_id: int, now: float | None = None) -> float:
        """Seconds until a message to this chat may go (0 when it may go now)."""
        now = time.monotonic() if now is None else now
        return max(self.chat_wait(chat_id, now), self._next_global - now)

    def outbox_wait(self, chat_id: int, now: float | None = None) -> float:
        """wait_for, and room in the last second's sends for the outbox's share."""
        now = time.monotonic() if now is None else now
        return max(self.wait_for(chat_id, now), self._room(now, self.outbox_per_second))

    def answer_wait(self, chat_id: int, now: float | None = None) -> float:
        """wait_for, and room in the last second's sends (ANSWER_CEILING). An answer waits the
        milliseconds until the oldest send leaves the second rather than meet a 429: its
        retry_after (a second or more) held up every update behind it (issue 8: 20 people
        filing during a broadcast needed ~5 answers a second beside the outbox's 27, and
        their press p95 went from 19 to 198 ms in a run with 9 such 429s)."""
        now = time.monotonic() if now is None else now
        return max(self.wait_for(chat_id, now), self._room(now, ANSWER_CEILING))

    def _room(self, now: float, ceiling: int) -> float:
        """Seconds until fewer than `ceiling` sends are left in the last second."""
        if self.global_interval <= 0:  # pacing off
            return 0.0
        self._forget(now)
        if len(self._recent) < ceiling:
            return 0.0
        return self._recent[-ceiling] + 1.0 - now

    def _forget(self, now: float) -> None:
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()

    def chat_wait(self, chat_id: int, now: float | None = None) -> float:
        """Seconds until this chat may have a message again, Telegram's total aside."""
        now = time.monotonic() if now is None else now
        return max(0.0, self._next_chat.get(chat_id, 0.0) - now)

    def sent(self, chat_id: int, now: float | None = None) -> None:
        """A message to this chat went out (or is on its way: the outbox counts it when it
        sends, not when Telegram answers, so a 20 ms answer does not stretch 1/30 s)."""
        now = time.monotonic() if now is None else now
        self._next_chat[chat_id] = now + self._interval(chat_id)
        self._next_global = now + self.global_interval
        self._recent.append(now)
        self._forget(now)
        if len(self._next_chat) > 10_000:  # forget chats that are free again
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}

    def answered(self, chat_id: int, now: float | None = None) -> None:
        """Telegram answered a send to this chat, counted by `sent` when it started. Its
        per-chat second runs from the send's arrival, somewhere before now: the chat's next
        message waits a second from now, so a slow first request (a new connection) cannot
        make two arrive within the second."""
        now = time.monotonic() if now is None else now
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
