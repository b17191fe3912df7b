"""Pure rules for reports: text limits and the moment of discovery. No database, no Telegram."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import dates
from bot.errors import InvalidInput
from bot.i18n import N_


def clean_text(value: str | None, limit: int) -> str:
    """Free text as the person wrote it (kept literally: escaping happens when shown)."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(N_("Please answer with some text."))
    if len(text) > limit:
        raise InvalidInput(
            N_("That is {length} characters; at most {limit} fit. Please shorten it."),
            length=len(text),
            limit=limit,
        )
    return text


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
                "I could not read that date. Please write it like 2026-11-24 10:30, "
                "or only 10:30 for today."
            )
        ) from None


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    """When something was discovered: a moment in the future is refused, since nobody
    discovers things ahead of time."""
    moment, precision = parse_moment(text, now, zone)
    local_now = now.astimezone(zone)
    if (precision == "minute" and moment > local_now + timedelta(minutes=1)) or (
        precision == "day" and moment.date() > local_now.date()
    ):
        raise InvalidInput(N_("That moment is in the future. When was it discovered?"))
    return moment, precision


def day_of(now: datetime, zone: ZoneInfo, days_back: int) -> tuple[datetime, str]:
    """The buttons "today" and "yesterday": the day, without a time."""
    day = now.astimezone(zone).date() - timedelta(days=days_back)
    return datetime.combine(day, time(0, 0), zone), "day"
