"""Files sent as answers to a guided conversation's step (a report's attachments, a meeting's
minutes): checked against the policy's limits and noted by their Telegram file_id; once the
record is saved the office keeps its own copy (bot.files)."""

from __future__ import annotations

from typing import Any

from telegram import Message

from bot.context import Ctx
from bot.errors import InvalidInput
from bot.files import service as kept_files
from bot.freetext import attachment_name
from bot.i18n import N_
from handlers.common import reply
from render.renderer import Renderer


async def add_attachment(
    ctx: Ctx, message: Message, r: Renderer, files: list[dict[str, Any]]
) -> None:
    """A photo or document sent as an answer: checked against the policy's limits and noted
    by its Telegram file_id; once the record is saved the office keeps its own copy
    (bot.files). A file larger than the bot may download is still attached, and its sender
    told at once that no copy can be kept and what to do instead."""
    policy = ctx.deps.policy.incidents
    item: dict[str, Any]
    if message.photo:
        photo = message.photo[-1]
        item = {
            "file_id": photo.file_id,
            "kind": "photo",
            "name": attachment_name(message.caption),
            "size": photo.file_size,
            "mime_type": "image/jpeg",
        }
    else:
        assert message.document is not None
        doc = message.document
        item = {
            "file_id": doc.file_id,
            "kind": "document",
            "name": attachment_name(doc.file_name or message.caption),
            "size": doc.file_size,
            "mime_type": doc.mime_type,
        }
    if (item["size"] or 0) > policy.max_attachment_mb * 1024 * 1024:
        raise InvalidInput(
            N_(
                "That file is larger than {mb} MB, the most the office accepts for one file. "
                "Please send a smaller one or describe it in text."
            ),
            mb=policy.max_attachment_mb,
        )
    if len(files) >= policy.max_attachments:
        raise InvalidInput(N_("At most {n} files can be attached."), n=policy.max_attachments)
    files.append(item)
    limit = ctx.deps.settings.max_download_mb
    if kept_files.too_big(item["size"], limit):
        await reply(
            message,
            r(
                "This file is larger than {mb} MB, so the bot cannot keep its own copy: it is "
                "attached and sent on, but only while Telegram still has it. Please also send it "
                "split into parts of at most {mb} MB, or hand a copy to the office.",
                mb=limit,
            ),
        )
