"""A small JSON API under /_standin/ for driving the stand-in from another process (the tests'
client is tests/support/standin_client.py).

Every route answers JSON; a mistake (unknown user, message or label) is 400 {"error": …}.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from standin.model import JSONDict, Message

if TYPE_CHECKING:
    from standin.standin import StandIn

Route = Callable[[JSONDict], Awaitable[Any]]


def message_view(msg: Message) -> JSONDict:
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
    def message(b: JSONDict) -> Message:
        found = s.find(int(b["chat_id"]), int(b["message_id"]))
        if found is None:
            raise ValueError(f"no message {b['message_id']} in chat {b['chat_id']}")
        return found

    async def add_user(b: JSONDict) -> JSONDict:
        s.add_user(
            int(b["id"]),
            b.get("first_name") or "User",
            last_name=b.get("last_name"),
            username=b.get("username"),
            language_code=b.get("language_code"),
        )
        return {}

    async def add_group(b: JSONDict) -> JSONDict:
        members = [s.users[int(i)] for i in b.get("members", [])]
        admins = [s.users[int(i)] for i in b.get("admins", [])]
        s.add_group(
            int(b["id"]),
            b.get("title") or "Group",
            members,
            bool(b.get("supergroup")),
            admins=admins,
        )
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
            f.fail_next(
                b["method"],
                int(b.get("status", 502)),
                int(b.get("times", 1)),
                after=bool(b.get("after")),
                retry_after=None if retry is None else int(retry),
            )
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
        return [
            {
                "method": c.method,
                "status": c.status,
                "params": {k: v for k, v in c.params.items() if not isinstance(v, tuple)},
            }
            for c in s.calls
            if not wanted or c.method == wanted
        ]

    async def answers(b: JSONDict) -> list[JSONDict]:
        return [a._asdict() for a in s.answers]

    async def state(b: JSONDict) -> JSONDict:
        return {
            "pending_updates": s.pending_updates(),
            "webhook": s.webhook,
            "delivered_all": s.queue.all_delivered(),
            "requests": s.request_count,
        }

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
        "users": add_user,
        "groups": add_group,
        "send": send,
        "edit": edit,
        "press": press,
        "block": block,
        "delete_account": delete_account,
        "upgrade": upgrade,
        "bot_status": bot_status,
        "faults": faults,
        "messages": messages,
        "next_message": next_message,
        "calls": calls,
        "answers": answers,
        "state": state,
        "clock": clock,
        "forget_file": forget_file,
    }

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
