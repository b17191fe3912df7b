"""Pure rules for reports: the moment of discovery as people type it. No database, no Telegram."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import dates, examples
from bot.errors import InvalidInput
from bot.i18n import N_


def parse_moment(text: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    """A date (and time) as people type it, in any form of bot.dates, in the organisation's
    zone: (moment, precision). "2026-11-24 10:30", "11/24 10:30", "2026年11月24日 10:30",
    "二〇二六年十一月二十四日下午三点", "10:30" (today), "11-24" (a day). A date that does not
    exist (2026-02-30) is unreadable."""
    try:
        return dates.parse_moment(text, now, zone)
    except dates.Unreadable:
        raise InvalidInput(
            N_(
                "I could not read that date. Please write it like {example}, or only {time} for "
                "today."
            ),
            example=examples.moment(now, zone),
            time=examples.clock(now, zone),
        ) from None


# How far back a discovery may lie: a report is of something found lately (L4: discover and
# report promptly); 1999-01-01 is a typing slip, not a discovery.
DISCOVERED_WITHIN = timedelta(days=365)


def check_discovered(moment: datetime, now: datetime, zone: ZoneInfo) -> None:
    """Within the last year (the first day named in the answer)."""
    first = (now.astimezone(zone) - DISCOVERED_WITHIN).date()
    if moment.astimezone(zone).date() < first:
        raise InvalidInput(
            N_(
                "That is more than a year ago. A report is for what was discovered within the "
                "last year, from {first}. When was it discovered?"
            ),
            first=first.isoformat(),
        )


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    """When something was discovered: a moment in the future is refused, since nobody
    discovers things ahead of time, and so is one more than a year ago."""
    moment, precision = parse_moment(text, now, zone)
    local_now = now.astimezone(zone)
    if (precision == "minute" and moment > local_now + timedelta(minutes=1)) or (
        precision == "day" and moment.date() > local_now.date()
    ):
        raise InvalidInput(N_("That moment is in the future. When was it discovered?"))
    check_discovered(moment, now, zone)
    return moment, precision


def day_of(now: datetime, zone: ZoneInfo, days_back: int) -> tuple[datetime, str]:
    """The buttons "today" and "yesterday": the day, without a time."""
    day = now.astimezone(zone).date() - timedelta(days=days_back)
    return datetime.combine(day, time(0, 0), zone), "day"
