"""The test database's address, the start of the tests' clock, and the policy's door opened."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import text

from bot.db.engine import create_engine
from bot.policy.schema import People, Policy

T = TypeVar("T")
PG_URL = os.environ.get(
    "DUTYDESK_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("DUTYDESK_TEST_REQUIRE_POSTGRES") == "1"
# Tuesday 2026-11-24 10:00 in Shanghai.
T0 = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def run_in_thread(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run from a thread: session fixtures may be set up inside a running loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def pg_reachable() -> str | None:
    engine = create_engine(PG_URL)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("select 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not here"
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        await engine.dispose()


def open_door(policy: Policy) -> Policy:
    """The policy with `[people] admission = "open"`: whoever presses Start is a member, as
    the tests written before admission (R4) assume; admission has tests of its own."""
    return policy.model_copy(update={"people": People(admission="open")})
