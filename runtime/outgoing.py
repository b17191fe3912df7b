"""One outbox message as Telegram receives it: its text and buttons rendered in the recipient's
language at delivery (render.notices), then sent as a message, a file with its caption, or the
edit of an answer (runtime.durable). What happens after a failure is runtime.delivery's."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.deps import Deps
from bot.files import service as files
from bot.outbox.models import OutboxMessage
from render.fitting import fit
from render.notices import notice
from render.renderer import Renderer, keyboard
from runtime import queued_answers as answers
from runtime.durable import ANSWER

log = logging.getLogger(__name__)

MAX_CAPTION = 1024  # Telegram's limit for a file's caption, as for a message's 4,096


class Outgoing:
    """Renders and sends outbox messages through one bot."""

    def __init__(self, deps: Deps, bot: Bot) -> None:
        self.deps = deps
        self.bot = bot

    def compose(
        self, message: OutboxMessage, locale: str | None
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        """The message's text and keyboard in `locale` (the default locale when unknown)."""
        r = Renderer(locale or self.deps.settings.default_locale, self.deps.zone)
        if message.template == ANSWER:  # rendered (and escaped) when it was given
            text = str(message.params["text"])
        else:
            text = fit(notice(r, message.template, message.params))
        markup = (
            keyboard(
                [[(_label(r, b), self._target(b["data"])) for b in row] for row in message.buttons]
            )
            if message.buttons
            else None
        )
        return text, markup

    def _target(self, data: str) -> str:
        """ "start:<payload>" is a deep link into the private chat (a bot cannot write first)."""
        if data.startswith("start:"):
            return f"https://t.me/{self.bot.username}?start={data[6:]}"
        return data

    async def post(
        self, message: OutboxMessage, text: str, markup: InlineKeyboardMarkup | None
    ) -> int:
        """A text message, or a file (photo/document by its Telegram file_id) with a caption,
        or an edit of an answer (runtime.durable); returns the message's id."""
        edit = message.params.get("edit")
        if edit and await answers.edit(self.bot, message.chat_id, int(edit), text, markup):
            return int(edit)
        file_id = message.params.get("file_id")
        if not file_id:
            sent = await self.bot.send_message(
                message.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
            return sent.message_id
        caption = fit(text, MAX_CAPTION)
        try:
            sent = await self._send_file(message, file_id, caption)
        except BadRequest as exc:
            # Telegram no longer has it (a new token, its retention): the office's copy.
            kept = await files.kept_copy(self.deps, file_id)
            if kept is None:
                raise
            log.info(
                "file %s gone from Telegram (%s): sent from the kept copy", file_id, exc.message
            )
            content, name, _kind = kept
            sent = await self._send_file(message, InputFile(content, filename=name), caption)
        return sent.message_id

    async def _send_file(
        self, message: OutboxMessage, file: str | InputFile, caption: str
    ) -> Message:
        if message.params.get("file_kind") == "photo":
            return await self.bot.send_photo(
                message.chat_id, file, caption=caption, parse_mode=ParseMode.HTML
            )
        return await self.bot.send_document(
            message.chat_id, file, caption=caption, parse_mode=ParseMode.HTML
        )


def _label(r: Renderer, button: dict[str, str]) -> str:
    """A button's msgid, translated for the recipient (or its text, already translated)."""
    if "text" in button:
        return button["text"]
    return r.plain(button.get("label", ""))
