"""python-telegram-bot's requests to Telegram over aiohttp instead of httpx.

Why (docs/decisions/006-performance.md, measured): one Bot API call through PTB's HTTPXRequest cost
0.74 ms of the
bot's CPU on the bench machine, through aiohttp 0.25 ms: with two or three calls per update,
httpx alone was a fifth of the bot's time. aiohttp is already installed (the stand-in is an
aiohttp server). PTB supports replacing its network layer by subclassing BaseRequest; its
status codes, JSON, RetryAfter, Forbidden and the rest stay PTB's own (BaseRequest.post).

What the outbox needs to know about a failure (runtime.delivery):
- ConnectFailed: the connection was never made, so nothing was sent; safe to repeat.
- TimedOut (PTB's): the request may or may not have reached Telegram.
- Broken: the connection failed after the request may have gone out; fate unknown.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from render.fitting import CLOSE, OPEN, unmarked


class ConnectFailed(NetworkError):
    """No connection to Telegram could be made: the request was not sent."""


class Broken(NetworkError):
    """The connection failed while the request was sent or answered: it may have taken effect."""


class AiohttpRequest(BaseRequest):
    """A BaseRequest with HTTPXRequest's parameters and timeouts, over one aiohttp session.

    The session is made in `initialize` (aiohttp sessions belong to a running loop; PTB builds
    its requests before there is one) and closed in `shutdown`. An HTTP(S) proxy comes from the
    environment (HTTPS_PROXY, ALL_PROXY and NO_PROXY, as with httpx), which is how Telegram is
    reached where it is blocked. It is looked up once per host: aiohttp's own `trust_env`
    looks it up (and reads ~/.netrc) on every request, which cost 0.6 ms of CPU per call.
    """

    __slots__ = ("_media_write_timeout", "_pool_size", "_proxies", "_session", "_timeouts")

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts[0]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        if fields and any(OPEN in v or CLOSE in v for v in fields.values()):
            # The free-text marks of render.fitting never leave, even on a path without fit.
            fields = {k: unmarked(v) for k, v in fields.items()}
        read, write, connect, pool = self._timeouts
        if files:
            write = self._media_write_timeout
        timeout = _timeout(
            read if isinstance(read_timeout, DefaultValue) else read_timeout,
            write if isinstance(write_timeout, DefaultValue) else write_timeout,
            connect if isinstance(connect_timeout, DefaultValue) else connect_timeout,
            pool if isinstance(pool_timeout, DefaultValue) else pool_timeout,
        )
        data: Any = _form(fields, files) if files else fields
        proxy = self._proxy_for(url)
        try:
            async with session.request(
                method, url, data=data, timeout=timeout, proxy=proxy
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's timeouts are asyncio's (TimeoutError, 3.11+)
            raise TimedOut from err
        except aiohttp.ClientConnectorError as err:
            raise ConnectFailed(f"aiohttp.{type(err).__name__}: {err}") from err
        except aiohttp.ClientError as err:
            raise Broken(f"aiohttp.{type(err).__name__}: {err}") from err

    def _proxy_for(self, url: str) -> str | None:
        """The environment's proxy for this URL's scheme and host, or None (NO_PROXY too)."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxies = getproxies()
            proxy = proxies.get(parts.scheme) or proxies.get("all")
            if proxy and proxy_bypass(parts.hostname or ""):
                proxy = None
            if proxy and not proxy.lower().startswith(("http://", "https://")):
                # Said once, plainly, instead of aiohttp's error on every request.
                raise NetworkError(
                    f"the proxy {proxy.split('://')[0]}:// from the environment is not "
                    "supported: only HTTP proxies (HTTPS_PROXY=http://host:port)"
                )
            self._proxies[key] = proxy
        return self._proxies[key]


def _timeout(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """httpx's four timeouts in aiohttp's terms. aiohttp has no write timeout, so the whole
    request is bounded by the sum of the four (when all are set): a stalled upload still ends.
    aiohttp's `connect` covers waiting for a pooled connection as well as making a new one."""
    parts = (read, write, connect, pool)
    total = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
    waiting = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=total, connect=waiting, sock_connect=connect, sock_read=read)


def _form(fields: dict[str, str] | None, files: dict[str, Any]) -> aiohttp.FormData:
    """multipart/form-data: the parameters, then each file as (file name, content, type)."""
    form = aiohttp.FormData()
    for name, value in (fields or {}).items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():  # PTB's FieldTuple
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
