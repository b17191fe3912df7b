"""A strict local stand-in for the Telegram Bot API, spoken to over HTTP by the real bot.

Routes, like api.telegram.org: `POST|GET /bot<token>/<method>` (method names case-insensitive;
form, multipart or JSON parameters) and `GET /file/bot<token>/<file_path>`; answers are
Telegram's `{"ok": …}` shapes with the HTTP status equal to error_code, so python-telegram-bot
raises its real exceptions. A JSON control API under `/_standin/` (control.py) drives it from
another process. Tests drive it in process:

    standin = StandIn("123:ABC", bot_username="dutydesk_sandbox_bot")
    await standin.start()                            # standin.url, .base_url, .base_file_url
    alice = standin.add_user(1001, "Alice", language_code="zh-hans")
    await alice.send("/start")                       # an update; Alice has now pressed Start
    msg = await standin.next_message(1001)           # the bot's next *new* message to Alice
    query_id = await alice.press(msg, "English")     # a callback query (label, index or data)
    await standin.wait_until(lambda: msg.edits)      # edits change msg in place
    standin.answers[-1]                              # Answer(query_id, text, show_alert)

Reading what the bot did:
- `next_message(chat_id)` returns each message the bot sent to that chat once, in order;
  edits and deletions are not new messages: they change the Message in place (`.text`,
  `.buttons` are current, `.edits` holds earlier texts, `.deleted`).
- `next_event(chat_id)` has its own cursor over everything the bot did in the chat: Events
  "sent", "edited", "deleted", each with the text and buttons as they were at that moment.
- `wait_until(predicate)` for anything else; `quiet()` until the bot has fetched every update
  and made no request for a while (use it to assert that nothing was sent).
- `calls` logs every request (method lower-cased, params, HTTP status); `calls_of(method)`.

Strictness, faults (standin.faults: flood, fail_next, drop_connection, delay, hold, realistic
limits) and the clock (`advance_clock`: callback queries age, flood windows pass) are described
where they live: checks.py, html_check.py, faults.py, updates.py (getUpdates, webhooks).
Privacy mode is on by default: in groups the bot only gets commands, replies to its own
messages and service messages (unless it is an administrator).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from aiohttp import web

from standin import spec
from standin.checks import ApiError, bad
from standin.control import add_control_routes
from standin.faults import Failure
from standin.methods import HANDLERS
from standin.model import Call, Event, JSONDict, Message
from standin.world import World

log = logging.getLogger(__name__)
__all__ = ["StandIn"]


class StandIn(World):
    def __init__(
        self,
        token: str = "123456:STANDIN-token",
        bot_username: str = "dutydesk_sandbox_bot",
        *,
        bot_id: int | None = None,
        bot_first_name: str = "Duty Desk",
        query_max_age: float = 300.0,
        privacy_mode: bool = True,
    ) -> None:
        super().__init__(token, bot_username, bot_id=bot_id, bot_first_name=bot_first_name,
                         query_max_age=query_max_age, privacy_mode=privacy_mode)  # fmt: skip
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._consumed: dict[int, int] = defaultdict(int)  # next_message cursor per chat
        self._event_cursor: dict[int, int] = defaultdict(int)  # next_event cursor per chat
        self._in_flight = 0  # requests being answered, getUpdates excepted
        self._request_count = 0  # requests answered, getUpdates excepted

    # --- server -----------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen (port 0: any free port); returns and sets `url`."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._handle_file)
        add_control_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.url = f"http://{host}:{self._runner.addresses[0][1]}"
        return self.url

    async def stop(self) -> None:
        """Answer waiting getUpdates at once, release held requests, stop listening."""
        self.faults.release_all()
        await self.queue.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def webhook(self) -> dict[str, Any]:
        """{"url": …, "secret": …} while a webhook is set, else {}."""
        return self.queue.webhook

    @property
    def updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by the bot."""
        return [u for _, u in self.queue.items]

    def pending_updates(self) -> int:
        return len(self.queue.items)

    async def _params(self, request: web.Request) -> JSONDict:
        params: JSONDict = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise bad("parameters must be a JSON object")
            params.update({k: v for k, v in body.items() if v is not None})
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = (value.filename, value.file.read())
                else:
                    params[key] = value
        return params

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["method"].lower()
        try:
            params = await self._params(request)
        except (ValueError, ApiError) as exc:
            error = exc if isinstance(exc, ApiError) else bad("can't parse request parameters")
            return self._error(name, {}, error)
        if request.match_info["token"] != self.token:
            return self._error(name, params, ApiError(401, "Unauthorized"))
        if spec.method(name) is None:
            return self._error(name, params, ApiError(404, "Not Found"))
        counted = name != "getupdates"
        self._in_flight += counted
        try:
            return await self._answer(request, name, params)
        finally:
            self._in_flight -= counted
            self.changed.fire()

    async def _answer(
        self, request: web.Request, name: str, params: JSONDict
    ) -> web.StreamResponse:
        hold = self.faults.holds.get(name)
        if hold is not None and not hold.catches(params):
            hold = None
        if hold is not None and not hold.after and not await hold.pass_through():
            return self._fail(request, name, params, Failure(0, 1, False, "dropped"))
        if name in self.faults.delays:
            await asyncio.sleep(self.faults.delays[name])
        failure = self.faults.take_failure(name, after=False)
        if failure is not None:
            return self._fail(request, name, params, failure)
        try:
            result = await self._dispatch(name, params)
        except ApiError as exc:
            return self._error(name, params, exc)
        except Exception as exc:  # a stand-in bug: loud in the log, 500 on the wire
            log.exception("stand-in failed on %s %s", name, params)
            return self._error(name, params, ApiError(500, f"Internal Server Error: {exc!r}"))
        failure = self.faults.take_failure(name, after=True)
        if failure is not None:  # it took effect; only the answer is lost
            return self._fail(request, name, params, failure)
        if hold is not None and hold.after:
            await hold.pass_through()
        self._log(name, params, 200)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def _dispatch(self, name: str, params: JSONDict) -> Any:
        missing = spec.missing_required(name, params)
        if missing and not (name == "sendmessage" and missing == ["text"]):
            field = missing[0]
            raise bad(
                f"{field} is empty" if field == "chat_id" else f"parameter {field} is required"
            )
        wrong = spec.wrongly_typed(name, params)
        if wrong is not None:
            raise bad(f"invalid {wrong} specified")
        if name == "getupdates":
            return await self.queue.get_updates(params)
        handler = HANDLERS.get(name)
        if handler is None:
            log.info("stand-in: %s is not simulated; answered true", name)
            return True
        return handler(self, params)

    def _error(self, name: str, params: JSONDict, exc: ApiError) -> web.Response:
        self._log(name, params, exc.code)
        body: JSONDict = {"ok": False, "error_code": exc.code, "description": exc.description}
        if exc.parameters:
            body["parameters"] = exc.parameters
        return web.json_response(body, status=exc.code, dumps=_dumps)

    def _fail(
        self, request: web.Request, name: str, params: JSONDict, failure: Failure
    ) -> web.StreamResponse:
        if failure.status == 0:
            self._log(name, params, 0)
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)  # never reaches the client
        extra = {} if failure.retry_after is None else {"retry_after": failure.retry_after}
        return self._error(name, params, ApiError(failure.status, failure.description, **extra))

    def _log(self, name: str, params: JSONDict, status: int) -> None:
        self.calls.append(Call(name, params, status))
        self._request_count += name != "getupdates"

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        file_id = self.file_paths.get(request.match_info["path"], "")
        if file_id not in self.files:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=self.files[file_id])

    # --- reading what the bot did ------------------------------------------------------------
    def messages(self, chat_id: int) -> list[Message]:
        """Every message in the chat, the bot's and people's, in order (deleted ones gone)."""
        return list(self.chat_messages.get(chat_id, []))

    def bot_messages(self, chat_id: int) -> list[Message]:
        return [x for x in self.chat_messages.get(chat_id, []) if x.from_bot and not x.service]

    def _sent(self, chat_id: int) -> list[Message]:
        return [e.message for e in self.events.get(chat_id, []) if e.kind == "sent"]

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> Message:
        """The bot's next message to this chat not returned before (edits are not new)."""
        await self.wait_until(
            lambda: len(self._sent(chat_id)) > self._consumed[chat_id],
            timeout,
            f"a new bot message in chat {chat_id}",
        )
        msg = self._sent(chat_id)[self._consumed[chat_id]]
        self._consumed[chat_id] += 1
        return msg

    def unread(self, chat_id: int) -> list[Message]:
        """The bot's messages to this chat that next_message has not returned yet."""
        return self._sent(chat_id)[self._consumed[chat_id] :]

    def mark_read(self, *chat_ids: int) -> None:
        """Skip everything the bot did so far in these chats: next_message and next_event
        return only what comes after this."""
        for chat_id in chat_ids:
            self._consumed[chat_id] = len(self._sent(chat_id))
            self._event_cursor[chat_id] = len(self.events.get(chat_id, []))

    async def next_event(self, chat_id: int, timeout: float = 5.0) -> Event:
        """The next thing the bot did in this chat: a message sent, edited or deleted."""
        events = self.events[chat_id]
        await self.wait_until(
            lambda: len(events) > self._event_cursor[chat_id],
            timeout,
            f"the bot to send, edit or delete in chat {chat_id}",
        )
        self._event_cursor[chat_id] += 1
        return events[self._event_cursor[chat_id] - 1]

    async def wait_until(
        self, predicate: Callable[[], object], timeout: float = 5.0, what: str = "condition"
    ) -> None:
        """Wake on every change in the stand-in (and every 50 ms for outside state)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
            await self.changed.wait(min(remaining, 0.05))

    async def quiet(self, seconds: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the bot fetched every update, no request is being answered, and no
        request (polls aside) came for `seconds`: then it has finished reacting."""
        deadline = time.monotonic() + timeout
        await self.wait_until(self.queue.all_delivered, timeout, "the bot to fetch all updates")
        count = -1
        while count != self.request_count or self._in_flight:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot kept calling the API for {timeout} s")
            count = self.request_count
            await asyncio.sleep(seconds)

    @property
    def in_flight(self) -> int:
        """Requests being answered right now, long polls (getUpdates) aside."""
        return self._in_flight

    @property
    def request_count(self) -> int:
        """Requests answered so far, long polls (getUpdates) aside."""
        return self._request_count

    def calls_of(self, method: str) -> list[JSONDict]:
        """Parameters of every request of `method` (any spelling), answered or refused."""
        return [c.params for c in self.calls if c.method == method.lower()]

    def dump(self) -> str:
        return json.dumps({c: [x.text for x in ms] for c, ms in self.chat_messages.items()},
                          ensure_ascii=False, indent=1)  # fmt: skip


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
