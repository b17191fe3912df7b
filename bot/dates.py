"""Dates as people type them, in the forms Chinese offices write. Pure: no database, no Telegram.

One grammar for every place a person types a date: the ledger's period, /acting, the moment an
incident was discovered, an event's date, a meeting's, a decision's, a filing's. Accepted:

- 2026-01-01, 2026/1/1, 2026.1.1, 20260101, 2026年1月1日 (or 1号), with or without spaces;
- the same without the year (1-1, 1/1, 1.1, 1月1日): the year of the date before it, else this
  year;
- full-width digits and punctuation (２０２６年１月１日, ２０２６／１／１), Chinese numerals
  (二〇二六年一月一日, 二零二六年十二月三十一日, 下午三点半);
- a day alone after a date ("2026年3月1日至31日"): that date's month;
- ranges joined by anything (至, 到, —, –, ~, -, "to", a space); a year-less second date earlier
  than the first is in the next year (2025年12月1日至1月31日);
- whole periods: 2026年第一季度 (一季度, Q1), 2026年上半年 / 下半年, 2026年全年 (2026年度),
  2026年3月, 2026年1—3月 (2026年1月至3月).

Day first ("25/11", "1/1/2026") is ambiguous between customs and is refused rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_CN_DIGIT = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# Chinese numerals only where they count something a date is made of, so 一 in a sentence stays.
_CN_NUMBER = re.compile(r"[〇零○一二两三四五六七八九十]+(?=\s*(?:[年月日号点时分]|季度))")
# Dashes NFKC leaves alone: they join a range like any other separator.
_DASHES = str.maketrans({"—": "-", "–": "-", "‐": "-", "‒": "-", "―": "-", "〜": "~"})

_DAY = (
    r"(?<![0-9])(?:"
    r"(?P<ay>[0-9]{4})\s*年\s*(?P<am>[0-9]{1,2})\s*月\s*(?P<ad>[0-9]{1,2})\s*[日号]?"
    r"|(?P<by>[0-9]{4})\s*(?P<bs>[-/.])\s*(?P<bm>[0-9]{1,2})\s*(?P=bs)\s*(?P<bd>[0-9]{1,2})"
    r"(?![0-9])"
    r"|(?P<cy>[0-9]{4})(?P<cm>[0-9]{2})(?P<cd>[0-9]{2})(?![0-9])"
    r"|(?P<dm>[0-9]{1,2})\s*月\s*(?P<dd>[0-9]{1,2})\s*[日号]?"
    # A year-less 1/1 must not be the start of a day-first 1/1/2026.
    r"|(?P<em>[0-9]{1,2})(?P<es>[-/.])(?P<ed>[0-9]{1,2})(?![0-9])(?!(?P=es)[0-9])"
    r"|(?P<fd>[0-9]{1,2})\s*[日号]"
    r")"
)
_TIME = (
    r"(?:(?P<ap>上午|早上|早晨|中午|下午|傍晚|晚上|凌晨)\s*)?(?P<H>[0-9]{1,2})\s*"
    r"(?:[:]\s*(?P<M>[0-9]{1,2})|[时点]\s*(?:(?P<half>半)|(?:(?P<M2>[0-9]{1,2})\s*分?))?)"
)
_DAYS = re.compile(_DAY)
_MOMENT = re.compile(rf"(?:{_DAY})?[\sT]*(?:{_TIME})?")
_AFTERNOON = ("下午", "傍晚", "晚上")

_Q = r"(?:第\s*)?(?P<q>[1-4])\s*季度|Q(?P<q2>[1-4])"
_WHOLE = re.compile(
    rf"(?P<y>[0-9]{{4}})\s*(?:年\s*(?:度|全年)?)?\s*(?:"
    rf"(?P<half>[上下])半年|{_Q}|(?P<m1>[0-9]{{1,2}})\s*(?:月\s*)?(?:[-~至到]\s*(?P<m2>[0-9]{{1,2}})\s*)?月"
    r")?",
    re.IGNORECASE,
)


class Unreadable(ValueError):
    """No date in the forms above, or a date that does not exist (2026-02-30)."""


@dataclass(frozen=True)
class Typed:
    """A date as found in the text; `year_given` tells "1月1日" from "2026年1月1日"."""

    day: date
    year_given: bool


def normalize(text: str) -> str:
    """Half-width digits and punctuation, Arabic numerals for Chinese ones, one kind of dash."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return _CN_NUMBER.sub(lambda m: _cn_number(m[0]), text)


def _cn_number(word: str) -> str:
    """二〇二六 → 2026 (digit by digit), 十二 → 12, 三十一 → 31; anything else as it was."""
    if "十" not in word:
        return "".join(str(_CN_DIGIT[c]) for c in word)
    tens, _, ones = word.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return word
    return str(_CN_DIGIT.get(tens, 1) * 10 + _CN_DIGIT.get(ones, 0))


