"""What the stand-in remembers: users, chats, messages, and the faults a test asked for."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.standin import StandIn

Buttons = list[list[tuple[str, str]]]


@dataclass
class Message:
    """A message in a chat, from the bot or from a simulated user; `.text` is current."""

    message_id: int
    chat_id: int
    from_bot: bool
    sender_id: int
    text: str
    html: str = ""
    markup: dict[str, Any] | None = None
    date: int = field(default_factory=lambda: int(time.time()))
    edits: list[str] = field(default_factory=list)
    reply_to: int | None = None
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    caption: str | None = None

    @property
    def buttons(self) -> Buttons:
        """Rows of (label, callback_data or url)."""
        rows = (self.markup or {}).get("inline_keyboard", [])
        return [
            [(b.get("text", ""), b.get("callback_data") or b.get("url") or "") for b in row]
            for row in rows
        ]

    def button_texts(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]

    def button_data(self, label: str) -> str:
        for row in self.buttons:
            for text, data in row:
                if text == label:
                    return data
        raise KeyError(f"no button {label!r} in {self.button_texts()}")


@dataclass
class Chat:
    id: int
    type: str  # private | group | supergroup
    title: str = ""
    members: set[int] = field(default_factory=set)
    bot_member: bool = True
    migrated_to: int | None = None
    next_id: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def as_json(self, users: dict[int, SimUser]) -> dict[str, Any]:
        if self.type == "private":
            user = users[self.id]
            data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": user.first_name}
            if user.username:
                data["username"] = user.username
            return data
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass
class SimUser:
    """A simulated Telegram user; its verbs enqueue updates for the bot."""

    standin: StandIn
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    started: bool = False
    blocked: bool = False

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    async def send(
        self, text: str, chat: int | Chat | None = None, reply_to: Message | None = None
    ) -> Message:
        """A text message from this user, in their private chat or in `chat`."""
        return self.standin.user_message(self, text, chat, reply_to=reply_to)

    async def edit(self, message: Message, text: str) -> None:
        self.standin.user_edit(self, message, text)

    async def press(
        self, message: Message, label: str | int | None = None, *, callback_data: str | None = None
    ) -> str:
        """Press a button by label, by flat index, or with explicit (possibly forged) data."""
        if callback_data is None:
            flat = [b for row in message.buttons for b in row]
            if isinstance(label, int):
                callback_data = flat[label][1]
            else:
                callback_data = message.button_data(str(label))
        return self.standin.user_press(self, message, callback_data)

    async def send_document(
        self, name: str, content: bytes, chat: int | Chat | None = None, caption: str = ""
    ) -> Message:
        return self.standin.user_file(self, "document", name, content, chat, caption)

    async def send_photo(
        self, content: bytes, chat: int | Chat | None = None, caption: str = ""
    ) -> Message:
        return self.standin.user_file(self, "photo", "photo.jpg", content, chat, caption)

    def block(self) -> None:
        self.blocked = True

    def unblock(self) -> None:
        self.blocked = False


@dataclass
class Faults:
    """Failures a test switches on: 429 floods, 5xx, delays, held responses."""

    floods: list[list[Any]] = field(default_factory=list)  # [chat_id|None, retry_after, times]
    failures: dict[str, list[int]] = field(default_factory=dict)  # method -> [status, times]
    delays: dict[str, float] = field(default_factory=dict)
    holds: dict[str, asyncio.Event] = field(default_factory=dict)
    realistic: bool = False
    _sent: deque[tuple[float, int]] = field(default_factory=deque)

    def flood(self, chat_id: int | None = None, retry_after: int = 2, times: int = 1) -> None:
        self.floods.append([chat_id, retry_after, times])

    def fail_next(self, method: str, status: int = 502, times: int = 1) -> None:
        self.failures[method.lower()] = [status, times]

    def delay(self, method: str, seconds: float) -> None:
        self.delays[method.lower()] = seconds

    def hold(self, method: str) -> asyncio.Event:
        """Hold every response of `method` until the returned event is set."""
        event = asyncio.Event()
        self.holds[method.lower()] = event
        return event

    def take_flood(self, chat_id: int) -> int | None:
        for entry in self.floods:
            if entry[0] in (None, chat_id) and entry[2] > 0:
                entry[2] -= 1
                if entry[2] == 0:
                    self.floods.remove(entry)
                return int(entry[1])
        return self._realistic_limit(chat_id) if self.realistic else None

    def take_failure(self, method: str) -> int | None:
        entry = self.failures.get(method)
        if not entry:
            return None
        entry[1] -= 1
        if entry[1] <= 0:
            del self.failures[method]
        return entry[0]

    def _realistic_limit(self, chat_id: int) -> int | None:
        """~30/s in total, 20/min to a group, ~1/s to a private chat (Telegram's, roughly)."""
        now = time.monotonic()
        while self._sent and now - self._sent[0][0] > 60:
            self._sent.popleft()
        last_second = [c for t, c in self._sent if now - t < 1]
        if len(last_second) >= 30:
            return 1
        if chat_id > 0 and last_second.count(chat_id) >= 1:
            return 1
        if chat_id < 0 and sum(1 for _, c in self._sent if c == chat_id) >= 20:
            oldest = next(t for t, c in self._sent if c == chat_id)
            return max(1, int(60 - (now - oldest)) + 1)
        self._sent.append((now, chat_id))
        return None
