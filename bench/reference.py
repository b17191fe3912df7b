"""The reference: a bare python-telegram-bot bot, no database, run as a process against the
same stand-in as Duty Desk, so the bench can state Duty Desk's figures as ratios of it.

    python -m bench.reference --api URL --token TOKEN --mode conv|echo

conv: /begin sends a message with 3 inline buttons; each press answers the query and edits the
message into the next step (3 steps, then "Done."), a ConversationHandler keeping the state.
echo: every text message is answered with its text. Updates are handled one at a time
(python-telegram-bot's default, as Duty Desk does).
"""

from __future__ import annotations

import argparse
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

STEPS = 3


def _buttons(step: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"{step}.{i}", callback_data=f"{step}:{i}") for i in range(3)]]
    )


async def begin(update: Update, _: ContextTypes.DEFAULT_TYPE) -> int:
    """/begin: the message of step 1 with its three buttons; the conversation is at step 1."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("Step 1 of 3", reply_markup=_buttons(1))
    return 1


def _step(step: int):  # type: ignore[no-untyped-def]
    async def pressed(update: Update, _: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        assert query is not None
        await query.answer()
        if step == STEPS:
            await query.edit_message_text(f"Done: {query.data}")
            return ConversationHandler.END
        await query.edit_message_text(f"Step {step + 1} of 3", reply_markup=_buttons(step + 1))
        return step + 1

    return pressed


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message with its text."""
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def build(api: str, token: str, mode: str) -> Application:  # type: ignore[type-arg]
    """The bot against the stand-in at `api`: the echo handler in echo mode, else the
    three-step conversation."""
    app = (
        Application.builder()
        .token(token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .build()
    )
    if mode == "echo":
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    else:
        app.add_handler(
            ConversationHandler(
                entry_points=[CommandHandler("begin", begin)],
                states={s: [CallbackQueryHandler(_step(s))] for s in range(1, STEPS + 1)},
                fallbacks=[CommandHandler("begin", begin)],
                per_message=False,
            )
        )
    return app


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.reference`: build the bot from the arguments and poll until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", required=True, help="the stand-in's root URL")
    parser.add_argument("--token", required=True)
    parser.add_argument("--mode", choices=("conv", "echo"), default="conv")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    build(args.api, args.token, args.mode).run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
