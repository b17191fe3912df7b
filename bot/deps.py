"""What every service needs, built once at start and passed down (rule 6: no module state)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.db.engine import Database


@dataclass
class Deps:
    settings: Settings
    db: Database
    clock: Clock
