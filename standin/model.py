"""What the stand-in remembers: users, chats, messages, and what tests read back."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from standin.world import World

Buttons = list[list[tuple[str, str]]]
JSONDict = dict[str, Any]


class Call(NamedTuple):
    """One Bot API request: method lower-cased, its parameters, the HTTP status answered."""

    method: str
    params: JSONDict
    status: int


class Answer(NamedTuple):
    """An answered callback query (the full request is in StandIn.calls)."""

    query_id: str
    text: str | None
    show_alert: bool


@dataclass
class Message:
    """A message in a chat, from the bot or a simulated user. Fields are current: an edit
    changes `.text`, `.html`, `.markup` in place and appends the previous text to `.edits`."""

    message_id: int
    chat_id: int
    from_bot: bool
    sender_id: int
    text: str  # visible text (a media message: its caption)
    html: str = ""  # as sent (raw HTML when parse_mode was HTML)
    markup: JSONDict | None = None
    date: int = 0
    edits: list[str] = field(default_factory=list)
    reply_to: int | None = None
    document: JSONDict | None = None
    photo: list[JSONDict] | None = None
    caption: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    edit_date: int | None = None
    deleted: bool = False
    service: JSONDict | None = None  # e.g. {"migrate_to_chat_id": -100…}

    @property
    def buttons(self) -> Buttons:
        """Rows of (label, callback_data or url) of the inline keyboard."""
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

    def raw_button(self, label: str | int) -> JSONDict:
        """The button as sent, by label or by flat index."""
        flat = [b for row in (self.markup or {}).get("inline_keyboard", []) for b in row]
        if isinstance(label, int):
            return dict(flat[label])
        for button in flat:
            if button.get("text") == label:
                return dict(button)
        raise KeyError(f"no button {label!r} in {self.button_texts()}")


@dataclass(frozen=True)
class Event:
    """Something the bot did in a chat, with the text and buttons as they were right then."""

    kind: Literal["sent", "edited", "deleted"]
    message: Message
    text: str
    buttons: Buttons


@dataclass
class Chat:
    id: int
    type: str  # private | group | supergroup
    title: str = ""
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    owner: int | None = None
    bot_status: str = "member"  # member | administrator | left | kicked
    migrated_to: int | None = None
    username: str | None = None
    next_id: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def bot_member(self) -> bool:
        return self.bot_status in ("member", "administrator")

    def as_json(self, users: dict[int, SimUser]) -> JSONDict:
        if self.type == "private":
            return {**users[self.id].as_json(chat=True), "type": "private"}
        data: JSONDict = {"id": self.id, "type": self.type, "title": self.title}
        if self.username:
            data["username"] = self.username
        return data


@dataclass(eq=False)
class SimUser:
    """A simulated Telegram user; its verbs enqueue updates for the bot."""

    world: World
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    started: bool = False  # pressed Start (writing to the bot does it too)
    blocked: bool = False
    deleted: bool = False  # the account was deleted: Telegram answers "user is deactivated"

    def as_json(self, chat: bool = False) -> JSONDict:
        data: JSONDict = {"id": self.id, "first_name": self.first_name}
        if not chat:
            data["is_bot"] = False
        keys = ("last_name", "username") if chat else ("last_name", "username", "language_code")
        for key in keys:
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    async def send(
        self, text: str, chat: int | Chat | None = None, reply_to: Message | None = None
    ) -> Message:
        """A text message from this user, in their private chat or in `chat`."""
        return self.world.user_message(self, text, chat, reply_to=reply_to)

    async def edit(self, message: Message, text: str) -> None:
        """Edit one of this user's messages: an edited_message update."""
        self.world.user_edit(self, message, text)

    async def press(
        self, message: Message, label: str | int | None = None, *, callback_data: str | None = None
    ) -> str:
        """Press a button by label or flat index, or send explicit (possibly forged) data.
        Returns the callback query id."""
        if callback_data is None:
            if label is None:
                raise ValueError("press needs a label, an index or callback_data")
            button = message.raw_button(label)
            if "callback_data" not in button:
                raise ValueError(f"button {button.get('text')!r} has no callback_data: {button}")
            callback_data = str(button["callback_data"])
        return self.world.user_press(self, message, callback_data)

    async def send_document(
        self, name: str, content: bytes, chat: int | Chat | None = None, caption: str = ""
    ) -> Message:
        return self.world.user_file(self, "document", name, content, chat, caption)

    async def send_photo(
        self, content: bytes, chat: int | Chat | None = None, caption: str = ""
    ) -> Message:
        return self.world.user_file(self, "photo", "photo.jpg", content, chat, caption)

    def block(self) -> None:
        """Block the bot: sends fail with 403; a my_chat_member update tells the bot."""
        self.world.set_blocked(self, True)

    def unblock(self) -> None:
        self.world.set_blocked(self, False)

    def delete_account(self) -> None:
        """Delete the Telegram account: every send to it fails with 403, and no update says so
        (as Telegram does)."""
        self.deleted = True


def member_json(status: str, user: JSONDict) -> JSONDict:
    """A ChatMember as Telegram sends it, with the fields its status carries."""
    data: JSONDict = {"status": status, "user": user}
    if status == "kicked":
        data["until_date"] = 0
    elif status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data.update(
            dict.fromkeys(
                (
                    "can_be_edited",
                    "is_anonymous",
                    "can_restrict_members",
                    "can_promote_members",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                ),
                False,
            )
        )
        data.update(
            dict.fromkeys(
                (
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_change_info",
                    "can_invite_users",
                    "can_pin_messages",
                ),
                True,
            )
        )
    return data
