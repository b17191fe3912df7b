"""What a running bot counts, for /metrics (Prometheus text format) and /readyz.

One registry per application (rule 6 of docs/decisions/011-house-rules.md: no module state):
build_application makes it and hands it to the parts that count — the update handling, the
deliverer, the answers, the sweeps.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from bot.clock import Clock

# A sweep or an update takes milliseconds; a slow database or Telegram, seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Counters and gauges of one bot, and the facts /readyz tells (role, last sweep)."""

    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        self.updates = Counter(
            "dutydesk_updates_handled", "Updates handed to the handlers", registry=r
        )
        self.update_seconds = Histogram(
            "dutydesk_update_handling_seconds",
            "Time to handle one update",
            buckets=BUCKETS,
            registry=r,
        )
        self.sends = Counter(
            "dutydesk_outbox_sends",
            "Outbox sends by outcome: sent, retry, failed, uncertain, held",
            ["outcome"],
            registry=r,
        )
        self.flood = Counter(
            "dutydesk_telegram_429",
            "429 Too Many Requests from Telegram, by who sent: outbox or answer",
            ["sender"],
            registry=r,
        )
        self.sweep_seconds = Histogram(
            "dutydesk_sweep_seconds",
            "Duration of each sweep",
            ["sweep"],
            buckets=BUCKETS,
            registry=r,
        )
        self.leader = Gauge(
            "dutydesk_leader",
            "1 while this instance leads (or runs alone), 0 while it waits as the follower",
            registry=r,
        )
        self.unsent = Gauge(
            "dutydesk_outbox_unsent",
            "Messages queued and not yet sent (not those held for a person's Start)",
            registry=r,
        )
        self.unsent_age = Gauge(
            "dutydesk_outbox_oldest_unsent_seconds",
            "Age of the oldest message not yet sent",
            registry=r,
        )
        self.role = "starting"  # then "follower", "leader" or "single" (SQLite: no election)
        self.last_sweep: dict[str, datetime] = {}

    def set_role(self, role: str) -> None:
        self.role = role
        self.leader.set(1 if role in ("leader", "single") else 0)

    @contextmanager
    def sweep(self, name: str, clock: Clock) -> Iterator[None]:
        """Time one run of a sweep; its end is the "last sweep" /readyz tells."""
        began = time.perf_counter()
        try:
            yield
        finally:
            self.sweep_seconds.labels(name).observe(time.perf_counter() - began)
            self.last_sweep[name] = clock.now()
