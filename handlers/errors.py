"""The one error handler: log with the traceback, then tell the person something useful."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode

from bot.context import Ctx
from handlers.common import renderer_for

log = logging.getLogger("dutydesk.errors")


async def on_error(update: object, ctx: Ctx) -> None:
    """Unexpected errors only: domain errors were answered by the handler wrappers."""
    log.error("error while handling an update", exc_info=ctx.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        r = await renderer_for(ctx, update.effective_user)
        text = r("Something went wrong on my side and nothing was changed. Please try again.")
        if update.callback_query is not None:
            await update.callback_query.answer(text[:200], show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(
                text, parse_mode=ParseMode.HTML, do_quote=False
            )
    except Exception:  # the error handler itself must never raise
        log.warning("could not tell the user about the error", exc_info=True)
