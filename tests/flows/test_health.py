"""/healthz, /readyz and /metrics over HTTP, on a bot started as `dutydesk run` starts it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from bot.app import METRICS_KEY
from bot.clock import MovableClock
from bot.config import Settings
from bot.db.engine import Database
from bot.outbox import service as outbox
from bot.people.models import Person
from scheduler import jobs
from tests.support.bot import Harness, start_bot, stop_bot
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import register


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def served(
    standin: ReadingStandIn, db: Database, settings: Settings, clock: MovableClock
) -> AsyncIterator[tuple[Harness, str]]:
    port = free_port()
    settings = settings.model_copy(update={"health_listen": f"127.0.0.1:{port}"})
    h = Harness(standin, await start_bot(standin, db, settings, clock), db, settings, clock)
    yield h, f"http://127.0.0.1:{port}"
    await stop_bot(h.app)


def samples(page: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(page)
        for s in family.samples
    }


async def queue_notice(h: Harness, telegram_id: int) -> None:
    async with h.deps.db.transaction() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        assert person is not None
        outbox.notify_person(
            session,
            now=h.deps.clock.now(),
            person=person,
            template="role.granted",
            params={"role": "office", "by": "Ada"},
        )


async def test_health_readiness_and_metrics(served: tuple[Harness, str]) -> None:
    h, url = served
    s = h.standin
    await register(s, s.add_user(4242, "Lin", language_code="en"))  # updates
    await queue_notice(h, 4242)  # and a notice through the outbox
    await s.next_message(4242)
    await s.quiet()
    ctx = type("Ctx", (), {"application": h.app, "deps": h.deps})()
    await jobs.incident_sweep(ctx)  # type: ignore[arg-type]
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/healthz") as r:
            assert (r.status, await r.json()) == (200, {"status": "ok", "database": "ok"})
        async with http.get(f"{url}/readyz") as r:
            ready = await r.json()
            assert r.status == 200
        assert (ready["role"], ready["outbox_unsent"], ready["oldest_unsent_seconds"]) == (
            "single",
            0,
            None,
        )
        assert list(ready["last_sweep"]) == ["incidents"]
        async with http.get(f"{url}/metrics") as r:
            assert r.status == 200 and r.headers["Content-Type"].startswith("text/plain")
            figures = samples(await r.text())
    assert figures[("dutydesk_updates_handled_total", ())] >= 1
    assert figures[("dutydesk_update_handling_seconds_count", ())] >= 1
    assert figures[("dutydesk_outbox_sends_total", (("outcome", "sent"),))] >= 1
    assert figures[("dutydesk_sweep_seconds_count", (("sweep", "incidents"),))] == 1
    assert figures[("dutydesk_leader", ())] == 1
    assert figures[("dutydesk_outbox_unsent", ())] == 0


async def test_unsent_messages_a_follower_and_a_database_that_does_not_answer(
    served: tuple[Harness, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    h, url = served
    s = h.standin
    await register(s, s.add_user(4243, "Mo", language_code="en"))
    await s.quiet()
    sent_before = len(s.calls_of("sendMessage"))
    s.faults.fail_next("sendMessage", 502, times=1000)  # Telegram in trouble
    await queue_notice(h, 4243)
    await s.wait_until(lambda: len(s.calls_of("sendMessage")) > sent_before, 10, "a refused send")
    h.clock.advance(timedelta(seconds=90))
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/readyz") as r:
            ready = await r.json()
        assert ready["outbox_unsent"] >= 1 and ready["oldest_unsent_seconds"] >= 90
        async with http.get(f"{url}/metrics") as r:
            figures = samples(await r.text())
        assert figures[("dutydesk_outbox_oldest_unsent_seconds", ())] >= 90
        assert figures[("dutydesk_outbox_sends_total", (("outcome", "retry"),))] >= 1
        h.app.bot_data[METRICS_KEY].set_role("follower")  # as while waiting for the lock
        async with http.get(f"{url}/readyz") as r:
            assert (r.status, (await r.json())["role"]) == (503, "follower")
        async with http.get(f"{url}/metrics") as r:
            assert samples(await r.text())[("dutydesk_leader", ())] == 0

        def broken() -> object:
            raise ConnectionRefusedError("the database went away")

        monkeypatch.setattr(h.deps.db, "read", broken)
        async with http.get(f"{url}/healthz") as r:
            assert r.status == 503
            assert (await r.json())["database"] == (
                "ConnectionRefusedError: the database went away"
            )
    h.standin.faults.failures.clear()
