"""What the leader's background tasks share (the outbox deliverer, the file fetcher): one task,
woken at once after a commit that gave it work, else every `idle` seconds; stopped by cancel."""

from __future__ import annotations

import asyncio
import contextlib


class Worker:
    """A background task's life: `start`, `wake`, `stop`, and the wait between rounds."""

    name = "worker"

    def __init__(self, idle: float) -> None:
        self.idle = idle
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _wait(self, seconds: float) -> None:
        """Until woken or `seconds` passed. asyncio.timeout, not wait_for: Python 3.11's
        wait_for runs the wait in a task of its own, and a stop (cancel) meeting its timeout
        left the task "cancelling" for ever (the smoke bench's bot did not stop)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    async def _run(self) -> None:
        raise NotImplementedError
