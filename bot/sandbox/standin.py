"""A strict local stand-in for the Telegram Bot API, spoken to over HTTP by the real bot.

Routes: `/bot<token>/<method>` and `/file/bot<token>/<path>` like api.telegram.org, plus a small
JSON control API under `/_standin/` for driving it from another process. Tests drive it in
process:

    standin = StandIn(token, bot_username="dutydesk_test_bot"); await standin.start()
    alice = standin.add_user(1001, "Alice", language_code="zh-hans")
    await alice.send("/start")
    msg = await standin.next_message(1001)          # the bot's next new message to Alice
    await alice.press(msg, "English")                # a callback query; its answer lands in
    standin.answers                                  # (query_id, text, show_alert)

`next_message` returns messages the bot *sent* (not edits); edits change `msg.text` in place and
keep the history in `msg.edits`; `wait_until(predicate)` waits for anything else.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.sandbox import methods as m
from bot.sandbox.model import Chat, Faults, Message, SimUser
from bot.sandbox.spec import known_methods, missing_required

log = logging.getLogger(__name__)


class StandIn:
    def __init__(
        self,
        token: str,
        bot_username: str = "dutydesk_sandbox_bot",
        bot_id: int | None = None,
        query_max_age: float = 300.0,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id or int(token.partition(":")[0])
        self.query_max_age = query_max_age
        self.users: dict[int, SimUser] = {}
        self.chats: dict[int, Chat] = {}
        self.chat_messages: dict[int, list[Message]] = defaultdict(list)
        self.updates: list[tuple[int, dict[str, Any]]] = []
        self.queries: dict[str, float] = {}
        self.answers: list[tuple[str, str | None, bool]] = []
        self.calls: list[tuple[str, dict[str, Any], int]] = []
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.files: dict[str, bytes] = {}
        self.file_names: dict[str, str] = {}
        self.faults = Faults()
        self.webhook: dict[str, Any] = {}
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._consumed: dict[int, int] = defaultdict(int)
        self._poll_generation = 0
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._webhook_lock = asyncio.Lock()
        self.url = ""

    # --- server ---------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._handle_file)
        from bot.sandbox.control import add_control_routes

        add_control_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.url = f"http://{host}:{bound_port}"
        return self.url

    async def stop(self) -> None:
        self._stopping.set()
        self.webhook = {}
        for task in list(self._tasks):
            task.cancel()
        await self._notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def now(self) -> float:
        return time.monotonic()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            params.update({k: v for k, v in body.items() if v is not None})
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = (value.filename, value.file.read())
                else:
                    params[key] = value
        return params

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        params = await self._params(request)
        if request.match_info["token"] != self.token:
            return self._reply(method, params, m.ApiError(401, "Unauthorized"))
        hold = self.faults.holds.get(method)
        if hold is not None:
            await hold.wait()
        if method in self.faults.delays:
            await asyncio.sleep(self.faults.delays[method])
        status = self.faults.take_failure(method)
        if status is not None:
            return self._reply(method, params, m.ApiError(status, "Bad Gateway"))
        try:
            if method == "getupdates":
                result: Any = await self._get_updates(params)
            else:
                result = self._call(method, params)
        except m.ApiError as exc:
            return self._reply(method, params, exc)
        self.calls.append((method, params, 200))
        await self._notify_all()
        return web.json_response({"ok": True, "result": result})

    def _reply(self, method: str, params: dict[str, Any], exc: m.ApiError) -> web.Response:
        self.calls.append((method, params, exc.code))
        body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
        if exc.parameters:
            body["parameters"] = exc.parameters
        return web.json_response(body, status=exc.code)

    def _call(self, method: str, p: dict[str, Any]) -> Any:
        if method not in known_methods():
            raise m.ApiError(404, "Not Found")
        missing = missing_required(method, p)
        if missing and not (method == "sendmessage" and missing == ["text"]):
            raise m.bad(f"{missing[0]} is empty")
        table: dict[str, Callable[[StandIn, dict[str, Any]], Any]] = {
            "getme": lambda s, _: self.bot_json(),
            "sendmessage": m.send_message,
            "editmessagetext": m.edit_message_text,
            "editmessagereplymarkup": m.edit_message_reply_markup,
            "deletemessage": m.delete_message,
            "answercallbackquery": m.answer_callback_query,
            "setmycommands": m.set_my_commands,
            "getmycommands": m.get_my_commands,
            "senddocument": lambda s, p: m.send_file(s, p, "document"),
            "sendphoto": lambda s, p: m.send_file(s, p, "photo"),
            "getfile": m.get_file,
            "getchat": m.get_chat,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": lambda s, _: {"url": self.webhook.get("url", ""),
                                            "has_custom_certificate": False,
                                            "pending_update_count": len(self.updates)},
        }  # fmt: skip
        handler = table.get(method)
        return handler(self, p) if handler else True

    def _set_webhook(self, _s: StandIn, p: dict[str, Any]) -> bool:
        self.webhook = {"url": p.get("url", ""), "secret": p.get("secret_token")}
        if self.updates:
            task = asyncio.get_running_loop().create_task(self._deliver_webhook())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return True

    def _delete_webhook(self, _s: StandIn, p: dict[str, Any]) -> bool:
        self.webhook = {}
        if str(p.get("drop_pending_updates", "")).lower() in ("true", "1"):
            self.updates.clear()
        return True

    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise m.ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                             "active; use deleteWebhook to delete the webhook first")  # fmt: skip
        # Like Telegram: a new getUpdates terminates the one still waiting, which gets 409.
        self._poll_generation += 1
        generation = self._poll_generation
        await self._notify_all()
        offset = int(p.get("offset", 0) or 0)
        limit = int(p.get("limit", 100) or 100)
        timeout = float(p.get("timeout", 0) or 0)
        if offset:
            self.updates = [(uid, u) for uid, u in self.updates if uid >= offset]
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not self.updates and not self._stopping.is_set():
                if generation != self._poll_generation:
                    raise m.ApiError(409, "Conflict: terminated by other getUpdates request; "
                                     "make sure that only one bot instance is running")  # fmt: skip
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)
        return [u for _, u in self.updates[:limit]]

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        file_id = Path(request.match_info["path"]).name
        if file_id not in self.files:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=self.files[file_id])

    async def _notify_all(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def notify(self, _msg: Message) -> None:
        """An edit happened (the caller notifies waiters after the request)."""

    # --- state helpers --------------------------------------------------------------------
    def bot_json(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Duty Desk",
                "username": self.bot_username, "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": False}  # fmt: skip

    def store(self, msg: Message) -> Message:
        self.chat_messages[msg.chat_id].append(msg)
        return msg

    def find(self, chat_id: int, message_id: int) -> Message | None:
        return next(
            (x for x in self.chat_messages.get(chat_id, []) if x.message_id == message_id), None
        )

    def message_json(self, msg: Message) -> dict[str, Any]:
        chat = self.chats[msg.chat_id]
        sender = self.bot_json() if msg.from_bot else self.users[msg.sender_id].as_json()
        data: dict[str, Any] = {
            "message_id": msg.message_id,
            "date": msg.date,
            "chat": chat.as_json(self.users),
            "from": sender,
        }
        if msg.document is not None or msg.photo is not None:
            if msg.caption:
                data["caption"] = msg.caption
            if msg.document is not None:
                data["document"] = msg.document
            if msg.photo is not None:
                data["photo"] = msg.photo
        elif msg.text:
            data["text"] = msg.text
            if not msg.from_bot and msg.text.startswith("/"):
                command = msg.text.split(maxsplit=1)[0]
                length = len(command.encode("utf-16-le")) // 2
                data["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if msg.markup:
            data["reply_markup"] = msg.markup
        if msg.reply_to is not None:
            original = self.find(msg.chat_id, msg.reply_to)
            if original is not None:
                data["reply_to_message"] = self.message_json(original)
        if msg.edits:
            data["edit_date"] = int(time.time())
        return data

    def add_file(self, content: bytes, name: str = "file") -> str:
        file_id = f"F{next(self._file_ids):06d}"
        self.files[file_id] = content
        self.file_names[file_id] = name
        return file_id

    def file_json(self, file_id: str) -> dict[str, Any]:
        return {"file_id": file_id, "file_unique_id": f"u{file_id}",
                "file_size": len(self.files[file_id])}  # fmt: skip

    def push_update(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        update["update_id"] = update_id
        self.updates.append((update_id, update))
        loop = asyncio.get_running_loop()
        if self.webhook.get("url"):
            task = loop.create_task(self._deliver_webhook())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        notify = loop.create_task(self._notify_all())
        self._tasks.add(notify)
        notify.add_done_callback(self._tasks.discard)
        return update_id

    async def _deliver_webhook(self) -> None:
        """POST queued updates to the webhook in order, as Telegram does; retry on failure."""
        async with self._webhook_lock:
            while self.updates and self.webhook.get("url"):
                update_id, update = self.updates[0]
                headers = {}
                if self.webhook.get("secret"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = str(self.webhook["secret"])
                try:
                    async with (
                        aiohttp.ClientSession() as http,
                        http.post(self.webhook["url"], json=update, headers=headers) as response,
                    ):
                        ok = response.status == 200
                except aiohttp.ClientError:
                    ok = False
                if not ok:
                    await asyncio.sleep(0.5)
                    continue
                self.updates = [(uid, u) for uid, u in self.updates if uid != update_id]
                await self._notify_all()

    def pending_updates(self) -> int:
        return len(self.updates)

    # --- the world: users, groups ---------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> SimUser:
        user = SimUser(self, user_id, first_name, last_name, username, language_code)
        self.users[user_id] = user
        self.chats[user_id] = Chat(user_id, "private")
        return user

    def add_group(
        self, chat_id: int, title: str, members: list[SimUser] | None = None,
        supergroup: bool = False,
    ) -> Chat:  # fmt: skip
        chat = Chat(chat_id, "supergroup" if supergroup else "group", title)
        chat.members = {u.id for u in members or []}
        self.chats[chat_id] = chat
        return chat

    def remove_bot_from(self, chat_id: int) -> None:
        self.chats[chat_id].bot_member = False

    def upgrade_group(self, chat_id: int) -> int:
        """The group becomes a supergroup with a new id; service messages announce it."""
        old = self.chats[chat_id]
        new_id = int(f"-100{abs(chat_id)}")
        new = Chat(new_id, "supergroup", old.title, set(old.members))
        self.chats[new_id] = new
        old.migrated_to = new_id
        actor = next(iter(old.members), None)
        sender = self.users[actor].as_json() if actor in self.users else self.bot_json()
        self.push_update({"message": {"message_id": next(old.next_id), "date": int(time.time()),
                          "chat": old.as_json(self.users), "from": sender,
                          "migrate_to_chat_id": new_id}})  # fmt: skip
        self.push_update({"message": {"message_id": next(new.next_id), "date": int(time.time()),
                          "chat": new.as_json(self.users), "from": sender,
                          "migrate_from_chat_id": chat_id}})  # fmt: skip
        return new_id

    def _chat_for(self, user: SimUser, chat: int | Chat | None) -> Chat:
        if chat is None:
            return self.chats[user.id]
        return chat if isinstance(chat, Chat) else self.chats[chat]

    def user_message(
        self, user: SimUser, text: str, chat: int | Chat | None, reply_to: Message | None = None
    ) -> Message:
        target = self._chat_for(user, chat)
        if target.type == "private":
            user.started = True  # writing to a bot means having pressed Start
            user.blocked = False
        msg = self.store(Message(next(target.next_id), target.id, False, user.id, text, text,
                                 reply_to=reply_to.message_id if reply_to else None))  # fmt: skip
        self.push_update({"message": self.message_json(msg)})
        return msg

    def user_edit(self, user: SimUser, msg: Message, text: str) -> None:
        msg.edits.append(msg.text)
        msg.text = msg.html = text
        self.push_update({"edited_message": self.message_json(msg)})

    def user_press(self, user: SimUser, msg: Message, data: str) -> str:
        query_id = f"Q{next(self._query_ids)}"
        self.queries[query_id] = self.now()
        self.push_update({"callback_query": {
            "id": query_id, "from": user.as_json(), "message": self.message_json(msg),
            "chat_instance": str(msg.chat_id), "data": data}})  # fmt: skip
        return query_id

    def user_file(
        self, user: SimUser, kind: str, name: str, content: bytes, chat: int | Chat | None,
        caption: str,
    ) -> Message:  # fmt: skip
        target = self._chat_for(user, chat)
        file_id = self.add_file(content, name)
        msg = Message(next(target.next_id), target.id, False, user.id, "", "")
        msg.caption = caption or None
        if kind == "photo":
            msg.photo = [{**self.file_json(file_id), "width": 800, "height": 600}]
        else:
            msg.document = {**self.file_json(file_id), "file_name": name}
        self.store(msg)
        self.push_update({"message": self.message_json(msg)})
        return msg

    # --- reading what the bot did ---------------------------------------------------------
    def messages(self, chat_id: int) -> list[Message]:
        return list(self.chat_messages.get(chat_id, []))

    def bot_messages(self, chat_id: int) -> list[Message]:
        return [x for x in self.chat_messages.get(chat_id, []) if x.from_bot]

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> Message:
        """The bot's next message to this chat not returned before (edits are not new)."""

        def ready() -> bool:
            return len(self.bot_messages(chat_id)) > self._consumed[chat_id]

        await self.wait_until(ready, timeout, f"a bot message in chat {chat_id}")
        msg = self.bot_messages(chat_id)[self._consumed[chat_id]]
        self._consumed[chat_id] += 1
        return msg

    async def wait_until(
        self, predicate: Callable[[], object], timeout: float = 5.0, what: str = "condition"
    ) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))

    async def quiet(self, seconds: float = 0.3) -> None:
        """Wait until the bot fetched every update and then made no call for `seconds`."""
        await self.wait_until(lambda: not self.updates, 5.0, "the bot to fetch all updates")
        count = -1
        while count != len(self.calls):
            count = len(self.calls)
            await asyncio.sleep(seconds)

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        return [p for name, p, _ in self.calls if name == method.lower()]

    def dump(self) -> str:
        return json.dumps({c: [x.text for x in ms] for c, ms in self.chat_messages.items()},
                          ensure_ascii=False, indent=1)  # fmt: skip
