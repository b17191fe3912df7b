"""The outbox's deliverer stops when asked, whenever it is asked (graceful shutdown, SIGTERM).

Python 3.11's asyncio.wait_for runs the awaited wait in a task of its own; a stop (cancel)
that met a wake-up left the deliverer "cancelling" for ever (a bot in the smoke bench did not
stop within 30 s; its task dump showed Deliverer._run in wait_for). The deliverer now waits
with asyncio.timeout: this test stops it at every moment of its loop, woken or not."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.deps import Deps
from runtime.delivery import Deliverer


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_deliverer_stops_even_when_woken_as_it_is_stopped(deps: Deps) -> None:
    rng = random.Random(8)
    for attempt in range(300):
        deliverer = Deliverer(deps, bot=None, idle=0.0005)  # type: ignore[arg-type]  # nothing to send
        deliverer.start()
        await asyncio.sleep(rng.uniform(0, 0.002))
        if rng.random() < 0.5:
            deliverer.wake()
        if rng.random() < 0.5:
            await asyncio.sleep(0)
        try:
            async with asyncio.timeout(5):  # a hang detector, not a timing: it stops in ms
                await deliverer.stop()
        except TimeoutError:
            pytest.fail(f"stop {attempt + 1} did not return (the deliverer is stuck cancelling)")
