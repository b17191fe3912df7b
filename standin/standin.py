"""A strict local stand-in for the Telegram Bot API, spoken to over HTTP by the real bot.

Routes, like api.telegram.org: `POST|GET /bot<token>/<method>` (method names case-insensitive;
form, multipart or JSON parameters) and `GET /file/bot<token>/<file_path>`; answers are
Telegram's `{"ok": …}` shapes with the HTTP status equal to error_code, so python-telegram-bot
raises its real exceptions. The sandbox (runner.py) drives it in process:

    standin = StandIn("123:ABC", bot_username="dutydesk_sandbox_bot")
    await standin.start()                            # standin.url: the bot's base of the API
    alice = standin.add_user(1001, "Alice", language_code="zh-hans")
    await alice.send("/start")                       # an update; Alice has now pressed Start
    msg = standin.messages(1001)[-1]                 # once the bot has answered
    query_id = await alice.press(msg, "English")     # a callback query (label, index or data)
    standin.answers[-1]                              # Answer(query_id, text, show_alert)

The tests and the bench use tests/support/standin_reading.py's ReadingStandIn: this stand-in
with readers that wait (next_message, next_event, wait_until, quiet, calls_of), failures to
switch on, acts the sandbox never performs (a group upgraded, the clock moved) and a JSON
control API under `/_standin/` for driving it from another process.

Strictness and the clock (`clock_offset`: callback queries age, flood windows pass) are
described where they live: checks.py, html_check.py, updates.py (getUpdates, webhooks); the
server asks faults.py whether a request fails (never, but in the tests and the bench).
Privacy mode is on by default: in groups the bot only gets commands, replies to its own
messages and service messages (unless it is an administrator).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiohttp import web

from standin import spec
from standin.checks import ApiError, bad
from standin.faults import Failure
from standin.methods import HANDLERS
from standin.model import Call, JSONDict
from standin.reading import Reading

log = logging.getLogger(__name__)
__all__ = ["StandIn"]


class StandIn(Reading):
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
        super().__init__(
            token,
            bot_username,
            bot_id=bot_id,
            bot_first_name=bot_first_name,
            query_max_age=query_max_age,
            privacy_mode=privacy_mode,
        )
        self.url = ""
        self._runner: web.AppRunner | None = None

    # --- server -----------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen (port 0: any free port); returns and sets `url`."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.url = f"http://{host}:{self._runner.addresses[0][1]}"
        return self.url

    def _add_routes(self, app: web.Application) -> None:
        """The Bot API's routes: methods and file downloads."""
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._handle_file)

    async def stop(self) -> None:
        """Answer waiting getUpdates at once, release held requests, stop listening."""
        self.faults.release_all()
        await self.queue.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

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
        hold = self.faults.hold_for(name, params)
        if hold is not None and not hold.after and not await hold.pass_through():
            return self._fail(request, name, params, Failure(0, 1, False, "dropped"))
        delay = self.faults.delay_of(name)
        if delay:
            await asyncio.sleep(delay)
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


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
