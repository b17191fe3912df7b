"""What happens in the stand-in's world that `dutydesk sandbox` never does and only the tests
and the bench make happen: the clock moves, the bot is added to or removed from a group, a
group becomes a supergroup; and where a python-telegram-bot Bot under test is pointed.
ReadingStandIn (standin_reading.py) builds on ActingStandIn.
"""

from __future__ import annotations

from typing import Any

from standin.model import Chat, JSONDict, Message, SimUser
from standin.standin import StandIn


class ActingStandIn(StandIn):
    """The product's stand-in, plus the acts only tests perform on its world."""

    def advance_clock(self, seconds: float) -> None:
        """Move the stand-in's clock: callback queries age, flood windows pass, dates move."""
        self.clock_offset += seconds

    def remove_bot_from(self, chat_id: int, by: SimUser | None = None) -> None:
        """Someone removes the bot from the group (kicked)."""
        self.set_bot_status(chat_id, "kicked", by)

    def add_bot_to(self, chat_id: int, by: SimUser | None = None, admin: bool = False) -> None:
        """Someone adds the bot to the group, as a member or an administrator."""
        self.set_bot_status(chat_id, "administrator" if admin else "member", by)

    def upgrade_group(self, chat_id: int) -> int:
        """The group becomes a supergroup with a new id; service messages in both announce it
        (the old group's carries migrate_to_chat_id). Returns the new id."""
        old = self.chats[chat_id]
        if old.type != "group" or old.migrated_to is not None:
            raise ValueError(f"{chat_id} is not a group that can be upgraded")
        new_id = int(f"-100{abs(chat_id)}")
        new = Chat(
            new_id,
            "supergroup",
            old.title,
            set(old.members),
            set(old.admins),
            old.owner,
            old.bot_status,
        )
        self.chats[new_id] = new
        old.migrated_to = new_id
        actor = self.users.get(old.owner or 0) or self._any_member(old)
        sender = actor.id if actor else self.bot_id
        for chat, service in (
            (old, {"migrate_to_chat_id": new_id}),
            (new, {"migrate_from_chat_id": chat_id}),
        ):
            msg = Message(
                next(chat.next_id),
                chat.id,
                actor is None,
                sender,
                "",
                date=self.unix_time(),
                service=service,
            )
            self.store(msg)
            self.push_update({"message": self.message_json(msg)})
        return new_id

    @property
    def base_url(self) -> str:
        """The base_url a python-telegram-bot Bot is given to speak to this stand-in."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """The base_file_url a python-telegram-bot Bot is given for downloads."""
        return f"{self.url}/file/bot"

    @property
    def webhook(self) -> dict[str, Any]:
        """{"url": …, "secret": …} while a webhook is set, else {}."""
        return self.queue.webhook

    @property
    def updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by the bot."""
        return [u for _, u in self.queue.items]

    def pending_updates(self) -> int:
        """How many updates the bot has not yet confirmed."""
        return len(self.queue.items)
