"""The compliance calendar's part of the policy schema (R2, R3, A1, A2, A3, P4).

The values live in default.toml only (one source); this module says what shape they must have.
Names shown to people (topic areas, sensitive dates) are data in both languages.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Literal

from pydantic import Field, field_validator, model_validator

from bot.policy.base import Strict

# Where a reminder goes: a bound group, or everyone holding a role (privately). A group that
# is not set up falls back to people: the organisation group to the office, the leadership
# group to the secretary and the deputy.
Target = Literal[
    "org_group", "leadership_group", "secretary", "deputy", "office", "emergency_office"
]
_MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def month_day(value: str, year: int = 2025) -> date:
    """ "MM-DD" as a date of `year` (ValueError when it is not a date of that year)."""
    match = _MONTH_DAY.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a month and day like 10-01")
    try:
        return date(year, int(match[1]), int(match[2]))
    except ValueError:
        raise ValueError(f"{value!r} is not a day of the year") from None


class Named(Strict):
    key: str
    name: str = Field(min_length=1, max_length=60)  # Chinese
    name_en: str = Field(min_length=1, max_length=80)

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError(f"{value!r}: use lower-case letters, digits, - and _ (up to 32)")
        return value

    def name_in(self, locale: str) -> str:
        return self.name if locale.startswith("zh") else self.name_en


def _unique(items: list[Named], what: str) -> None:
    keys = [i.key for i in items]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"{what} {key!r} is listed twice")


class QuarterlyReview(Strict):
    """A2: every quarter, an analysis of the five topic areas; A1: members send input first."""

    clause: str = "A2"
    topics: list[Named] = Field(min_length=1, max_length=10)
    remind_days_before_end: list[int]
    invite_input: bool
    notify: list[Target] = Field(min_length=1)
    # A1: the briefing (会前材料) goes out this many days before the quarter's last reminder
    # (0: no briefing), to these targets; incidents are grouped under the area of their kind.
    briefing_days_ahead: int = Field(default=7, ge=0, le=60)
    briefing_notify: list[Target] = Field(default=["office", "leadership_group"], min_length=1)
    kind_areas: dict[str, str] = {}

    @field_validator("remind_days_before_end")
    @classmethod
    def _days(cls, days: list[int]) -> list[int]:
        for day in days:
            if not 1 <= day <= 80:
                raise ValueError(f"{day} is not between 1 and 80 days")
        return sorted(set(days), reverse=True)

    @model_validator(mode="after")
    def _keys(self) -> QuarterlyReview:
        _unique(list(self.topics), "topic")
        areas = {t.key for t in self.topics}
        kinds = {"network_security", "public_opinion", "event_incident"}
        for kind, area in self.kind_areas.items():
            if kind not in kinds:
                raise ValueError(f"kind_areas: {kind!r} is not one of {sorted(kinds)}")
            if area not in areas:
                raise ValueError(f"kind_areas: {area!r} is not a topic key")
        return self


class CountReminder(Strict):
    on: str  # "MM-DD"
    while_fewer_than: int = Field(ge=1, le=12)

    @field_validator("on")
    @classmethod
    def _on(cls, value: str) -> str:
        month_day(value)
        return value


class DedicatedMeetings(Strict):
    """R2: the secretary convenes at least two dedicated meetings a year."""

    clause: str = "R2"
    minimum_per_year: int = Field(ge=1, le=12)
    reminders: list[CountReminder]
    notify: list[Target] = Field(min_length=1)


class StudySessions(Strict):
    """R3, P4: study on a rhythm; told at the start of each period, reminded at its end."""

    clause: str = "R3"
    every: Literal["week", "month", "quarter"]
    remind_on_last_working_day: bool
    notify: list[Target] = Field(min_length=1)


class SensitiveDate(Named):
    # A fixed day each year ("10-01"), or the day per year for dates that move ({2026 = "02-17"}).
    on: str | dict[str, str]
    days_ahead: int | None = Field(default=None, ge=1, le=60)

    @field_validator("on")
    @classmethod
    def _on(cls, value: str | dict[str, str]) -> str | dict[str, str]:
        if isinstance(value, str):
            if value == "02-29":
                raise ValueError("02-29 is not a day of every year; list it per year")
            month_day(value)
            return value
        if not value:
            raise ValueError("list at least one year")
        for year, day in value.items():
            if not (year.isdigit() and len(year) == 4):
                raise ValueError(f"{year!r} is not a year like 2027")
            month_day(day, int(year))
        return value

    def day_in(self, year: int) -> date | None:
        """This date in `year`; None for a moving date not listed for that year."""
        if isinstance(self.on, str):
            return month_day(self.on, year)
        day = self.on.get(str(year))
        return month_day(day, year) if day else None


class SensitiveDates(Strict):
    """A3: a forward-looking analysis before major sensitive dates."""

    clause: str = "A3"
    days_ahead: int = Field(ge=1, le=60)
    notify: list[Target] = Field(min_length=1)
    dates: list[SensitiveDate]

    @model_validator(mode="after")
    def _keys(self) -> SensitiveDates:
        _unique(list(self.dates), "date")
        return self


class Digest(Strict):
    """A weekly summary for the leadership: open incidents, pending approvals, what is due."""

    enabled: bool
    notify: list[Target] = Field(min_length=1)
    look_ahead_days: int = Field(ge=1, le=60)


class Calendar(Strict):
    send_at: time  # reminders go out at this local time on a working day
    late_after_minutes: int = Field(ge=1, le=24 * 60)
    # The State Council's notice for a year the installed holiday calendar does not know yet:
    # make-up working days (weekends worked) and extra days off. They override the calendar.
    extra_working_days: list[date] = []
    extra_days_off: list[date] = []
    quarterly_review: QuarterlyReview
    dedicated_meetings: DedicatedMeetings
    study_sessions: StudySessions
    sensitive_dates: SensitiveDates
    digest: Digest

    @model_validator(mode="after")
    def _extra_days(self) -> Calendar:
        both = sorted(set(self.extra_working_days) & set(self.extra_days_off))
        if both:
            raise ValueError(f"{both[0]} is both an extra working day and an extra day off")
        return self
