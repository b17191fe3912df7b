"""Each of Telegram's refusals, over raw HTTP: the exact shape, status and words."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from standin.model import SimUser
from tests.support.raw_api import TOKEN, Api
from tests.support.standin_reading import ReadingStandIn

PARSE = "Bad Request: can't parse entities: "


def keyboard(*buttons: dict[str, str]) -> dict[str, object]:
    return {"inline_keyboard": [list(buttons)]}


async def test_html_parse_errors_name_the_problem_and_the_byte(api: Api, alice: SimUser) -> None:
    for html, words in [
        ("中<script>x</script>", 'Unsupported start tag "script" at byte offset 3'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("Tom &foo; Jerry", 'Unsupported HTML entity "&foo;" at byte offset 4'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<a>link</a>", 'Can\'t find href attribute in tag "a" at byte offset 0'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ]:
        status, body = await api("sendMessage", chat_id=alice.id, text=html, parse_mode="HTML")
        assert (status, body) == (
            400,
            {"ok": False, "error_code": 400, "description": PARSE + words},
        ), html


async def test_html_is_stored_as_visible_text_with_entities(
    api: Api, alice: SimUser, standin: ReadingStandIn
) -> None:
    html = (
        '<b>Hi</b> &lt;you&gt; &amp; &#20013;&#x6587; <a href="tg://user?id=1">A</a> '
        "<tg-spoiler>s</tg-spoiler> <blockquote expandable>q</blockquote> a & b > c"
    )
    status, body = await api("sendMessage", chat_id=alice.id, text=html, parse_mode="HTML")
    assert status == 200 and body["ok"] is True
    result = body["result"]
    assert result["text"] == "Hi <you> & 中文 A s q a & b > c"
    assert [e["type"] for e in result["entities"]] == [
        "bold",
        "text_link",
        "spoiler",
        "expandable_blockquote",
    ]
    msg = (await standin.next_message(alice.id)).html
    assert msg == html
    # Without parse_mode, tags are just text.
    status, body = await api("sendMessage", chat_id=alice.id, text="<script>")
    assert body["result"]["text"] == "<script>"


async def test_text_length_is_counted_in_utf16_units(api: Api, alice: SimUser) -> None:
    status, _ = await api("sendMessage", chat_id=alice.id, text="😀" * 2048)  # 4096 units
    assert status == 200
    status, body = await api("sendMessage", chat_id=alice.id, text="😀" * 2048 + "x")
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    # Tags do not count, the visible text does.
    text = "<b>" + "中" * 4096 + "</b>"
    assert (await api("sendMessage", chat_id=alice.id, text=text, parse_mode="HTML"))[0] == 200
    for empty in ["", "   \n ", "<b> </b>"]:
        status, body = await api("sendMessage", chat_id=alice.id, text=empty, parse_mode="HTML")
        assert (status, body["description"]) == (400, "Bad Request: message text is empty")


async def test_caption_limit(
    alice: SimUser, standin: ReadingStandIn, http: aiohttp.ClientSession
) -> None:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(alice.id))
    form.add_field("caption", "x" * 1025)
    form.add_field("document", b"data", filename="a.txt")
    async with http.post(f"{standin.base_url}{TOKEN}/sendDocument", data=form) as r:
        assert (r.status, (await r.json())["description"]) == (
            400,
            "Bad Request: message caption is too long",
        )


async def test_callback_data_is_at_most_64_bytes(api: Api, alice: SimUser) -> None:
    ok = keyboard({"text": "ok", "callback_data": "中" * 21})  # 63 bytes
    assert (await api("sendMessage", chat_id=alice.id, text="t", reply_markup=ok))[0] == 200
    for button in [
        {"text": "no", "callback_data": "中" * 22},  # 66 bytes
        {"text": "no", "callback_data": ""},
    ]:
        status, body = await api(
            "sendMessage", chat_id=alice.id, text="t", reply_markup=keyboard(button)
        )
        assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_buttons_need_text_one_action_and_a_good_url(api: Api, alice: SimUser) -> None:
    for good in ["https://t.me/strict_bot?start=help", "tg://user?id=1001", "http://example.org"]:
        markup = keyboard({"text": "b", "url": good})
        assert (await api("sendMessage", chat_id=alice.id, text="t", reply_markup=markup))[0] == 200
    for button, words in [
        ({"text": "b", "url": "javascript:alert(1)"}, "BUTTON_URL_INVALID"),
        ({"text": "b", "url": "https://"}, "BUTTON_URL_INVALID"),
        ({"text": "b", "callback_data": "x", "url": "https://t.me"}, "exactly one of"),
        ({"text": "b"}, "text buttons are unallowed in the inline keyboard"),
        ({"text": "", "callback_data": "x"}, "Text must be non-empty"),
    ]:
        status, body = await api(
            "sendMessage", chat_id=alice.id, text="t", reply_markup=keyboard(button)
        )
        assert status == 400 and words in body["description"], button


async def test_edits(api: Api, alice: SimUser, standin: ReadingStandIn) -> None:
    keys = keyboard({"text": "k", "callback_data": "k"})
    _, body = await api(
        "sendMessage", chat_id=alice.id, text="<b>same</b>", parse_mode="HTML", reply_markup=keys
    )
    mid = body["result"]["message_id"]
    same = {"text": "<strong>same</strong>", "parse_mode": "HTML", "reply_markup": keys}
    status, body = await api("editMessageText", chat_id=alice.id, message_id=mid, **same)
    assert (status, body["description"]) == (
        400,
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
    )
    status, body = await api(
        "editMessageReplyMarkup", chat_id=alice.id, message_id=mid, reply_markup=keys
    )
    assert status == 400 and "message is not modified" in body["description"]
    # The same text without reply_markup is a change: the keyboard goes, as on Telegram.
    status, body = await api(
        "editMessageText", chat_id=alice.id, message_id=mid, text="same", parse_mode="HTML"
    )
    assert status == 200 and "reply_markup" not in body["result"]
    msg = standin.bot_messages(alice.id)[-1]
    assert msg.buttons == [] and msg.edits == ["same"] and msg.html == "same"
    status, body = await api("editMessageText", chat_id=alice.id, message_id=999, text="x")
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
    own = standin.messages(alice.id)[0]  # Alice's /start
    status, body = await api(
        "editMessageText", chat_id=alice.id, message_id=own.message_id, text="x"
    )
    assert (status, body["description"]) == (400, "Bad Request: message can't be edited")
    events = [(e.kind, e.text) for e in [await standin.next_event(alice.id) for _ in range(2)]]
    assert events == [("sent", "same"), ("edited", "same")]


async def test_who_the_bot_may_write_to(api: Api, standin: ReadingStandIn) -> None:
    bob = standin.add_user(2, "Bob")
    status, body = await api("sendMessage", chat_id=2, text="hi")
    assert (status, body) == (
        403,
        {
            "ok": False,
            "error_code": 403,
            "description": "Forbidden: bot can't initiate conversation with a user",
        },
    )
    await bob.send("hello")  # writing to the bot is pressing Start
    assert (await api("sendMessage", chat_id=2, text="hi"))[0] == 200
    bob.block()
    assert (await api("sendMessage", chat_id=2, text="hi"))[1]["description"] == (
        "Forbidden: bot was blocked by the user"
    )
    assert standin.updates[-1]["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    bob.unblock()
    assert (await api("sendMessage", chat_id=2, text="hi"))[0] == 200
    status, body = await api("sendMessage", chat_id=-777, text="hi")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    standin.add_group(-10, "G", members=[bob])
    assert (await api("sendMessage", chat_id=-10, text="hi"))[0] == 200
    standin.remove_bot_from(-10)
    status, body = await api("sendMessage", chat_id=-10, text="hi")
    assert (status, body["description"]) == (403, "Forbidden: bot was kicked from the group chat")


async def test_upgraded_group_answers_with_the_new_id(api: Api, standin: ReadingStandIn) -> None:
    carol = standin.add_user(3, "Carol")
    standin.add_group(-10, "G", members=[carol])
    new_id = standin.upgrade_group(-10)
    assert new_id == -10010
    status, body = await api("sendMessage", chat_id=-10, text="hi")
    assert (status, body) == (
        400,
        {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: group chat was upgraded to a supergroup chat",
            "parameters": {"migrate_to_chat_id": new_id},
        },
    )
    _, body = await api("getUpdates")
    assert [u["message"].get("migrate_to_chat_id") for u in body["result"]] == [new_id, None]
    assert body["result"][1]["message"]["migrate_from_chat_id"] == -10
    assert (await api("sendMessage", chat_id=new_id, text="hi"))[0] == 200


async def test_flood_fault_gives_429_with_retry_after(
    api: Api, alice: SimUser, standin: ReadingStandIn
) -> None:
    standin.faults.flood(chat_id=alice.id, retry_after=7, times=2)
    bob = standin.add_user(2, "Bob")
    await bob.send("/start")
    assert (await api("sendMessage", chat_id=2, text="others go"))[0] == 200
    for _ in range(2):
        status, body = await api("sendMessage", chat_id=alice.id, text="x")
        assert (status, body) == (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            },
        )
    assert (await api("sendMessage", chat_id=alice.id, text="x"))[0] == 200


async def test_realistic_flood_limits(api: Api, alice: SimUser, standin: ReadingStandIn) -> None:
    standin.faults.realistic = True
    assert (await api("sendMessage", chat_id=alice.id, text="1"))[0] == 200
    status, body = await api("sendMessage", chat_id=alice.id, text="2")
    assert status == 429 and body["parameters"] == {"retry_after": 1}
    standin.advance_clock(1.0)
    assert (await api("sendMessage", chat_id=alice.id, text="2"))[0] == 200
    group = standin.add_group(-20, "G", members=[alice])
    for i in range(20):
        standin.advance_clock(1.0)
        assert (await api("sendMessage", chat_id=group.id, text=str(i)))[0] == 200
    standin.advance_clock(1.0)
    status, body = await api("sendMessage", chat_id=group.id, text="21st")
    assert status == 429 and body["parameters"]["retry_after"] == 40


async def test_unknown_method_wrong_token_and_missing_parameters(
    api: Api, standin: ReadingStandIn, http: aiohttp.ClientSession
) -> None:
    assert await api("sendTelepathy", chat_id=1) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert await api("getMe", token="4242:wrong") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    status, body = await api("SENDMESSAGE", text="x")  # names are case-insensitive
    assert (status, body["description"]) == (400, "Bad Request: chat_id is empty")
    status, body = await api("sendMessage", chat_id=1)
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await api("banChatMember", chat_id=-1)
    assert (status, body["description"]) == (400, "Bad Request: parameter user_id is required")
    assert await api("setMyDescription", description="x") == (200, {"ok": True, "result": True})
    async with http.get(f"{standin.base_url}{TOKEN}/getMe") as r:  # GET works too
        assert (await r.json())["result"]["username"] == "strict_bot"
    async with http.post(f"{standin.base_url}{TOKEN}/getChat", json={"chat_id": -1}) as r:
        assert (r.status, (await r.json())["description"]) == (400, "Bad Request: chat not found")


async def test_stale_and_repeated_callback_answers(
    api: Api, alice: SimUser, standin: ReadingStandIn
) -> None:
    keys = keyboard({"text": "Go", "callback_data": "go"})
    await api("sendMessage", chat_id=alice.id, text="press", reply_markup=keys)
    msg = await standin.next_message(alice.id)
    query = await alice.press(msg, "Go")
    assert (await api("answerCallbackQuery", callback_query_id=query, text="ok", show_alert=True))[
        0
    ] == 200
    assert standin.answers == [(query, "ok", True)]
    too_old = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    for query_id in [query, "nonsense"]:  # answered already; never existed
        status, body = await api("answerCallbackQuery", callback_query_id=query_id)
        assert (status, body["description"]) == (400, too_old)
    late = await alice.press(msg, 0)
    standin.advance_clock(standin.query_max_age + 1)
    status, body = await api("answerCallbackQuery", callback_query_id=late)
    assert (status, body["description"]) == (400, too_old)


async def test_get_updates_offset_limit_allowed_and_long_poll(
    api: Api, alice: SimUser, standin: ReadingStandIn
) -> None:
    await alice.send("two")
    _, body = await api("getUpdates", limit=1)
    [first] = body["result"]
    assert first["message"]["text"] == "/start"
    assert first["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    _, body = await api("getUpdates", offset=first["update_id"] + 1)
    assert [u["message"]["text"] for u in body["result"]] == ["two"]
    _, body = await api("getUpdates", offset=body["result"][-1]["update_id"] + 1)
    assert body["result"] == []
    # Long poll: answered as soon as an update arrives, not at the timeout.
    poll = asyncio.create_task(api("getUpdates", timeout=10))
    await asyncio.sleep(0.1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await alice.send("three")
    _, body = await poll
    assert [u["message"]["text"] for u in body["result"]] == ["three"]
    assert loop.time() - started < 1
    # allowed_updates: what is not wanted is never delivered.
    keys = keyboard({"text": "Go", "callback_data": "go"})
    await api("sendMessage", chat_id=alice.id, text="p", reply_markup=keys)
    await alice.press(await standin.next_message(alice.id), "Go")
    await alice.send("four")
    _, body = await api("getUpdates", offset=-2, allowed_updates=["message"])
    assert [u["message"]["text"] for u in body["result"]] == ["four"]


async def test_a_second_poller_ends_the_first_with_409(api: Api, standin: ReadingStandIn) -> None:
    first = asyncio.create_task(api("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(api("getUpdates", timeout=0))
    assert await first == (
        409,
        {
            "ok": False,
            "error_code": 409,
            "description": "Conflict: terminated by other getUpdates request; make sure that only "
            "one bot instance is running",
        },
    )
    assert await second == (200, {"ok": True, "result": []})


async def test_webhook_delivers_with_secret_and_blocks_get_updates(
    api: Api, alice: SimUser, standin: ReadingStandIn
) -> None:
    from aiohttp import web

    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        status, _ = await api("setWebhook", url=url, secret_token="s3cret")
        assert status == 200
        await standin.wait_until(lambda: received, 5, "the webhook delivery")
        assert received[0][0] == "s3cret" and received[0][1]["message"]["text"] == "/start"
        status, body = await api("getUpdates")
        assert status == 409 and "webhook is active" in body["description"]
        _, info = await api("getWebhookInfo")
        assert info["result"]["url"] == url
        await api("deleteWebhook")
        assert (await api("getUpdates"))[0] == 200
    finally:
        await runner.cleanup()


async def test_files_round_trip(
    api: Api, alice: SimUser, standin: ReadingStandIn, http: aiohttp.ClientSession
) -> None:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(alice.id))
    form.add_field("caption", "<b>report</b>")
    form.add_field("parse_mode", "HTML")
    form.add_field("document", "年报".encode(), filename="report.txt")
    async with http.post(f"{standin.base_url}{TOKEN}/sendDocument", data=form) as r:
        sent = (await r.json())["result"]
    assert sent["caption"] == "report" and sent["document"]["file_name"] == "report.txt"
    file_id = sent["document"]["file_id"]
    _, body = await api("getFile", file_id=file_id)
    async with http.get(f"{standin.base_file_url}{TOKEN}/{body['result']['file_path']}") as r:
        assert await r.read() == "年报".encode()
    # The same file again, by id; a photo a person sent.
    assert (await api("sendDocument", chat_id=alice.id, document=file_id))[0] == 200
    photo = await alice.send_photo(b"\x89PNG")
    _, body = await api("getUpdates", offset=-1)
    assert body["result"][0]["message"]["photo"][-1]["file_id"] == photo.photo[-1]["file_id"]  # type: ignore[index]


async def test_privacy_mode_in_groups(api: Api, alice: SimUser, standin: ReadingStandIn) -> None:
    group = standin.add_group(-30, "G", members=[alice])
    await alice.send("chatter", chat=group)
    await alice.send("/help@other_bot", chat=group)
    await alice.send("/help@strict_bot now", chat=group)
    _, body = await api("sendMessage", chat_id=-30, text="bot says")
    bot_msg = standin.find(-30, body["result"]["message_id"])
    await alice.send("reply to the bot", chat=group, reply_to=bot_msg)
    _, body = await api("getUpdates", offset=-3)
    texts = [u["message"]["text"] for u in body["result"]]
    assert texts == ["/start", "/help@strict_bot now", "reply to the bot"]
    entity = body["result"][1]["message"]["entities"][0]
    assert entity == {"type": "bot_command", "offset": 0, "length": 16}
    assert [m.text for m in standin.messages(-30)][:2] == ["chatter", "/help@other_bot"]


async def test_faults_fail_drop_hold(api: Api, alice: SimUser, standin: ReadingStandIn) -> None:
    standin.faults.fail_next("sendMessage", 502)
    assert await api("sendMessage", chat_id=alice.id, text="x") == (
        502,
        {"ok": False, "error_code": 502, "description": "Bad Gateway"},
    )
    standin.faults.fail_next("sendMessage", 500, after=True)  # delivered, answer lost
    assert (await api("sendMessage", chat_id=alice.id, text="sent anyway"))[0] == 500
    assert (await standin.next_message(alice.id)).text == "sent anyway"
    standin.faults.drop_connection("getMe")
    with pytest.raises(aiohttp.ClientError):
        await api("getMe")
    hold = standin.faults.hold("sendMessage", after=True)
    held = asyncio.create_task(api("sendMessage", chat_id=alice.id, text="held"))
    await hold.reached()
    assert (await standin.next_message(alice.id)).text == "held" and not held.done()
    hold.release()
    assert (await held)[0] == 200
    standin.faults.clear()
    standin.faults.delay("getMe", 0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await api("getMe")
    assert loop.time() - started >= 0.2


async def test_stop_answers_a_waiting_poll_at_once(api: Api, standin: ReadingStandIn) -> None:
    poll = asyncio.create_task(api("getUpdates", timeout=30))
    await asyncio.sleep(0.1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await standin.stop()
    assert await poll == (200, {"ok": True, "result": []})
    assert loop.time() - started < 1.5
