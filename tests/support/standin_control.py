"""A small JSON API under /_standin/ for driving the stand-in from another process (the tests'
client is tests/support/standin_client.py); ReadingStandIn (standin_reading.py) serves it.

Every route answers JSON; a mistake (unknown user, message or label) is 400 {"error": …}.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from standin.model import JSONDict, Message

if TYPE_CHECKING:
    from tests.support.standin_faults import InjectedFaults as Faults
    from tests.support.standin_reading import ReadingStandIn as StandIn

Route = Callable[[JSONDict], Awaitable[Any]]


def message_view(msg: Message) -> JSONDict:
    """A message as the control API shows it: its text, HTML, buttons, edits and whether it
    was deleted."""
    return {
        "message_id": msg.message_id,
        "chat_id": msg.chat_id,
        "from_bot": msg.from_bot,
        "text": msg.text,
        "html": msg.html,
        "buttons": msg.buttons,
        "edits": msg.edits,
        "deleted": msg.deleted,
    }


def add_control_routes(app: web.Application, s: StandIn) -> None:
    """Serve every route of `Control` for stand-in `s` under /_standin/<name>, any method."""
    c = Control(s)
    routes: dict[str, Route] = {
        "users": c.add_user,
        "groups": c.add_group,
        "send": c.send,
        "edit": c.edit,
        "press": c.press,
        "block": c.block,
        "delete_account": c.delete_account,
        "upgrade": c.upgrade,
        "bot_status": c.bot_status,
        "faults": c.faults,
        "messages": c.messages,
        "next_message": c.next_message,
        "calls": c.calls,
        "answers": c.answers,
        "state": c.state,
        "clock": c.clock,
        "forget_file": c.forget_file,
    }
    for name, route in routes.items():
        app.router.add_route("*", f"/_standin/{name}", _serve(route))


def _serve(route: Route) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The route's body is its query and JSON merged; a mistake is 400, a timeout 408."""

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


class Control:
    """The routes, each taking the request's body (`b`) and acting on one stand-in."""

    def __init__(self, s: StandIn) -> None:
        self.s = s

    def message(self, b: JSONDict) -> Message:
        found = self.s.find(int(b["chat_id"]), int(b["message_id"]))
        if found is None:
            raise ValueError(f"no message {b['message_id']} in chat {b['chat_id']}")
        return found

    async def add_user(self, b: JSONDict) -> JSONDict:
        self.s.add_user(
            int(b["id"]),
            b.get("first_name") or "User",
            last_name=b.get("last_name"),
            username=b.get("username"),
            language_code=b.get("language_code"),
        )
        return {}

    async def add_group(self, b: JSONDict) -> JSONDict:
        members = [self.s.users[int(i)] for i in b.get("members", [])]
        admins = [self.s.users[int(i)] for i in b.get("admins", [])]
        self.s.add_group(
            int(b["id"]),
            b.get("title") or "Group",
            members,
            bool(b.get("supergroup")),
            admins=admins,
        )
        return {}

    async def send(self, b: JSONDict) -> JSONDict:
        reply_to = self.message({**b, "message_id": b["reply_to"]}) if b.get("reply_to") else None
        chat = int(b["chat_id"]) if b.get("chat_id") is not None else None
        msg = await self.s.users[int(b["user_id"])].send(b["text"], chat=chat, reply_to=reply_to)
        return {"message_id": msg.message_id, "chat_id": msg.chat_id}

    async def edit(self, b: JSONDict) -> JSONDict:
        await self.s.users[int(b["user_id"])].edit(self.message(b), b["text"])
        return {}

    async def press(self, b: JSONDict) -> JSONDict:
        user, label = self.s.users[int(b["user_id"])], b.get("label", b.get("index"))
        return {"query_id": await user.press(self.message(b), label, callback_data=b.get("data"))}

    async def block(self, b: JSONDict) -> JSONDict:
        self.s.set_blocked(self.s.users[int(b["user_id"])], bool(b.get("blocked", True)))
        return {}

    async def delete_account(self, b: JSONDict) -> JSONDict:
        self.s.users[int(b["user_id"])].delete_account()
        return {}

    async def upgrade(self, b: JSONDict) -> JSONDict:
        return {"new_chat_id": self.s.upgrade_group(int(b["chat_id"]))}

    async def bot_status(self, b: JSONDict) -> JSONDict:
        self.s.set_bot_status(int(b["chat_id"]), str(b["status"]))
        return {}

    async def faults(self, b: JSONDict) -> JSONDict:
        """Switch one kind of failure on or off (FAULTS); the holds not yet released."""
        kind, f = b.pop("kind"), self.s.faults
        switch = FAULTS.get(kind)
        if switch is None:
            raise ValueError(f"unknown fault {kind!r}")
        switch(f, b)
        return {"holds": {m: h.arrived for m, h in f.holds.items() if not h.is_set()}}

    async def messages(self, b: JSONDict) -> list[JSONDict]:
        return [message_view(x) for x in self.s.messages(int(b["chat_id"]))]

    async def next_message(self, b: JSONDict) -> JSONDict:
        msg = await self.s.next_message(int(b["chat_id"]), float(b.get("timeout", 5)))
        return message_view(msg)

    async def calls(self, b: JSONDict) -> list[JSONDict]:
        wanted = str(b.get("method", "")).lower()
        return [
            {
                "method": c.method,
                "status": c.status,
                "params": {k: v for k, v in c.params.items() if not isinstance(v, tuple)},
            }
            for c in self.s.calls
            if not wanted or c.method == wanted
        ]

    async def answers(self, b: JSONDict) -> list[JSONDict]:
        return [a._asdict() for a in self.s.answers]

    async def state(self, b: JSONDict) -> JSONDict:
        return {
            "pending_updates": self.s.pending_updates(),
            "webhook": self.s.webhook,
            "delivered_all": self.s.queue.all_delivered(),
            "requests": self.s.request_count,
        }

    async def clock(self, b: JSONDict) -> JSONDict:
        self.s.advance_clock(float(b["seconds"]))
        return {}

    async def forget_file(self, b: JSONDict) -> JSONDict:
        """Telegram no longer has the file(s): every file_id given, or every file if none."""
        ids = [str(f) for f in b.get("file_ids") or list(self.s.files)]
        for file_id in ids:
            self.s.forget_file(file_id)
        return {"forgotten": ids}


def _fail_next(f: Faults, b: JSONDict) -> None:
    retry = b.get("retry_after")
    f.fail_next(
        b["method"],
        int(b.get("status", 502)),
        int(b.get("times", 1)),
        after=bool(b.get("after")),
        retry_after=None if retry is None else int(retry),
    )


def _hold(f: Faults, b: JSONDict) -> None:
    f.hold(b["method"], after=bool(b.get("after")))


def _realistic(f: Faults, b: JSONDict) -> None:
    f.realistic = bool(b.get("on", True))


# The kinds of failure the "faults" route switches, each reading its parameters from the body.
FAULTS: dict[str, Callable[[Faults, JSONDict], None]] = {
    "flood": lambda f, b: f.flood(
        b.get("chat_id"), int(b.get("retry_after", 2)), int(b.get("times", 1))
    ),
    "fail_next": _fail_next,
    "delay": lambda f, b: f.delay(b["method"], float(b["seconds"])),
    "hold": _hold,
    "release": lambda f, b: f.holds[str(b["method"]).lower()].release(),
    "realistic": _realistic,
    "clear": lambda f, b: f.clear(),
}
