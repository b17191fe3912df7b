"""The update queue, served by long-polling getUpdates or delivered to a webhook, as Telegram
does: offsets confirm, one poller at a time, no getUpdates while a webhook is set."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from typing import Any

import aiohttp

from standin.checks import ApiError, as_json, bad
from standin.model import JSONDict

log = logging.getLogger(__name__)

# Telegram's default when allowed_updates was never given (or given as []).
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
TERMINATED = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)


class Signal:
    """Wakes every waiter at once; fire() is synchronous, so plain code can call it."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def fire(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait(self, timeout: float) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            # asyncio.timeout, not wait_for: 3.11's wait_for can lose a cancel (runtime.delivery).
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(timeout, 0)):
                    await waiter
        finally:
            self._waiters.discard(waiter)


def update_type(update: JSONDict) -> str:
    """The kind of an update ("message", "callback_query" …)."""
    return next(k for k in update if k != "update_id")


class UpdateQueue:
    def __init__(self, changed: Signal) -> None:
        self.changed = changed
        self.items: list[tuple[int, JSONDict]] = []
        self.allowed: frozenset[str] | None = None  # None: all but DEFAULT_EXCLUDED
        self.delivered_upto = 0  # highest update_id handed to the bot
        self.webhook: dict[str, Any] = {}  # {"url": …, "secret": …} while one is set
        self.stopping = False
        self._ids = itertools.count(1)
        self._generation = 0
        self._delivery: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

    def push(self, update: JSONDict) -> int:
        update_id = next(self._ids)
        self.items.append((update_id, {"update_id": update_id, **update}))
        self.changed.fire()
        if self.webhook:
            self._start_delivery()
        return update_id

    def all_delivered(self) -> bool:
        return all(uid <= self.delivered_upto for uid, _ in self.items)

    def _allowed(self, update: JSONDict) -> bool:
        kind = update_type(update)
        return kind in self.allowed if self.allowed else kind not in DEFAULT_EXCLUDED

    def _set_allowed(self, params: JSONDict) -> None:
        if params.get("allowed_updates") not in (None, ""):
            chosen = as_json(params["allowed_updates"], "allowed_updates")
            if not isinstance(chosen, list):
                raise bad("can't parse allowed updates")
            self.allowed = frozenset(str(x) for x in chosen) or None

    def _batch(self, limit: int) -> list[JSONDict]:
        self.items = [(uid, u) for uid, u in self.items if self._allowed(u)]
        return [u for _, u in self.items[:limit]]

    async def get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self.webhook:
            raise ApiError(409, WEBHOOK_ACTIVE)
        # A new request ends the one still waiting (which gets 409), as Telegram does.
        self._generation += 1
        generation = self._generation
        self.changed.fire()
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        self._set_allowed(params)
        if offset > 0:
            self.items = [(uid, u) for uid, u in self.items if uid >= offset]
        elif offset < 0:
            self.items = self.items[offset:]
        deadline = time.monotonic() + timeout
        while True:
            batch = self._batch(limit)
            if batch or self.stopping or time.monotonic() >= deadline:
                break
            await self.changed.wait(deadline - time.monotonic())
            if generation != self._generation:
                raise ApiError(409, TERMINATED)
        if batch:
            self.delivered_upto = max(self.delivered_upto, batch[-1]["update_id"])
        return batch

    # --- webhook --------------------------------------------------------------------------
    def set_webhook(self, params: JSONDict) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return self.delete_webhook(params)
        if not url.startswith(("https://", "http://")):  # Telegram: https only; tests use http
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not (
            1 <= len(str(secret)) <= 256
            and all(c.isascii() and (c.isalnum() or c in "_-") for c in str(secret))
        ):
            raise bad("secret token contains unallowed characters")
        self._set_allowed(params)
        if str(params.get("drop_pending_updates", "")).lower() in ("true", "1"):
            self.items.clear()
        self.webhook = {"url": url, "secret": secret}
        self._generation += 1  # a waiting getUpdates ends with 409
        self.changed.fire()
        self._start_delivery()
        return True

    def delete_webhook(self, params: JSONDict) -> bool:
        self.webhook = {}
        if str(params.get("drop_pending_updates", "")).lower() in ("true", "1"):
            self.items.clear()
        return True

    def webhook_info(self) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.items),
            "max_connections": 40,
        }
        if self.allowed:
            info["allowed_updates"] = sorted(self.allowed)
        return info

    def _start_delivery(self) -> None:
        if self._delivery is None or self._delivery.done():
            with contextlib.suppress(RuntimeError):  # no running loop: next push starts it
                self._delivery = asyncio.get_running_loop().create_task(self._deliver())

    async def _deliver(self) -> None:
        """POST queued updates to the webhook one by one, in order; retry until accepted."""
        self._http = self._http or aiohttp.ClientSession()
        failures = 0
        while self.webhook and not self.stopping:
            batch = self._batch(1)
            if not batch:
                await self.changed.wait(1.0)
                continue
            update, headers = batch[0], {}
            if self.webhook.get("secret"):
                headers["X-Telegram-Bot-Api-Secret-Token"] = str(self.webhook["secret"])
            try:
                timeout = aiohttp.ClientTimeout(total=10)
                async with self._http.post(
                    self.webhook["url"], json=update, headers=headers, timeout=timeout
                ) as response:
                    ok = 200 <= response.status < 300
            except (aiohttp.ClientError, TimeoutError) as exc:
                log.debug("webhook delivery failed: %s", exc)
                ok = False
            if ok:
                failures = 0
                self.delivered_upto = max(self.delivered_upto, update["update_id"])
                self.items = [(u, x) for u, x in self.items if u != update["update_id"]]
                self.changed.fire()
            else:
                failures += 1
                await asyncio.sleep(min(0.2 * failures, 2.0))

    async def close(self) -> None:
        self.stopping = True
        self.changed.fire()
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
        if self._http is not None:
            await self._http.close()
            self._http = None
