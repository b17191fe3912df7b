"""Two `dutydesk run` processes on one PostgreSQL database: exactly one works; the other takes
over when the leader is killed, loses its lease or its database — never while the old one may
still work — directly and through PgBouncer in transaction pooling (SQLite's refusal:
test_process.py)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.db.engine import create_engine
from tests.support.bot import TOKEN
from tests.support.database import PG_URL, REQUIRE_PG, pg_reachable
from tests.support.pgbouncer import PgBouncer
from tests.support.pgbouncer import pgbouncer as pgbouncer  # the fixture
from tests.support.process import finish, spawn
from tests.support.standin_reading import ReadingStandIn

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
LEASE = "5"  # seconds: renewed every second, given up a second before it ends
TAKES_OVER = "leader: this instance works"


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A database of its own (advisory locks are per database), dropped afterwards."""
    problem = await pg_reachable()
    if problem is not None:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL required but not reachable at {PG_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} ({problem})")
    name = f"dd_leader_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    await admin.dispose()


def via(url: str, bouncer: PgBouncer) -> dict[str, str]:
    """The environment of an instance that reaches the database through the pooler."""
    return {
        "DUTYDESK_DATABASE_URL": bouncer.url_for(url),
        "DUTYDESK_DATABASE_POOLER": "transaction",
    }


def conflicts(standin: ReadingStandIn) -> list[object]:
    """getUpdates answered 409: a second poller came while one was waiting. (After a kill the
    dead process's waiting request gets one when the next leader polls: check before that.)"""
    return [c for c in standin.calls if c.method == "getupdates" and c.status == 409]


def log_of(tmp_path: Path, index: int) -> str:
    return (tmp_path / f"bot-{index}.log").read_text(errors="replace")


async def until(condition: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def answered(standin: ReadingStandIn, user_id: int, text_: str) -> str:
    user = standin.users[user_id]
    await user.send(text_)
    return (await standin.next_message(user_id, timeout=20)).text


@contextlib.asynccontextmanager
async def leader_and_follower(
    tmp_path: Path, standin: ReadingStandIn, pg_url: str
) -> AsyncIterator[tuple[asyncio.subprocess.Process, asyncio.subprocess.Process]]:
    """Start one process, wait until it leads, start another, wait until it waits; at the end
    the survivor stops gracefully (exit code 0)."""
    async with instances(
        tmp_path, standin, {"DUTYDESK_DATABASE_URL": pg_url}, {"DUTYDESK_DATABASE_URL": pg_url}
    ) as both:
        yield both


@contextlib.asynccontextmanager
async def instances(
    tmp_path: Path, standin: ReadingStandIn, first_env: dict[str, str], second_env: dict[str, str]
) -> AsyncIterator[tuple[asyncio.subprocess.Process, asyncio.subprocess.Process]]:
    """leader_and_follower, each reaching the database as its environment says."""
    standin.add_user(1001, "Alice", language_code="en")
    first = await spawn(tmp_path, standin, TOKEN, DUTYDESK_LEADER_LEASE=LEASE, **first_env)
    await until(lambda: "leader: this instance works" in log_of(tmp_path, 0), "a leader")
    second = await spawn(tmp_path, standin, TOKEN, DUTYDESK_LEADER_LEASE=LEASE, **second_env)
    try:
        await until(
            lambda: "waiting: another instance is the leader" in log_of(tmp_path, 1), "the follower"
        )
        yield first, second
        await until(
            lambda: "leader: this instance works" in log_of(tmp_path, 1), "the takeover", seconds=20
        )
        # The new leader first hands on whatever the kill interrupted (a /start whose welcome
        # went out but was not yet marked handled is answered again, bot.inbox), then /help.
        await standin.users[1001].send("/help")
        await until(
            lambda: any(m.text.startswith("Your roles:") for m in standin.unread(1001)),
            "the answer to /help",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        code, log = await finish(second, tmp_path)
    assert code == 0, log


async def test_one_leader_and_a_takeover_after_sigkill(
    tmp_path: Path, standin: ReadingStandIn, pg_url: str
) -> None:
    async with leader_and_follower(tmp_path, standin, pg_url) as (first, _):
        assert (await answered(standin, 1001, "/start")).startswith("Welcome to Duty Desk")
        assert "leader: this instance works" not in log_of(tmp_path, 1)
        # Never two pollers at once: Telegram would answer one of them 409 Conflict.
        assert not [c for c in standin.calls if c.method == "getupdates" and c.status == 409]
        first.kill()  # SIGKILL: PostgreSQL frees the lock when the connection drops
        await first.wait()


async def test_a_leader_whose_lease_was_taken_stops_at_once(
    tmp_path: Path, standin: ReadingStandIn, pg_url: str
) -> None:
    async with leader_and_follower(tmp_path, standin, pg_url) as (first, _):
        admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:  # as a new term would: the old one cannot renew
            await conn.execute(
                text(
                    "UPDATE leader_lease SET holder = 'elsewhere', generation = generation + 1, "
                    "expires_at = clock_timestamp() + interval '2 seconds'"
                )
            )
        await admin.dispose()
        assert await asyncio.wait_for(first.wait(), 20) == 6  # EXIT_LOST_LEADERSHIP
        assert "another instance holds the lease" in log_of(tmp_path, 0)


async def test_a_leader_cut_off_from_its_database_stops_before_anyone_takes_over(
    tmp_path: Path, standin: ReadingStandIn, pg_url: str, pgbouncer: PgBouncer
) -> None:
    """The leader reaches the database through the pooler, the follower directly: when the
    pooler dies the leader cannot renew, and stops before its lease ends; only then does the
    follower start (no two pollers: Telegram would answer 409 Conflict)."""
    async with instances(
        tmp_path, standin, via(pg_url, pgbouncer), {"DUTYDESK_DATABASE_URL": pg_url}
    ) as (first, _):
        await until(lambda: "waiting: another instance" in log_of(tmp_path, 1), "the follower")
        pgbouncer.kill()
        assert await asyncio.wait_for(first.wait(), 20) == 6  # EXIT_LOST_LEADERSHIP
        # The moment the leader is gone, nobody else has worked yet.
        assert TAKES_OVER not in log_of(tmp_path, 1), "the follower led before the leader left"
        assert not conflicts(standin)
        assert "the lease could not be renewed in time" in log_of(tmp_path, 0)


async def test_through_pgbouncer_in_transaction_pooling_one_leads_and_hands_over(
    tmp_path: Path, standin: ReadingStandIn, pg_url: str, pgbouncer: PgBouncer
) -> None:
    """Both through a pooler that has one server connection for everyone (on which a session
    advisory lock was re-entrant: both led): exactly one leads; killed, it hands over."""
    env = via(pg_url, pgbouncer)
    async with instances(tmp_path, standin, env, env) as (first, _):
        assert (await answered(standin, 1001, "/start")).startswith("Welcome to Duty Desk")
        assert TAKES_OVER not in log_of(tmp_path, 1)
        assert not conflicts(standin)
        first.kill()
        await first.wait()
