"""A small JSON API for driving the stand-in from another process (crash tests, tooling)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

if TYPE_CHECKING:
    from bot.sandbox.standin import StandIn


def add_control_routes(app: web.Application, standin: StandIn) -> None:
    async def add_user(request: web.Request) -> web.Response:
        b = await request.json()
        standin.add_user(
            int(b["id"]),
            b.get("first_name", "User"),
            username=b.get("username"),
            language_code=b.get("language_code"),
        )
        return web.json_response({"ok": True})

    async def send(request: web.Request) -> web.Response:
        b = await request.json()
        user = standin.users[int(b["user_id"])]
        msg = await user.send(b["text"], chat=b.get("chat_id"))
        return web.json_response({"ok": True, "message_id": msg.message_id})

    async def press(request: web.Request) -> web.Response:
        b = await request.json()
        user = standin.users[int(b["user_id"])]
        msg = standin.find(int(b["chat_id"]), int(b["message_id"]))
        if msg is None:
            return web.json_response({"ok": False, "error": "no such message"}, status=404)
        query_id = await user.press(msg, callback_data=b["callback_data"])
        return web.json_response({"ok": True, "query_id": query_id})

    async def messages(request: web.Request) -> web.Response:
        chat_id = int(request.query["chat_id"])
        return web.json_response(
            [
                {
                    "message_id": x.message_id,
                    "from_bot": x.from_bot,
                    "text": x.text,
                    "buttons": x.buttons,
                    "edits": len(x.edits),
                }
                for x in standin.messages(chat_id)
            ]
        )

    async def flood(request: web.Request) -> web.Response:
        b = await request.json()
        retry_after, times = int(b.get("retry_after", 2)), int(b.get("times", 1))
        standin.faults.flood(b.get("chat_id"), retry_after, times)
        return web.json_response({"ok": True})

    app.router.add_post("/_standin/users", add_user)
    app.router.add_post("/_standin/send", send)
    app.router.add_post("/_standin/press", press)
    app.router.add_get("/_standin/messages", messages)
    app.router.add_post("/_standin/flood", flood)


class StandInClient:
    """The same verbs over HTTP, for a stand-in running in another process."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    async def _post(self, path: str, body: dict[str, Any]) -> Any:
        async with aiohttp.ClientSession() as s, s.post(f"{self.url}{path}", json=body) as r:
            return await r.json()

    async def add_user(self, user_id: int, first_name: str, **extra: Any) -> None:
        await self._post("/_standin/users", {"id": user_id, "first_name": first_name, **extra})

    async def send(self, user_id: int, text: str, chat_id: int | None = None) -> int:
        body = await self._post("/_standin/send", {"user_id": user_id, "text": text,
                                                   "chat_id": chat_id})  # fmt: skip
        return int(body["message_id"])

    async def press(self, user_id: int, chat_id: int, message_id: int, data: str) -> str:
        body = await self._post("/_standin/press", {"user_id": user_id, "chat_id": chat_id,
                                                    "message_id": message_id,
                                                    "callback_data": data})  # fmt: skip
        return str(body["query_id"])

    async def messages(self, chat_id: int) -> list[dict[str, Any]]:
        async with (
            aiohttp.ClientSession() as s,
            s.get(f"{self.url}/_standin/messages", params={"chat_id": str(chat_id)}) as r,
        ):
            result: list[dict[str, Any]] = await r.json()
            return result

    async def flood(self, chat_id: int | None, retry_after: int = 2, times: int = 1) -> None:
        await self._post("/_standin/flood", {"chat_id": chat_id, "retry_after": retry_after,
                                             "times": times})  # fmt: skip
