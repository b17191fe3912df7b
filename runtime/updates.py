"""Telegram's updates handed to the handlers exactly once: bot.inbox wired into
python-telegram-bot (the getUpdates connection keeps each batch, the application brackets
each update). bot.app builds them; nothing else uses them."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.context import AnyApp, deps_of
from bot.deps import Deps
from bot.inbox import service as inbox
from runtime.delivery import Deliverer
from runtime.metrics import Metrics
from runtime.transport import AiohttpRequest

log = logging.getLogger(__name__)

# An update's end waits this long for the next batch to be recorded with; then alone.
FINISH_DELAY_S = 0.2


class Handover:
    """What the getUpdates connection and the application share about the inbox (bot.inbox):
    updates kept on arrival and not handed over yet, and updates handled whose end is not
    recorded yet. Every write of ends holds `lock`, and an update is handed to the handlers
    only under it, so none is handled while an earlier one's end is still being written.
    `idle` is set while no update is being handled."""

    def __init__(self) -> None:
        self.fresh: set[int] = set()
        self.finished: list[tuple[int, datetime]] = []
        self.lock = asyncio.Lock()
        self.idle = asyncio.Event()
        self.idle.set()
        # Set by a leader (bot.db.leader): a 409 Conflict means another process polls too.
        self.on_conflict: Callable[[str], None] | None = None

    def take_finished(self) -> list[tuple[int, datetime]]:
        taken, self.finished = self.finished, []
        return taken


class InboxRequest(AiohttpRequest):
    """The getUpdates connection: each batch is kept in the inbox before the next request
    confirms it to Telegram, so a kill while handling it loses nothing (bot.inbox); the ends
    of updates handled meanwhile are recorded in the same transaction."""

    def __init__(self, deps: Deps, handover: Handover) -> None:
        super().__init__(connection_pool_size=1)  # what PTB uses for getUpdates
        self.deps = deps
        self.handover = handover

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, body = await super().do_request(*args, **kwargs)
        if status == HTTPStatus.CONFLICT and self.handover.on_conflict is not None:
            self.handover.on_conflict("Telegram answered 409 Conflict: another process polls")
        if status == HTTPStatus.OK:
            result = json.loads(body).get("result")
            if isinstance(result, list) and result:
                h = self.handover
                # The update being handled ends first (they are handled one at a time anyway),
                # so its end is written with this batch: one transaction per batch instead of
                # one more per update. Until the batch is kept it is not confirmed either.
                await h.idle.wait()
                now = self.deps.clock.now()
                async with h.lock:
                    h.fresh |= await inbox.received(
                        self.deps.db, result, now=now, finished=h.take_finished()
                    )
        return status, body


class WebhookQueue(asyncio.Queue[object]):
    """Webhook mode's update queue. python-telegram-bot's webhook handler answers Telegram 200
    as soon as `put` returns, and Telegram never sends that update again: so `put` keeps it in
    the inbox first, as InboxRequest keeps a getUpdates batch before confirming it. A crash
    after the 200 and before the handling then hands it over at the next start (bot.inbox);
    a failed write answers 500 and Telegram sends it again."""

    def __init__(self, deps: Deps, handover: Handover) -> None:
        super().__init__()
        self.deps = deps
        self.handover = handover

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            h = self.handover
            async with h.lock:
                h.fresh |= await inbox.received(
                    self.deps.db,
                    [item.to_dict()],
                    now=self.deps.clock.now(),
                    finished=h.take_finished(),
                )
        await super().put(item)


class InboxApplication(Application[Any, Any, Any, Any, Any, Any]):
    """Handles each update once: skipped when handled before, handed to the handlers again
    after a crash (bot.inbox). An update kept on arrival by this process is handed over with
    no write of its own; its end is recorded with the next batch's arrival, before the next
    update is handled, or after FINISH_DELAY_S when nothing else comes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Both set by bot.app.build_application: the handover it shares with InboxRequest.
        self.handover = Handover()
        self.deliverer: Deliverer | None = None
        self.metrics: Metrics | None = None
        self._flush: asyncio.TimerHandle | None = None
        self._flushing: asyncio.Task[None] | None = None  # kept: the loop holds tasks weakly

    async def process_update(self, update: object) -> None:
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        deps = deps_of(self)
        db, clock, h = deps.db, deps.clock, self.handover
        async with h.lock:
            ended = h.take_finished()
            if update.update_id in h.fresh:
                h.fresh.discard(update.update_id)
                await inbox.finish_all(db, ended)
                times = 1
            else:
                times = await inbox.begin(
                    db, update.update_id, update.to_dict, now=clock.now(), finished=ended
                )
            if times:
                h.idle.clear()
        if not times:
            return
        token = inbox.handling(update.update_id, again=times > 1)
        began_at = time.perf_counter()
        try:
            await super().process_update(update)
            h.finished.append((update.update_id, clock.now()))
        finally:
            if self.metrics is not None:
                self.metrics.updates.inc()
                self.metrics.update_seconds.observe(time.perf_counter() - began_at)
            inbox.done_handling(token)
            h.idle.set()
            if self.deliverer is not None:
                self.deliverer.update_done()  # what the update queued goes out now
        if self._flush is None:
            loop = asyncio.get_running_loop()
            self._flush = loop.call_later(FINISH_DELAY_S, self._flush_later)

    def _flush_later(self) -> None:
        self._flushing = asyncio.get_running_loop().create_task(self.flush_finished())

    async def flush_finished(self) -> None:
        """Record the ends not recorded yet (nothing else came to take them along)."""
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        h = self.handover
        async with h.lock:
            await inbox.finish_all(deps_of(self).db, h.take_finished())

    async def stop(self) -> None:
        await super().stop()
        await self.flush_finished()


async def replay_unfinished(app: AnyApp, deps: Deps) -> None:
    """Updates a crash interrupted go to the handlers first, before anything new is polled."""
    await inbox.prune(deps.db, now=deps.clock.now())
    payloads = await inbox.unfinished(deps.db)
    for payload in payloads:
        update = Update.de_json(payload, app.bot)
        if update is not None:
            await app.update_queue.put(update)
    if payloads:
        log.warning("handling %d update(s) a restart interrupted", len(payloads))
