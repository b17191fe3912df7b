"""Example dates in prompts, from the clock. People copy an example's shape and often its
date too: an example that has already passed, or lies a year off, reads as a mistake."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def day(now: datetime, zone: ZoneInfo, ahead: int = 0) -> str:
    """Today (or `ahead` days on) in the organisation's zone: 2026-12-07."""
    return (now.astimezone(zone).date() + timedelta(days=ahead)).isoformat()


def clock(now: datetime, zone: ZoneInfo) -> str:
    """The last half hour that has begun, so the example is never in the future: 10:47 → 10:30."""
    local = now.astimezone(zone)
    return f"{local.hour:02d}:{30 if local.minute >= 30 else 0:02d}"


def moment(now: datetime, zone: ZoneInfo) -> str:
    """A moment that has come: today at the last half hour (2026-12-07 10:30)."""
    return f"{day(now, zone)} {clock(now, zone)}"


def upcoming(now: datetime, zone: ZoneInfo) -> str:
    """A moment to plan for: two weeks ahead at 14:30 (an event, well past the notice R6 asks)."""
    return f"{day(now, zone, 14)} 14:30"


def absence(now: datetime, zone: ZoneInfo) -> tuple[str, str]:
    """Days to come: a week ahead, ten days long (an acting approver's period)."""
    return day(now, zone, 7), day(now, zone, 16)


def year_so_far(now: datetime, zone: ZoneInfo) -> tuple[str, str]:
    """A period that has passed: from 1 January of this year to today."""
    today = now.astimezone(zone).date()
    return today.replace(month=1, day=1).isoformat(), today.isoformat()
