"""The stretch of time a ledger covers, as the reader chose it, in the organisation's zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import dates
from bot.errors import InvalidInput
from bot.i18n import N_

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


EARLIEST = date(2000, 1, 1)
LONGEST = timedelta(days=366 * 5)


def parse_dates(text: str, today: date, zone: ZoneInfo) -> LedgerPeriod:
    """Two dates typed by a reader, in any form of bot.dates (2026-01-01 2026-03-31,
    2026年1月1日至3月31日, 二〇二六年一月一日至三月三十一日), or a period named whole
    (2026年第一季度, 2026年上半年, 2026年1—3月)."""
    try:
        whole = dates.whole_period(text)
        found = [] if whole else dates.find_days(text, today.year)
        # "1月1日至3月31日" typed in February means the last one that has begun.
        if found and not any(t.year_given for t in found) and found[0].day > today:
            found = dates.find_days(text, today.year - 1)
    except dates.Unreadable:
        raise InvalidInput(N_("One of those dates does not exist; please check it.")) from None
    if whole is None and len(found) != 2:
        raise InvalidInput(
            N_("Please send two dates, the first and the last day, such as {first} {last}."),
            first=today.replace(month=1, day=1).isoformat(),
            last=today.isoformat(),
        )
    period = between(*(whole or (found[0].day, found[1].day)), zone)
    if period.first < EARLIEST or period.first > today:
        raise InvalidInput(N_("The first day must lie between 2000 and today."))
    if period.last - period.first > LONGEST:
        raise InvalidInput(N_("At most five years at a time, please."))
    return period


def token(period: LedgerPeriod) -> str:
    """The period in button data: 2026-Q4, 2026, or 20260101-20260331."""
    if period.key.count("..") == 0:
        return period.key
    return f"{period.first:%Y%m%d}-{period.last:%Y%m%d}"


def from_token(value: str, zone: ZoneInfo) -> LedgerPeriod | None:
    """The period a button names; None for anything that is not one."""
    try:
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            y, q = int(m[1]), int(m[2]) - 1
            return LedgerPeriod(date(y, 3 * q + 1, 1), _quarter_end(y, q), zone)
        if re.fullmatch(r"\d{4}", value):
            return LedgerPeriod(date(int(value), 1, 1), date(int(value), 12, 31), zone)
        if m := re.fullmatch(r"(\d{8})-(\d{8})", value):
            first, last = (date(int(x[:4]), int(x[4:6]), int(x[6:])) for x in (m[1], m[2]))
            return between(first, last, zone)
    except ValueError:
        return None
    return None
