"""Delivering an answer that Telegram did not take while its update was handled
(runtime.durable): skipped when the person has moved past its step, and an edit of the
pressed message where it was one."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.deps import Deps
from bot.drafts import service as drafts
from bot.outbox.models import OutboxMessage
from runtime import durable

log = logging.getLogger(__name__)


async def superseded(deps: Deps, message: OutboxMessage) -> bool:
    """A step's question whose draft has moved since it was queued: sent now, it would be a
    stale question as the newest message."""
    marker = message.params.get("step")
    if marker is None:
        return False
    return bool(durable.step_marker(await drafts.get(deps, message.chat_id)) != marker)


async def edit(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """Edit the pressed message as the answer meant to; False when it can no longer be edited
    (deleted, too old), and the answer goes as a new message instead. Edited twice (the first
    try did arrive) is "not modified": done."""
    try:
        await bot.edit_message_text(
            text, chat_id, message_id, parse_mode=ParseMode.HTML, reply_markup=markup
        )
    except BadRequest as exc:
        if "not modified" in exc.message:
            return True
        log.info("answer could not be edited into message %s: %s", message_id, exc.message)
        return False
    return True
