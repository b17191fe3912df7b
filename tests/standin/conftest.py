"""Fixtures for the stand-in's own tests: a running stand-in and a raw HTTP caller."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from standin.model import SimUser
from tests.support.raw_api import TOKEN, Api
from tests.support.standin_reading import ReadingStandIn


@pytest.fixture
async def standin() -> AsyncIterator[ReadingStandIn]:
    server = ReadingStandIn(TOKEN, "strict_bot")
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def api(standin: ReadingStandIn, http: aiohttp.ClientSession) -> Api:
    """await api("sendMessage", chat_id=1, text="hi") -> (HTTP status, JSON body), sent as a
    form post the way python-telegram-bot sends it (nested objects JSON-encoded)."""

    async def call(method: str, token: str = TOKEN, **params: Any) -> tuple[int, dict[str, Any]]:
        form = {
            k: v if isinstance(v, str) else json.dumps(v)
            for k, v in params.items()
            if v is not None
        }
        async with http.post(f"{standin.base_url}{token}/{method}", data=form) as response:
            return response.status, await response.json()

    return call


@pytest.fixture
async def alice(standin: ReadingStandIn) -> SimUser:
    """A person who has pressed Start."""
    user = standin.add_user(1001, "Alice", language_code="zh-hans", username="alice")
    await user.send("/start")
    return user
