"""What every service needs, built once at start and passed down (rule 6 of
docs/decisions/011-house-rules.md: no module state)."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Settings
from bot.db.engine import Database
from bot.policy.load import load
from bot.policy.schema import Policy


@dataclass
class Deps:
    settings: Settings
    db: Database
    clock: Clock
    policy: Policy = field(default_factory=lambda: load(None))
    # People's own choice of language by Telegram id (None: not chosen), read once per process
    # instead of once per update (docs/decisions/006-performance.md). Only people.service writes it,
    # where it changes
    # Person.locale; one instance handles the updates (bot.db.leader).
    chosen_locales: dict[int, str | None] = field(default_factory=dict)
    # Telegram ids of people known to be admitted (R4), so the admission gate reads nothing
    # for them; only bot.people.admission and invitations add to it.
    admitted_ids: set[int] = field(default_factory=set)

    @property
    def zone(self) -> ZoneInfo:
        """The organisation's time zone: DUTYDESK_TIMEZONE if set, else the policy's."""
        return ZoneInfo(self.settings.timezone or self.policy.working_hours.time_zone)
