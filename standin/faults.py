"""Where the server asks whether a request fails: the product's stand-in never fails one.

The failures the tests and the bench switch on — 429 floods, 5xx errors, lost responses,
delays, held requests, Telegram's flood limits enforced for real — are InjectedFaults in
tests/support/standin_faults.py, which answers the same questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from standin.model import JSONDict

STATUS_TEXT = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class Failure:
    """How one request fails: its HTTP status (0: the connection dropped), and when."""

    status: int  # 0: drop the connection without any response
    times: int
    after: bool  # True: the call takes effect first, then the answer is lost
    description: str
    retry_after: int | None = None  # a 429's parameters.retry_after

    def __post_init__(self) -> None:
        if not self.description:
            self.description = STATUS_TEXT.get(self.status, f"Error {self.status}")
            if self.retry_after is not None:
                self.description = f"Too Many Requests: retry after {self.retry_after}"


class Held(Protocol):
    """A request stopped on its way until released."""

    after: bool  # True: stopped after it took effect, before it is answered

    async def pass_through(self) -> bool:
        """Wait for the release; False when the request is to be dropped instead."""
        ...


class Faults:
    """No failures: every question answers "go ahead"."""

    def hold_for(self, method: str, params: JSONDict) -> Held | None:
        """The hold this request stops at, if any."""
        return None

    def delay_of(self, method: str) -> float:
        """Seconds to wait before answering a request of `method`."""
        return 0.0

    def take_failure(self, method: str, after: bool) -> Failure | None:
        """The failure this request meets before (or, after=True, after) it takes effect."""
        return None

    def take_flood(self, chat_id: int) -> int | None:
        """retry_after for a send to this chat, or None if it may go."""
        return None

    def release_all(self) -> None:
        """Let every held request go (the server is stopping)."""
