"""The stretch of time a ledger covers, as the reader chose it, in the organisation's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CHOICES = ("this_quarter", "last_quarter", "this_year", "last_year")


@dataclass(frozen=True)
class LedgerPeriod:
    """Whole local days from `first` to `last` inclusive; `start`/`end` are the UTC bounds
    (end exclusive) that records are compared with."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), self.zone)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), self.zone)

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def key(self) -> str:
        """2026-Q4, 2026, or 2026-11-01..2026-11-24 for chosen dates."""
        q = (self.first.month - 1) // 3
        if self.first == date(self.first.year, 3 * q + 1, 1) and self.last == _quarter_end(
            self.first.year, q
        ):
            return f"{self.first.year}-Q{q + 1}"
        if (self.first.month, self.first.day, self.last) == (1, 1, date(self.first.year, 12, 31)):
            return str(self.first.year)
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def _quarter_end(year: int, q: int) -> date:
    return date(year + (q == 3), 1 if q == 3 else 3 * q + 4, 1) - timedelta(days=1)


def chosen(choice: str, now: datetime, zone: ZoneInfo) -> LedgerPeriod:
    """One of CHOICES, relative to today in the organisation's zone."""
    today = now.astimezone(zone).date()
    q = (today.month - 1) // 3
    year = today.year
    if choice in ("last_quarter", "last_year"):
        if choice == "last_year":
            year -= 1
        elif q == 0:
            year, q = year - 1, 3
        else:
            q -= 1
    if choice.endswith("year"):
        return LedgerPeriod(date(year, 1, 1), date(year, 12, 31), zone)
    if choice.endswith("quarter"):
        return LedgerPeriod(date(year, 3 * q + 1, 1), _quarter_end(year, q), zone)
    raise ValueError(f"unknown period {choice!r}")


def between(first: date, last: date, zone: ZoneInfo) -> LedgerPeriod:
    """Chosen dates, in either order."""
    return LedgerPeriod(min(first, last), max(first, last), zone)
