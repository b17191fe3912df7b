"""The real python-telegram-bot Application against the stand-in: polling, commands, buttons,
and Telegram's refusals arriving as PTB's own exceptions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.support.raw_api import TOKEN
from tests.support.standin_reading import ReadingStandIn

AnyApp = Application[Any, Any, Any, Any, Any, Any]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keys = [
        [
            InlineKeyboardButton("English", callback_data="lang:en"),
            InlineKeyboardButton("中文", callback_data="lang:zh"),
        ]
    ]
    await update.effective_message.reply_text(
        "<b>Welcome</b>, choose:", parse_mode="HTML", reply_markup=InlineKeyboardMarkup(keys)
    )


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer("Saved.")
    await query.edit_message_text(f"Language: {query.data.partition(':')[2]}")


@pytest.fixture
async def app(standin: ReadingStandIn) -> AsyncIterator[AnyApp]:
    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(standin.base_url)
        .base_file_url(standin.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(choose))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    yield application
    loop = asyncio.get_running_loop()
    began = loop.time()
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    assert loop.time() - began < 3, "shutdown must not wait for a long poll"


async def test_start_press_answer_edit(app: AnyApp, standin: ReadingStandIn) -> None:
    alice = standin.add_user(1001, "Alice", language_code="zh-hans", username="alice")
    await alice.send("/start")
    msg = await standin.next_message(1001)
    assert msg.text == "Welcome, choose:" and msg.html == "<b>Welcome</b>, choose:"
    assert msg.buttons == [[("English", "lang:en"), ("中文", "lang:zh")]]
    query_id = await alice.press(msg, "中文")
    await standin.wait_until(lambda: msg.edits, what="the edit")
    assert msg.text == "Language: zh" and msg.buttons == []  # edited without markup
    assert standin.answers == [(query_id, "Saved.", False)]
    assert [(e.kind, e.text) for e in [await standin.next_event(1001) for _ in range(2)]] == [
        ("sent", "Welcome, choose:"),
        ("edited", "Language: zh"),
    ]
    await standin.quiet(0.1)
    assert standin.unread(1001) == []


async def test_refusals_are_ptb_exceptions(app: AnyApp, standin: ReadingStandIn) -> None:
    bot = app.bot
    alice = standin.add_user(1001, "Alice")
    with pytest.raises(Forbidden, match=r"(?i)bot can.t initiate conversation with a user"):
        await bot.send_message(1001, "hello")
    await alice.send("/start")
    await standin.next_message(1001)
    with pytest.raises(BadRequest, match=r"(?i)can.t parse entities: unsupported start tag"):
        await bot.send_message(1001, "<script>x</script>", parse_mode="HTML")
    standin.faults.flood(chat_id=1001, retry_after=3)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(1001, "too fast")
    assert flood.value.retry_after in (3, timedelta(seconds=3))  # PTB_TIMEDELTA decides
    standin.add_group(-5001, "Org group", members=[alice])
    new_id = standin.upgrade_group(-5001)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-5001, "hello group")
    assert migrated.value.new_chat_id == new_id
    sent = await bot.send_message(new_id, "hello supergroup")
    assert sent.chat.type == "supergroup"
    member = await bot.get_chat_member(new_id, 1001)
    assert member.status == "member"
    chat = await bot.get_chat(1001)
    assert chat.first_name == "Alice"


async def test_documents_and_commands(app: AnyApp, standin: ReadingStandIn) -> None:
    bot = app.bot
    alice = standin.add_user(1001, "Alice")
    await alice.send("/start")
    await standin.next_message(1001)
    doc = await bot.send_document(1001, b"a,b\n1,2\n", filename="t.csv", caption="table")
    assert doc.document is not None and doc.caption == "table"
    file = await bot.get_file(doc.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"a,b\n1,2\n"
    await bot.set_my_commands([("help", "What you can do")], language_code="en")
    assert standin.commands[("default", "en")] == [("help", "What you can do")]
    assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["help"]
    await bot.delete_my_commands(language_code="en")
    assert await bot.get_my_commands(language_code="en") == ()
    await bot.send_chat_action(1001, "typing")
    me = await bot.get_me()
    assert me.username == "strict_bot"
