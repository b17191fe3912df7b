"""The stand-in's stage: the bot, people, chats and messages, and the bot's membership of them.

Everything here is synchronous and in memory; what people do on it is standin.world's.
"""

from __future__ import annotations

import itertools
import time
import typing
from collections import defaultdict
from typing import Literal

from standin.faults import Faults
from standin.files import FileStore
from standin.model import Answer, Call, Chat, Event, JSONDict, Message, SimUser, member_json
from standin.updates import Signal, UpdateQueue

if typing.TYPE_CHECKING:
    from standin.world import World  # a Stage is only ever built as a World


class Stage(FileStore):
    """Everything the stand-in knows; the files people sent are FileStore's."""

    def __init__(
        self,
        token: str,
        bot_username: str,
        *,
        bot_id: int | None,
        bot_first_name: str,
        query_max_age: float,
        privacy_mode: bool,
    ) -> None:
        super().__init__()
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id or int(token.partition(":")[0])
        self.bot_first_name = bot_first_name
        self.query_max_age = query_max_age
        self.privacy_mode = privacy_mode
        self.users: dict[int, SimUser] = {}
        self.chats: dict[int, Chat] = {}
        self.chat_messages: dict[int, list[Message]] = defaultdict(list)
        self.events: dict[int, list[Event]] = defaultdict(list)
        self.queries: dict[str, float] = {}  # open callback queries: id -> when pressed
        self.answers: list[Answer] = []
        # Everything the bot did, in order, across chats: the sandbox prints from it.
        self.history: list[Event | Answer] = []
        self.calls: list[Call] = []
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}
        # setMyDescription / setMyShortDescription: (field, language_code or "") -> text
        self.descriptions: dict[tuple[str, str], str] = {}
        self.changed = Signal()
        self.queue = UpdateQueue(self.changed)
        self.clock_offset = 0.0
        self.faults = Faults()
        self._query_ids = itertools.count(1)

    # --- time -------------------------------------------------------------------------------
    def now(self) -> float:
        """The stand-in's monotonic clock (query ages, flood limits), moved by clock_offset."""
        return time.monotonic() + self.clock_offset

    def unix_time(self) -> int:
        return int(time.time() + self.clock_offset)

    # --- the bot and its world ---------------------------------------------------------------
    def bot_json(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> SimUser:
        """A person; their private chat with the bot exists, but the bot may not write first."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user = SimUser(
            typing.cast("World", self), user_id, first_name, last_name, username, language_code
        )
        self.users[user_id] = user
        self.chats[user_id] = Chat(user_id, "private")
        return user

    def add_group(
        self,
        chat_id: int,
        title: str,
        members: list[SimUser] | None = None,
        supergroup: bool = False,
        *,
        admins: list[SimUser] | None = None,
        bot_admin: bool = False,
    ) -> Chat:
        """A group (or supergroup: id -100…) with the bot in it; the first admin owns it."""
        if chat_id >= 0:
            raise ValueError("group ids are negative")
        chat = Chat(chat_id, "supergroup" if supergroup else "group", title)
        chat.admins = {u.id for u in admins or []}
        chat.members = {u.id for u in members or []} | chat.admins
        chat.owner = admins[0].id if admins else None
        chat.bot_status = "administrator" if bot_admin else "member"
        self.chats[chat_id] = chat
        return chat

    def set_bot_status(self, chat_id: int, status: str, by: SimUser | None = None) -> None:
        """The bot added to (member, administrator), removed from (kicked) or leaving (left)
        a group, or blocked in a private chat: a my_chat_member update, as Telegram sends."""
        chat = self.chats[chat_id]
        old, chat.bot_status = chat.bot_status, status
        if old == status:
            return
        actor = by or self.users.get(chat.owner or chat_id) or self._any_member(chat)
        self.push_update(
            {
                "my_chat_member": {
                    "chat": chat.as_json(self.users),
                    "date": self.unix_time(),
                    "from": actor.as_json() if actor else self.bot_json(),
                    "old_chat_member": member_json(old, self.bot_json()),
                    "new_chat_member": member_json(status, self.bot_json()),
                }
            }
        )

    def _any_member(self, chat: Chat) -> SimUser | None:
        return next((self.users[i] for i in sorted(chat.members) if i in self.users), None)

    def set_blocked(self, user: SimUser, blocked: bool) -> None:
        user.blocked = blocked
        if user.started:
            self.set_bot_status(user.id, "kicked" if blocked else "member", user)

    # --- messages -----------------------------------------------------------------------------
    def store(self, msg: Message) -> Message:
        self.chat_messages[msg.chat_id].append(msg)
        if msg.from_bot and not msg.service:
            self.record("sent", msg)
        return msg

    def record(self, kind: Literal["sent", "edited", "deleted"], msg: Message) -> None:
        event = Event(kind, msg, msg.text, msg.buttons)
        self.events[msg.chat_id].append(event)
        self.history.append(event)
        self.changed.fire()

    def answered(self, answer: Answer) -> None:
        """The bot answered a press (the toast or alert a person sees, or nothing)."""
        self.answers.append(answer)
        self.history.append(answer)

    def find(self, chat_id: int, message_id: int) -> Message | None:
        return next(
            (x for x in self.chat_messages.get(chat_id, []) if x.message_id == message_id), None
        )

    def message_json(self, msg: Message, nested: bool = True) -> JSONDict:
        sender = self.bot_json() if msg.from_bot else self.users[msg.sender_id].as_json()
        chat = self.chats[msg.chat_id].as_json(self.users)
        data: JSONDict = {"message_id": msg.message_id, "date": msg.date, "chat": chat}
        data["from"] = sender
        data.update(msg.service or content_json(msg))
        if msg.markup and "inline_keyboard" in msg.markup:
            data["reply_markup"] = msg.markup
        original = self.find(msg.chat_id, msg.reply_to) if msg.reply_to else None
        if original is not None and nested:
            data["reply_to_message"] = self.message_json(original, nested=False)
        if msg.edit_date is not None:
            data["edit_date"] = msg.edit_date
        return data

    def push_update(self, update: JSONDict) -> int:
        return self.queue.push(update)


def content_json(msg: Message) -> JSONDict:
    """What a message that is not a service message carries, as the Bot API sends it: its text
    and entities, or its document or photo with the caption and the caption's entities."""
    if msg.document is None and msg.photo is None:
        return {"text": msg.text, **({"entities": msg.entities} if msg.entities else {})}
    data: JSONDict = {}
    if msg.document is not None:
        data["document"] = msg.document
    if msg.photo is not None:
        data["photo"] = msg.photo
    if msg.caption:
        data["caption"] = msg.caption
        if msg.entities:
            data["caption_entities"] = msg.entities
    return data
