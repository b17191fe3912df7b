"""The stand-in's world: the stage (standin.stage) and what people do on it.

Everything here is synchronous and in memory; the server (standin.py) and the methods
(methods.py) read and change it. People's actions become updates in the queue.
"""

from __future__ import annotations

from standin.checks import command_target, text_entities
from standin.model import Chat, Message, SimUser
from standin.stage import Stage


class World(Stage):
    """The stage, and people writing, editing, pressing and sending files on it."""

    # --- what people do --------------------------------------------------------------------------
    def _chat_for(self, user: SimUser, chat: int | Chat | None) -> Chat:
        target = self.chats[user.id] if chat is None else chat
        target = target if isinstance(target, Chat) else self.chats[target]
        if target.type == "private":
            if target.id != user.id:
                raise ValueError(f"{user.first_name} cannot write in another person's chat")
            user.started, user.blocked = True, False  # writing to a bot presses Start
            target.bot_status = "member"
        elif user.id not in target.members:
            raise ValueError(f"{user.first_name} is not a member of {target.title!r}")
        elif target.migrated_to is not None:
            raise ValueError(f"{target.id} became supergroup {target.migrated_to}")
        return target

    def _bot_sees(self, chat: Chat, msg: Message) -> bool:
        """Telegram's privacy mode: in groups, commands (not addressed to other bots) and
        replies to the bot; all messages if privacy mode is off or the bot is an admin."""
        if chat.type == "private" or msg.service:
            return True
        if not chat.bot_member:
            return False
        if not self.privacy_mode or chat.bot_status == "administrator":
            return True
        command = command_target(msg.text) if not msg.document and not msg.photo else None
        if command is not None:
            return command[1] is None or command[1].lower() == self.bot_username.lower()
        original = self.find(chat.id, msg.reply_to) if msg.reply_to else None
        return original is not None and original.from_bot

    def _post(self, chat: Chat, msg: Message, kind: str = "message") -> Message:
        self.store(msg)
        if self._bot_sees(chat, msg):
            self.push_update({kind: self.message_json(msg)})
        return msg

    def user_message(
        self, user: SimUser, text: str, chat: int | Chat | None, reply_to: Message | None = None
    ) -> Message:
        target = self._chat_for(user, chat)
        msg = Message(
            next(target.next_id),
            target.id,
            False,
            user.id,
            text,
            text,
            date=self.unix_time(),
            entities=text_entities(text),
            reply_to=reply_to.message_id if reply_to else None,
        )
        return self._post(target, msg)

    def user_edit(self, user: SimUser, msg: Message, text: str) -> None:
        if msg.from_bot or msg.sender_id != user.id:
            raise ValueError("people can only edit their own messages")
        msg.edits.append(msg.text)
        msg.text = msg.html = text
        msg.entities = text_entities(text)
        msg.edit_date = self.unix_time()
        if self._bot_sees(self.chats[msg.chat_id], msg):
            self.push_update({"edited_message": self.message_json(msg)})

    def user_press(self, user: SimUser, msg: Message, data: str) -> str:
        """Anyone may press: buttons travel with forwarded messages, and data can be forged."""
        if msg.deleted:
            raise ValueError("that message was deleted")
        query_id = f"Q{next(self._query_ids)}"
        self.queries[query_id] = self.now()
        self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.as_json(),
                    "message": self.message_json(msg),
                    "chat_instance": str(msg.chat_id),
                    "data": data,
                }
            }
        )
        return query_id

    def user_file(
        self,
        user: SimUser,
        kind: str,
        name: str,
        content: bytes,
        chat: int | Chat | None,
        caption: str,
    ) -> Message:
        target = self._chat_for(user, chat)
        file_id = self.add_file(content, name)
        self.file_kinds[file_id] = kind
        msg = Message(
            next(target.next_id),
            target.id,
            False,
            user.id,
            caption,
            caption,
            date=self.unix_time(),
            caption=caption or None,
        )
        media = self.media(kind, file_id)
        msg.photo, msg.document = media.get("photo"), media.get("document")
        return self._post(target, msg)
