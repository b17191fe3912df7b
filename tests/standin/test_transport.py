"""runtime.transport: python-telegram-bot's requests over aiohttp
(docs/decisions/006-performance.md).

What reaches the server (form fields, multipart files), and how each failure is told apart:
a connection never made (nothing sent), one broken after sending (fate unknown), a timeout.
The outbox decides on these whether an at-most-once message may be sent again.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from io import BytesIO

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from runtime.transport import AiohttpRequest, Broken, ConnectFailed

OK = b'{"ok":true,"result":true}'


def data(**params: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    r = AiohttpRequest(read_timeout=0.5)
    await r.initialize()
    yield r
    await r.shutdown()


async def serve(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.AppRunner:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


def url_of(runner: web.AppRunner, path: str = "/botT/sendMessage") -> str:
    host, port = runner.addresses[0][:2]
    return f"http://{host}:{port}{path}"


async def raw_server(answer: bytes | None) -> tuple[asyncio.Server, list[bytes]]:
    """A bare TCP server: records what it was sent; answers `answer`, or hangs up on None."""
    seen: list[bytes] = []

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.readuntil(b"\r\n\r\n"))
        if answer is not None:
            writer.write(answer)
            await writer.drain()
        writer.close()

    return await asyncio.start_server(on_connect, "127.0.0.1", 0), seen


def port_of(server: asyncio.Server) -> int:
    return int(server.sockets[0].getsockname()[1])


async def test_fields_and_files_arrive_as_sent(request_: AiohttpRequest) -> None:
    got: list[dict[str, object]] = []

    async def handler(request: web.Request) -> web.Response:
        form = await request.post()
        got.append(
            {
                k: (v.filename, v.content_type, v.file.read())
                if isinstance(v, web.FileField)
                else v
                for k, v in form.items()
            }
        )
        return web.Response(body=OK, content_type="application/json")

    runner = await serve(handler)
    try:
        text = "<b>中文</b> & 100%"
        assert await request_.do_request(url_of(runner), "POST", data(chat_id=7, text=text)) == (
            200,
            OK,
        )
        photo = InputFile(BytesIO(b"\x89PNG..."), filename="chart.png")
        status, _ = await request_.do_request(
            url_of(runner, "/botT/sendPhoto"), "POST", data(chat_id=7, photo=photo, caption="c")
        )
    finally:
        await runner.cleanup()
    assert status == 200
    assert got[0] == {"chat_id": "7", "text": text}
    assert got[1]["chat_id"] == "7" and got[1]["caption"] == "c"
    assert got[1]["photo"] == ("chart.png", "image/png", b"\x89PNG...")


async def test_telegram_refusals_come_back_as_status_and_body(request_: AiohttpRequest) -> None:
    async def handler(_: web.Request) -> web.Response:
        return web.Response(status=429, body=b'{"ok":false,"error_code":429}')

    runner = await serve(handler)
    try:
        assert await request_.do_request(url_of(runner), "POST", data(chat_id=1)) == (
            429,
            b'{"ok":false,"error_code":429}',
        )
    finally:
        await runner.cleanup()


async def test_no_connection_is_connect_failed(request_: AiohttpRequest) -> None:
    with socket.socket() as s:  # a port nobody listens on once this closes
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectFailed, match=r"aiohttp\.ClientConnectorError"):
        await request_.do_request(f"http://127.0.0.1:{port}/botT/sendMessage", "POST", data(a=1))


async def test_hang_up_after_the_request_is_broken_not_connect_failed(
    request_: AiohttpRequest,
) -> None:
    server, seen = await raw_server(None)
    try:
        with pytest.raises(Broken) as caught:
            await request_.do_request(
                f"http://127.0.0.1:{port_of(server)}/botT/sendMessage", "POST", data(chat_id=1)
            )
    finally:
        server.close()
    assert not isinstance(caught.value, ConnectFailed)
    assert seen and seen[0].startswith(b"POST /botT/sendMessage HTTP/1.1")  # it did go out


async def test_no_answer_within_the_read_timeout_is_timed_out(request_: AiohttpRequest) -> None:
    async def handler(_: web.Request) -> web.Response:
        await asyncio.sleep(0.8)
        return web.Response(body=OK)

    runner = await serve(handler)
    try:
        with pytest.raises(TimedOut):  # the default: 0.5 s
            await request_.do_request(url_of(runner), "POST", data(chat_id=1))
        # A read timeout given for one call (getUpdates gives its long poll's) replaces it.
        assert await request_.do_request(
            url_of(runner), "POST", data(chat_id=1), read_timeout=3
        ) == (200, OK)
    finally:
        await runner.cleanup()


async def test_the_environments_proxy_is_used_unless_no_proxy_names_the_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy, seen = await raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Length: 25\r\nConnection: close\r\n\r\n" + OK
    )
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port_of(proxy)}")
    monkeypatch.setenv("NO_PROXY", "localhost")
    r = AiohttpRequest()
    await r.initialize()
    try:
        # The proxy is asked for the whole URL (the host resolves nowhere: only the proxy
        # could answer).
        url = "http://api.telegram.invalid/botT/getMe"
        assert await r.do_request(url, "POST") == (200, OK)
        assert seen[0].startswith(b"POST http://api.telegram.invalid/botT/getMe HTTP/1.1")
        # NO_PROXY: straight to the host, which is not listening here.
        with pytest.raises(ConnectFailed):
            await r.do_request("http://localhost:9/botT/getMe", "POST")
        assert len(seen) == 1
    finally:
        await r.shutdown()
        proxy.close()


async def test_a_request_before_initialize_says_so() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:9/botT/getMe", "POST")


async def test_a_socks_proxy_is_refused_in_one_plain_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    r = AiohttpRequest()
    await r.initialize()
    try:
        with pytest.raises(NetworkError, match=r"socks5:// .* only HTTP proxies"):
            await r.do_request("https://api.telegram.invalid/botT/getMe", "POST")
    finally:
        await r.shutdown()
