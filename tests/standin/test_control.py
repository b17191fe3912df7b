"""The control API and its client: the same verbs for a stand-in in another process."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.raw_api import Api
from tests.support.standin_client import StandInClient, StandInError
from tests.support.standin_reading import ReadingStandIn


async def test_client_drives_people_and_reads_the_bot(api: Api, standin: ReadingStandIn) -> None:
    async with StandInClient(standin.url) as client:
        await client.add_user(1001, "Alice", language_code="en", username="alice")
        await client.add_user(1002, "Bo")
        await client.add_group(-5001, "Org", members=[1001, 1002])
        assert await client.send(1001, "/start") == 1
        _, body = await api("getUpdates")
        assert body["result"][0]["message"]["from"]["language_code"] == "en"

        keys = {"inline_keyboard": [[{"text": "Yes", "callback_data": "y"}]]}
        await api(
            "sendMessage", chat_id=1001, text="<i>Sure?</i>", parse_mode="HTML", reply_markup=keys
        )
        msg = await client.next_message(1001)
        assert (msg.text, msg.html, msg.button_texts()) == ("Sure?", "<i>Sure?</i>", ["Yes"])
        query_id = await client.press(1001, msg, "Yes")
        await api("answerCallbackQuery", callback_query_id=query_id, text="ok")
        assert await client.answers() == [{"query_id": query_id, "text": "ok", "show_alert": False}]
        assert [m.text for m in await client.messages(1001)] == ["/start", "Sure?"]
        with pytest.raises(TimeoutError):
            await client.next_message(1001, timeout=0.1)
        with pytest.raises(StandInError, match="no button"):
            await client.press(1001, msg, "No")

        await client.block(1002)
        assert (await api("sendMessage", chat_id=1002, text="x"))[0] == 403
        new_id = await client.upgrade_group(-5001)
        assert (await api("sendMessage", chat_id=-5001, text="x"))[1]["parameters"] == {
            "migrate_to_chat_id": new_id
        }
        calls = await client.calls("sendMessage")
        assert [c["status"] for c in calls] == [200, 403, 400]


async def test_client_switches_faults(api: Api, standin: ReadingStandIn) -> None:
    async with StandInClient(standin.url) as client:
        await client.add_user(1001, "Alice")
        await client.send(1001, "hi")
        await client.flood(1001, retry_after=5)
        assert (await api("sendMessage", chat_id=1001, text="x"))[1]["parameters"] == {
            "retry_after": 5
        }
        await client.fault("fail_next", method="sendMessage", status=503)
        assert (await api("sendMessage", chat_id=1001, text="x"))[0] == 503
        await client.fault("hold", method="sendMessage")
        held = asyncio.create_task(api("sendMessage", chat_id=1001, text="held"))
        await standin.faults.holds["sendmessage"].reached()
        state = await client.fault("release", method="sendMessage")
        assert state == {"holds": {}}
        assert (await held)[0] == 200
        await client.fault("clear")
        await api("getUpdates", offset=-1)
        await client.wait_until_quiet(0.05)
        assert (await client.state())["pending_updates"] == 1  # seen, not yet confirmed
