"""A small JSON API under /_standin/ for driving the stand-in from another process, and
StandInClient, the same verbs over HTTP (crash tests, the sandbox, tooling).

Every route answers JSON; a mistake (unknown user, message or label) is 400 {"error": …}.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from bot.sandbox.model import Buttons, JSONDict, Message

if TYPE_CHECKING:
    from bot.sandbox.standin import StandIn

Route = Callable[[JSONDict], Awaitable[Any]]


def message_view(msg: Message) -> JSONDict:
    return {"message_id": msg.message_id, "chat_id": msg.chat_id, "from_bot": msg.from_bot,
            "text": msg.text, "html": msg.html, "buttons": msg.buttons, "edits": msg.edits,
            "deleted": msg.deleted}  # fmt: skip


def add_control_routes(app: web.Application, s: StandIn) -> None:
    def message(b: JSONDict) -> Message:
        found = s.find(int(b["chat_id"]), int(b["message_id"]))
        if found is None:
            raise ValueError(f"no message {b['message_id']} in chat {b['chat_id']}")
        return found

    async def add_user(b: JSONDict) -> JSONDict:
        s.add_user(int(b["id"]), b.get("first_name") or "User", last_name=b.get("last_name"),
                   username=b.get("username"), language_code=b.get("language_code"))  # fmt: skip
        return {}

    async def add_group(b: JSONDict) -> JSONDict:
        members = [s.users[int(i)] for i in b.get("members", [])]
        admins = [s.users[int(i)] for i in b.get("admins", [])]
        s.add_group(int(b["id"]), b.get("title") or "Group", members,
                    bool(b.get("supergroup")), admins=admins)  # fmt: skip
        return {}

    async def send(b: JSONDict) -> JSONDict:
        reply_to = message({**b, "message_id": b["reply_to"]}) if b.get("reply_to") else None
        chat = int(b["chat_id"]) if b.get("chat_id") is not None else None
        msg = await s.users[int(b["user_id"])].send(b["text"], chat=chat, reply_to=reply_to)
        return {"message_id": msg.message_id, "chat_id": msg.chat_id}

    async def edit(b: JSONDict) -> JSONDict:
        await s.users[int(b["user_id"])].edit(message(b), b["text"])
        return {}

    async def press(b: JSONDict) -> JSONDict:
        user, label = s.users[int(b["user_id"])], b.get("label", b.get("index"))
        return {"query_id": await user.press(message(b), label, callback_data=b.get("data"))}

    async def block(b: JSONDict) -> JSONDict:
        s.set_blocked(s.users[int(b["user_id"])], bool(b.get("blocked", True)))
        return {}

    async def delete_account(b: JSONDict) -> JSONDict:
        s.users[int(b["user_id"])].delete_account()
        return {}

    async def upgrade(b: JSONDict) -> JSONDict:
        return {"new_chat_id": s.upgrade_group(int(b["chat_id"]))}

    async def bot_status(b: JSONDict) -> JSONDict:
        s.set_bot_status(int(b["chat_id"]), str(b["status"]))
        return {}

    async def faults(b: JSONDict) -> JSONDict:
        kind, f = b.pop("kind"), s.faults
        if kind == "flood":
            f.flood(b.get("chat_id"), int(b.get("retry_after", 2)), int(b.get("times", 1)))
        elif kind == "fail_next":
            retry = b.get("retry_after")
            f.fail_next(b["method"], int(b.get("status", 502)), int(b.get("times", 1)),
                        after=bool(b.get("after")),
                        retry_after=None if retry is None else int(retry))  # fmt: skip
        elif kind == "delay":
            f.delay(b["method"], float(b["seconds"]))
        elif kind == "hold":
            f.hold(b["method"], after=bool(b.get("after")))
        elif kind == "release":
            f.holds[str(b["method"]).lower()].release()
        elif kind == "realistic":
            f.realistic = bool(b.get("on", True))
        elif kind == "clear":
            f.clear()
        else:
            raise ValueError(f"unknown fault {kind!r}")
        return {"holds": {m: h.arrived for m, h in f.holds.items() if not h.is_set()}}

    async def messages(b: JSONDict) -> list[JSONDict]:
        return [message_view(x) for x in s.messages(int(b["chat_id"]))]

    async def next_message(b: JSONDict) -> JSONDict:
        msg = await s.next_message(int(b["chat_id"]), float(b.get("timeout", 5)))
        return message_view(msg)

    async def calls(b: JSONDict) -> list[JSONDict]:
        wanted = str(b.get("method", "")).lower()
        return [{"method": c.method, "status": c.status,
                 "params": {k: v for k, v in c.params.items() if not isinstance(v, tuple)}}
                for c in s.calls if not wanted or c.method == wanted]  # fmt: skip

    async def answers(b: JSONDict) -> list[JSONDict]:
        return [a._asdict() for a in s.answers]

    async def state(b: JSONDict) -> JSONDict:
        return {"pending_updates": s.pending_updates(), "webhook": s.webhook,
                "delivered_all": s.queue.all_delivered(), "requests": s.request_count}  # fmt: skip

    async def clock(b: JSONDict) -> JSONDict:
        s.advance_clock(float(b["seconds"]))
        return {}

    async def forget_file(b: JSONDict) -> JSONDict:
        """Telegram no longer has the file(s): every file_id given, or every file if none."""
        ids = [str(f) for f in b.get("file_ids") or list(s.files)]
        for file_id in ids:
            s.forget_file(file_id)
        return {"forgotten": ids}

    routes: dict[str, Route] = {
        "users": add_user, "groups": add_group, "send": send, "edit": edit, "press": press,
        "block": block, "delete_account": delete_account, "upgrade": upgrade,
        "bot_status": bot_status, "faults": faults,
        "messages": messages, "next_message": next_message, "calls": calls,
        "answers": answers, "state": state, "clock": clock, "forget_file": forget_file,
    }  # fmt: skip

    def serve(route: Route) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handler(request: web.Request) -> web.Response:
            body: JSONDict = dict(request.query)
            if request.can_read_body:
                body.update(await request.json())
            try:
                return web.json_response(await route(body))
            except TimeoutError as exc:
                return web.json_response({"error": str(exc)}, status=408)
            except (KeyError, ValueError, TypeError) as exc:
                return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=400)

        return handler

    for name, route in routes.items():
        app.router.add_route("*", f"/_standin/{name}", serve(route))


class StandInError(RuntimeError):
    """The control API refused a request (unknown user, message, label…)."""


@dataclass(frozen=True)
class RemoteMessage:
    message_id: int
    chat_id: int
    from_bot: bool
    text: str
    html: str
    buttons: Buttons
    edits: list[str]
    deleted: bool

    @classmethod
    def from_json(cls, d: JSONDict) -> RemoteMessage:
        buttons = [[(str(t), str(v)) for t, v in row] for row in d["buttons"]]
        return cls(d["message_id"], d["chat_id"], d["from_bot"], d["text"], d["html"],
                   buttons, list(d["edits"]), d["deleted"])  # fmt: skip

    def button_texts(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]


class StandInClient:
    """The stand-in's verbs over HTTP, for a stand-in running in another process.

    async with StandInClient(url) as c:
        await c.add_user(1001, "Alice"); await c.send(1001, "/start")
        msg = await c.next_message(1001); await c.press(1001, msg, "English")
    """

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> StandInClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def call(self, route: str, **body: Any) -> Any:
        self._http = self._http or aiohttp.ClientSession()
        async with self._http.post(f"{self.url}/_standin/{route}", json=body) as response:
            data = await response.json()
        if response.status == 408:
            raise TimeoutError(data["error"])
        if response.status != 200:
            raise StandInError(data.get("error", response.status))
        return data

    async def add_user(self, user_id: int, first_name: str, **extra: Any) -> None:
        """extra: last_name, username, language_code."""
        await self.call("users", id=user_id, first_name=first_name, **extra)

    async def add_group(
        self, chat_id: int, title: str, members: list[int], supergroup: bool = False
    ) -> None:
        await self.call("groups", id=chat_id, title=title, members=members,
                        supergroup=supergroup)  # fmt: skip

    async def send(
        self, user_id: int, text: str, chat_id: int | None = None, reply_to: int | None = None
    ) -> int:
        """A message from the user (in their private chat by default); its message_id."""
        body = await self.call("send", user_id=user_id, text=text, chat_id=chat_id,
                               reply_to=reply_to)  # fmt: skip
        return int(body["message_id"])

    async def edit(self, user_id: int, chat_id: int, message_id: int, text: str) -> None:
        await self.call("edit", user_id=user_id, chat_id=chat_id, message_id=message_id,
                        text=text)  # fmt: skip

    async def press(
        self, user_id: int, message: RemoteMessage, label: str | int | None = None,
        *, data: str | None = None,
    ) -> str:  # fmt: skip
        """Press a button of `message` by label or flat index, or send explicit data."""
        body = await self.call("press", user_id=user_id, chat_id=message.chat_id,
                               message_id=message.message_id, label=label, data=data)  # fmt: skip
        return str(body["query_id"])

    async def block(self, user_id: int, blocked: bool = True) -> None:
        await self.call("block", user_id=user_id, blocked=blocked)

    async def delete_account(self, user_id: int) -> None:
        await self.call("delete_account", user_id=user_id)

    async def upgrade_group(self, chat_id: int) -> int:
        return int((await self.call("upgrade", chat_id=chat_id))["new_chat_id"])

    async def messages(self, chat_id: int) -> list[RemoteMessage]:
        return [RemoteMessage.from_json(m) for m in await self.call("messages", chat_id=chat_id)]

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> RemoteMessage:
        data = await self.call("next_message", chat_id=chat_id, timeout=timeout)
        return RemoteMessage.from_json(data)

    async def calls(self, method: str = "") -> list[JSONDict]:
        """Requests the bot made: {"method", "status", "params"} (uploads left out)."""
        result: list[JSONDict] = await self.call("calls", method=method)
        return result

    async def answers(self) -> list[JSONDict]:
        result: list[JSONDict] = await self.call("answers")
        return result

    async def state(self) -> JSONDict:
        result: JSONDict = await self.call("state")
        return result

    async def fault(self, kind: str, **options: Any) -> JSONDict:
        """kind: flood (chat_id, retry_after, times), fail_next (method, status, times, after,
        retry_after), delay (method, seconds), hold / release (method[, after]), realistic (on),
        clear."""
        result: JSONDict = await self.call("faults", kind=kind, **options)
        return result

    async def flood(self, chat_id: int | None, retry_after: int = 2, times: int = 1) -> None:
        await self.fault("flood", chat_id=chat_id, retry_after=retry_after, times=times)

    async def advance_clock(self, seconds: float) -> None:
        await self.call("clock", seconds=seconds)

    async def forget_files(self, *file_ids: str) -> list[str]:
        """Make the stand-in forget files as Telegram does after its retention (all if none
        named): getFile then answers "invalid file_id", sending by file_id fails."""
        result: JSONDict = await self.call("forget_file", file_ids=list(file_ids))
        return [str(f) for f in result["forgotten"]]

    async def wait_until_quiet(self, seconds: float = 0.3, timeout: float = 10.0) -> None:
        """The bot fetched every update and made no request for `seconds`."""
        loop = asyncio.get_running_loop()
        deadline, last = loop.time() + timeout, -1
        while True:
            state = await self.state()
            if state["delivered_all"] and state["requests"] == last:
                return
            if loop.time() > deadline:
                raise TimeoutError("the bot did not become quiet")
            last = state["requests"]
            await asyncio.sleep(seconds)
