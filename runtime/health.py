"""One small HTTP listener for the operator: /healthz, /readyz, /metrics (DUTYDESK_HEALTH_LISTEN).

Off by default. It starts before the election, so a follower answers too (/readyz says which it
is), and it never touches Telegram: what it reads comes from the database and the counters.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select, text

from bot.deps import Deps
from bot.outbox.models import OutboxMessage, OutboxStatus
from runtime.metrics import Metrics

log = logging.getLogger(__name__)

CHECK_SECONDS = 3.0  # a database slower than this to answer SELECT 1 is not healthy
UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING)


class HealthServer:
    def __init__(self, deps: Deps, metrics: Metrics, listen: str) -> None:
        self.deps, self.metrics = deps, metrics
        host, _, port = listen.rpartition(":")
        self.host, self.port = host, int(port)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics_page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info("health and metrics on http://%s:%d/", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def healthz(self, request: web.Request) -> web.Response:
        """Alive, and the database answers."""
        try:
            async with asyncio.timeout(CHECK_SECONDS), self.deps.db.read() as session:
                await session.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - any failure is the answer, named
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            return web.json_response({"status": "fail", "database": reason}, status=503)
        return web.json_response({"status": "ok", "database": "ok"})

    async def readyz(self, request: web.Request) -> web.Response:
        """Leader or follower, how old the oldest unsent message is, when each sweep last ran.
        503 while following (or starting): this instance is not the one doing the work."""
        m, now = self.metrics, self.deps.clock.now()
        body: dict[str, Any] = {"role": m.role}
        try:
            depth, age = await self._unsent(now)
            body |= {"outbox_unsent": depth, "oldest_unsent_seconds": age}
        except Exception as exc:  # noqa: BLE001
            body["database"] = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        body["last_sweep"] = {name: _ago(at, now) for name, at in sorted(m.last_sweep.items())}
        ready = m.role in ("leader", "single") and "database" not in body
        return web.json_response(body, status=200 if ready else 503)

    async def metrics_page(self, request: web.Request) -> web.Response:
        """Prometheus text format; the outbox figures read at the moment of the scrape."""
        try:
            await self._unsent(self.deps.clock.now())
        except Exception:
            log.warning("metrics: the outbox could not be read", exc_info=True)
        return web.Response(
            body=generate_latest(self.metrics.registry),
            headers={"Content-Type": CONTENT_TYPE_LATEST},
        )

    async def _unsent(self, now: datetime) -> tuple[int, float | None]:
        async with asyncio.timeout(CHECK_SECONDS), self.deps.db.read() as session:
            row = (
                await session.execute(
                    select(func.count(), func.min(OutboxMessage.created_at)).where(
                        OutboxMessage.status.in_(UNSENT)
                    )
                )
            ).one()
        depth, oldest = int(row[0]), row[1]
        age = round((now - oldest).total_seconds(), 3) if oldest is not None else None
        self.metrics.unsent.set(depth)
        self.metrics.unsent_age.set(age or 0)
        return depth, age


def _ago(at: datetime, now: datetime) -> dict[str, Any]:
    return {"at": at.isoformat(), "seconds_ago": round((now - at).total_seconds(), 3)}
