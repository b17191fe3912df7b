"""Pure rules for reports: text limits and the moment of discovery. No database, no Telegram."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import examples
from bot.errors import InvalidInput
from bot.freetext import normalise, visible
from bot.i18n import N_


def clean_text(value: str | None, limit: int) -> str:
    """Free text for a field bot.freetext does not name: cleaned the same way (no control or
    invisible characters), measured against `limit`. A field people type at a step belongs in
    bot.freetext.FIELDS, whose answers name it."""
    text = normalise(value)
    if not visible(text):
        raise InvalidInput(N_("Please answer with some text."))
    if len(text) > limit:
        raise InvalidInput(
            N_("That is {length} characters; at most {limit} fit. Please shorten it."),
            length=len(text),
            limit=limit,
        )
    return text


# Accepted forms of a date and time, the way people type them in either language.
_DATE = r"(?:(?P<y>\d{4})[-/.年])?(?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
_TIME = r"(?P<H>\d{1,2})[:：时点](?P<M>\d{1,2})分?"
_FORMS = [re.compile(rf"^{_DATE}(?:[ T]*{_TIME})?$"), re.compile(rf"^{_TIME}$")]


def parse_moment(text: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    """A date (and time) as people type it, in the organisation's zone: (moment, precision).

    "2026-11-24 10:30", "11/24 10:30", "2026年11月24日 10:30", "10:30" (today), "11-24" (a
    day). A date that does not exist (2026-02-30) is unreadable.
    """
    raw = re.sub(r"\s+", " ", text.strip())
    local_now = now.astimezone(zone)
    for form in _FORMS:
        match = form.match(raw)
        if match is None:
            continue
        parts = match.groupdict()
        try:
            day = date(
                int(parts.get("y") or local_now.year),
                int(parts.get("m") or local_now.month),
                int(parts.get("d") or local_now.day),
            )
            clock = time(int(parts["H"]), int(parts["M"])) if parts.get("H") else time(0, 0)
        except ValueError:
            break
        return datetime.combine(day, clock, zone), "minute" if parts.get("H") else "day"
    raise InvalidInput(
        N_("I could not read that date. Please write it like {example}, or only {time} for today."),
        example=examples.moment(now, zone),
        time=examples.clock(now, zone),
    )


# How far back a discovery may lie: a report is of something found lately (L4: discover and
# report promptly); 1999-01-01 is a typing slip, not a discovery.
DISCOVERED_WITHIN = timedelta(days=365)


def check_discovered(moment: datetime, now: datetime, zone: ZoneInfo) -> None:
    """Within the last year (the first day named in the answer)."""
    first = (now.astimezone(zone) - DISCOVERED_WITHIN).date()
    if moment.astimezone(zone).date() < first:
        raise InvalidInput(
            N_("That is more than a year ago. A report is for what was discovered within the "
               "last year, from {first}. When was it discovered?"),
            first=first.isoformat(),
        )  # fmt: skip


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
