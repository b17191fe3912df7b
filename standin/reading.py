"""What the sandbox's screen reads of the world: the chat's messages and the server's request
counters (whether the bot is still calling the API). The tests' and the bench's readers —
next_message, next_event, wait_until, quiet, calls_of — are in tests/support/standin_reading.py.
"""

from __future__ import annotations

from typing import Any

from standin.model import Message
from standin.world import World


class Reading(World):
    """The world, with the server's request counters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_flight = 0  # requests being answered, getUpdates excepted
        self._request_count = 0  # requests answered, getUpdates excepted

    def messages(self, chat_id: int) -> list[Message]:
        """Every message in the chat, the bot's and people's, in order (deleted ones gone)."""
        return list(self.chat_messages.get(chat_id, []))

    @property
    def in_flight(self) -> int:
        """Requests being answered right now, long polls (getUpdates) aside."""
        return self._in_flight

    @property
    def request_count(self) -> int:
        """Requests answered so far, long polls (getUpdates) aside."""
        return self._request_count