def _parts(m: re.Match[str]) -> tuple[str | None, str | None, str]:
    """(year, month, day) of a _DAY match, as written; None where it was left out."""
    for p in "abcdef":
        if m[f"{p}d"] is not None:
            year = m.groupdict().get(f"{p}y")
            month = m.groupdict().get(f"{p}m")
            return year, month, m[f"{p}d"]
    raise AssertionError("a _DAY match names a day")  # pragma: no cover


def _resolve(
    parts: tuple[str | None, str | None, str], before: date | None, this_year: int
) -> Typed:
    """The date a match means: missing parts come from the date before it, else this year."""
    y, m, d = parts
    if m is None and before is None:
        raise Unreadable(f"a day without its month: {d}")
    year = int(y) if y else before.year if before else this_year
    month = int(m) if m else before.month if before else 1
    try:
        day = date(year, month, int(d))
        if y is None and before is not None and day < before:
            day = day.replace(year=day.year + 1) if m else date(year, month + 1, int(d))
    except ValueError:
        raise Unreadable(f"no such day: {y}-{m}-{d}") from None
    return Typed(day, y is not None)


def find_days(text: str, this_year: int) -> list[Typed]:
    """Every date in the text, in order; a year-less one takes the year of the one before."""
    found: list[Typed] = []
    for m in _DAYS.finditer(normalize(text)):
        found.append(_resolve(_parts(m), found[-1].day if found else None, this_year))
    return found


def whole_period(text: str) -> tuple[date, date] | None:
    """A quarter, half-year, year or months named as such (2026年第一季度, 2026年1—3月)."""
    m = _WHOLE.fullmatch(normalize(text).strip())
    if m is None:
        return None
    try:
        return _whole(m)
    except ValueError:
        raise Unreadable(f"no such period: {text!r}") from None


def _whole(m: re.Match[str]) -> tuple[date, date] | None:
    year = int(m["y"])
    if m["q"] or m["q2"]:
        q = int(m["q"] or m["q2"])
        first, last_month = date(year, 3 * q - 2, 1), 3 * q
    elif m["half"]:
        first = date(year, 1 if m["half"] == "上" else 7, 1)
        last_month = 6 if m["half"] == "上" else 12
    elif m["m1"]:
        first_month, last_month = int(m["m1"]), int(m["m2"] or m["m1"])
        if not 1 <= first_month <= last_month <= 12:
            raise ValueError(f"no such months: {first_month}-{last_month}")
        first = date(year, first_month, 1)
    elif "年" in m[0]:
        first, last_month = date(year, 1, 1), 12
    else:
        return None  # "2026" alone is a number, not a year
    return first, _month_end(year, last_month)


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def parse_moment(text: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    """A date and/or a time in the organisation's zone: (moment, "minute" or "day").

    A time alone is today; a date alone is that day ("day" precision); a year-less date is this
    year.
    """
    m = _MOMENT.fullmatch(normalize(text).strip())
    has_day = m is not None and any(m[f"{p}d"] is not None for p in "abcdef")
    if m is None or (not has_day and m["H"] is None):
        raise Unreadable(f"not a moment: {text!r}")
    local_now = now.astimezone(zone)
    day = _resolve(_parts(m), None, local_now.year).day if has_day else local_now.date()
    if m["H"] is None:
        return datetime.combine(day, time(0, 0), zone), "day"
    hour, minute = int(m["H"]), 30 if m["half"] else int(m["M"] or m["M2"] or 0)
    if (m["ap"] in _AFTERNOON and hour < 12) or (m["ap"] == "中午" and hour < 11):
        hour += 12
    elif m["ap"] == "凌晨" and hour == 12:  # 凌晨12点 is midnight; 上午12点 is noon
        hour = 0
    try:
        return datetime.combine(day, time(hour, minute), zone), "minute"
    except ValueError:
        raise Unreadable(f"no such time: {hour}:{minute}") from None


def parse_day(text: str, today: date) -> date:
    """One date, without a time (a meeting's, a decision's, a filing's)."""
    found = find_days(text, today.year)
    if len(found) != 1 or _DAYS.sub("", normalize(text)).strip(" .,。，、"):
        raise Unreadable(f"not one date: {text!r}")
    return found[0].day


def two_days(text: str, today: date) -> tuple[date, date]:
    """A first and a last day (/acting): exactly two dates, a year-less one this year."""
    found = find_days(text, today.year)
    if len(found) != 2:
        raise Unreadable(f"not two dates: {text!r}")
    return found[0].day, found[1].day
