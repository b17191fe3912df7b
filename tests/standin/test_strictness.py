"""The stand-in refuses what Telegram refuses, in Telegram's words and status codes.

Driven through the real python-telegram-bot `Bot`, so each refusal is checked as the exception
the bot will really see.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, RetryAfter

from tests.support.raw_api import TOKEN
from tests.support.standin_reading import ReadingStandIn


@pytest.fixture
async def bot(standin: ReadingStandIn) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=standin.base_url, base_file_url=standin.base_file_url) as b:
        yield b


@pytest.fixture
async def alice(standin: ReadingStandIn) -> int:
    user = standin.add_user(1, "Alice")
    await user.send("/start")
    return user.id


async def test_html_is_checked_like_telegram(bot: Bot, alice: int) -> None:
    ok = await bot.send_message(alice, "<b>a</b> &lt;b&gt; &amp; &#20013;", parse_mode="HTML")
    assert ok.text == "a <b> & 中"
    for bad, words in [
        ("<script>x</script>", 'Unsupported start tag "script"'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;"'),
        ("<a>link</a>", "Can't find href"),
        ("a < b", "can't parse entities"),
    ]:
        with pytest.raises(BadRequest, match=r"(?i)parse entities") as err:
            await bot.send_message(alice, bad, parse_mode=ParseMode.HTML)
        assert words.lower() in err.value.message.lower()
    plain = await bot.send_message(alice, "<script> without parse mode is text")
    assert plain.text == "<script> without parse mode is text"


async def test_text_limit_counts_utf16_units(bot: Bot, alice: int) -> None:
    await bot.send_message(alice, "😀" * 2048)  # 4096 UTF-16 units
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(alice, "😀" * 2048 + "x")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):  # entities don't count
        await bot.send_message(alice, "<b>" + "中" * 4097 + "</b>", parse_mode="HTML")
    await bot.send_message(alice, "<b>" + "中" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(alice, "<b> </b>", parse_mode="HTML")


async def test_callback_data_is_64_bytes_at_most(bot: Bot, alice: int) -> None:
    def markup(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data=data)]])

    await bot.send_message(alice, "ok", reply_markup=markup("中" * 21))  # 63 bytes
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(alice, "no", reply_markup=markup("中" * 22))  # 66 bytes


async def test_edit_to_identical_content_is_refused(
    bot: Bot, alice: int, standin: ReadingStandIn
) -> None:
    keys = InlineKeyboardMarkup([[InlineKeyboardButton("k", callback_data="k")]])
    msg = await bot.send_message(alice, "same", reply_markup=keys)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("same", alice, msg.message_id, reply_markup=keys)
    # Dropping the keyboard is a change.
    await bot.edit_message_text("same", alice, msg.message_id)
    assert standin.bot_messages(alice)[-1].buttons == []
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", alice, 999)


async def test_people_who_never_started_or_blocked_give_403(
    bot: Bot, standin: ReadingStandIn
) -> None:
    bob = standin.add_user(2, "Bob")
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation with a user"):
        await bot.send_message(bob.id, "hello")
    await bob.send("/start")
    await bot.send_message(bob.id, "hello")
    bob.block()
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(bob.id, "hello")


async def test_groups_unknown_chats_kicked_and_migrated(bot: Bot, standin: ReadingStandIn) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(-777, "anyone?")
    standin.add_group(-10, "G")
    await bot.send_message(-10, "hi group")
    new_id = standin.upgrade_group(-10)
    with pytest.raises(ChatMigrated) as err:
        await bot.send_message(-10, "hi again")
    assert err.value.new_chat_id == new_id
    await bot.send_message(new_id, "hi supergroup")
    standin.remove_bot_from(new_id)
    with pytest.raises(Forbidden, match=r"(?i)bot was kicked"):
        await bot.send_message(new_id, "still here?")


async def test_flood_gives_429_with_retry_after_for_that_chat_only(
    bot: Bot, alice: int, standin: ReadingStandIn
) -> None:
    carol = standin.add_user(3, "Carol")
    await carol.send("/start")
    standin.faults.flood(chat_id=alice, retry_after=7)
    await bot.send_message(carol.id, "others are not held up")
    with pytest.raises(RetryAfter) as err:
        await bot.send_message(alice, "x")
    assert err.value.retry_after == timedelta(seconds=7)
    await bot.send_message(alice, "after the flood")


async def test_callback_queries_answer_once_and_not_when_too_old(
    bot: Bot, standin: ReadingStandIn
) -> None:
    user = standin.add_user(5, "Eve")
    await user.send("/start")
    keys = InlineKeyboardMarkup([[InlineKeyboardButton("k", callback_data="k")]])
    msg = await bot.send_message(5, "press", reply_markup=keys)
    query = await user.press(standin.bot_messages(5)[-1], "k")
    assert msg.message_id == standin.bot_messages(5)[-1].message_id
    await bot.answer_callback_query(query, text="done")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query, text="twice")
    standin.query_max_age = 0
    late = await user.press(standin.bot_messages(5)[-1], "k")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(late)


async def test_wrong_token_unknown_method_and_missing_parameters(standin: ReadingStandIn) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("4242:wrong-token-abcdefghijklm", base_url=standin.base_url) as b:
            await b.get_me()
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{standin.base_url}{TOKEN}/sendTelepathy") as r:
            assert r.status == 404
            assert await r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        async with http.post(f"{standin.base_url}{TOKEN}/sendMessage", data={"text": "x"}) as r:
            body = json.loads(await r.text())
            assert r.status == 400 and body["description"] == "Bad Request: chat_id is empty"


async def test_second_poller_terminates_the_first(bot: Bot, standin: ReadingStandIn) -> None:
    """Two processes polling one token: Telegram ends the older request with 409."""
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    async with Bot(TOKEN, base_url=standin.base_url) as other:
        second = asyncio.create_task(other.get_updates(timeout=1))
        with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates request"):
            await first
        assert await second == ()


async def test_descriptions_keep_their_limits_per_language(bot: Bot) -> None:
    """setMyDescription 0-512, setMyShortDescription 0-120 characters; an empty text removes the
    language's own, and a language without one gets the text for everybody."""
    await bot.set_my_description("说" * 512, language_code="zh")
    with pytest.raises(BadRequest, match=r"(?i)description must be 0-512 characters"):
        await bot.set_my_description("说" * 513, language_code="zh")
    await bot.set_my_short_description("短" * 120)
    with pytest.raises(BadRequest, match=r"(?i)short_description must be 0-120 characters"):
        await bot.set_my_short_description("短" * 120 + "!", language_code="en")
    with pytest.raises(BadRequest, match=r"(?i)lang_code_invalid"):
        await bot.set_my_description("x", language_code="zh_CN")
    assert (await bot.get_my_description(language_code="zh")).description == "说" * 512
    assert (await bot.get_my_short_description(language_code="en")).short_description == "短" * 120
    await bot.set_my_description("", language_code="zh")
    assert (await bot.get_my_description(language_code="zh")).description == ""
