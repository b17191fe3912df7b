"""Dates as Chinese offices write them: one grammar for the ledger, /acting and every typed date."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import dates
from bot.errors import InvalidInput
from bot.incidents.rules import parse_moment
from bot.ledger.period import parse_dates

CN = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026年1月1日至3月31日", *Q1),  # the README's own example
        ("1月1日—3月31日", *Q1),
        ("1月1日至3月31日", *Q1),
        ("二〇二六年一月一日至三月三十一日", *Q1),
        ("二零二六年一月一日到二零二六年三月三十一日", *Q1),
        ("2026.1.1-2026.3.31", *Q1),
        ("2026.1.1-3.31", *Q1),
        ("1.1-3.31", *Q1),
        ("２０２６年１月１日至３月３１日", *Q1),
        ("２０２６／１／１－２０２６／３／３１", *Q1),
        ("2026/1/1 2026/3/31", *Q1),
        ("2026-01-01 2026-03-31", *Q1),
        ("2026-1-1~2026-3-31", *Q1),
        ("2026/01/01～2026/03/31", *Q1),
        ("2026.01.01—2026.03.31", *Q1),
        ("2026.01.01–2026.03.31", *Q1),
        ("20260101-20260331", *Q1),
        ("2026年1月1日-2026年3月31日", *Q1),
        ("2026 年 1 月 1 日 至 2026 年 3 月 31 日", *Q1),
        ("自2026年1月1日起至2026年3月31日止", *Q1),
        ("2026年1月1号到3月31号", *Q1),
        ("2026-01-01至2026-03-31", *Q1),
        ("from 2026-01-01 to 2026-03-31", *Q1),
        ("2026年3月31日至2026年1月1日", *Q1),  # either order
        ("2026年第一季度", *Q1),
        ("2026年一季度", *Q1),
        ("2026年1季度", *Q1),
        ("2026Q1", *Q1),
        ("2026年1—3月", *Q1),
        ("2026年1月至3月", *Q1),
        ("2026年上半年", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026年下半年", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026年度", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026年全年", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026年2月", date(2026, 2, 1), date(2026, 2, 28)),
        ("二〇二六年第四季度", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026年3月1日至31日", date(2026, 3, 1), date(2026, 3, 31)),
        ("2025年12月1日至1月31日", date(2025, 12, 1), date(2026, 1, 31)),
        ("12月1日至1月31日", date(2026, 12, 1), date(2027, 1, 31)),  # into next year
        ("二〇二五年十二月二十一日至二〇二六年一月十日", date(2025, 12, 21), date(2026, 1, 10)),
    ],
)
def test_ledger_periods_as_people_write_them(text: str, first: date, last: date) -> None:
    period = parse_dates(text, TODAY, CN)
    assert (period.first, period.last) == (first, last)


def test_a_year_less_range_not_yet_begun_is_last_years() -> None:
    period = parse_dates("12月1日至12月31日", date(2027, 2, 10), CN)
    assert (period.first, period.last) == (date(2026, 12, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("from April", "two dates"),
        ("2026年1月1日", "two dates"),
        ("1/1/2026 3/31/2026", "two dates"),  # day or month first is a guess: refused
        ("25/11/2026 31/12/2026", "two dates"),
        ("2026年2月30日至3月31日", "does not exist"),
        ("2026年13月", "does not exist"),
        ("2026年4月至2月", "does not exist"),
        ("2027年第一季度", "between 2000 and today"),
        ("2020-01-01 2026-01-01", "five years"),
    ],
)
def test_what_is_refused_says_why(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_dates(text, TODAY, CN)
    assert message in err.value.key


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2026年11月20日 14:30", datetime(2026, 11, 20, 14, 30, tzinfo=CN), "minute"),
        ("二〇二六年十一月二十日上午十点", datetime(2026, 11, 20, 10, 0, tzinfo=CN), "minute"),
        ("11月20日下午3点", datetime(2026, 11, 20, 15, 0, tzinfo=CN), "minute"),
        ("下午三点半", datetime(2026, 12, 7, 15, 30, tzinfo=CN), "minute"),
        ("晚上8点15分", datetime(2026, 12, 7, 20, 15, tzinfo=CN), "minute"),
        ("中午12点", datetime(2026, 12, 7, 12, 0, tzinfo=CN), "minute"),
        ("凌晨12点", datetime(2026, 12, 7, 0, 0, tzinfo=CN), "minute"),
        ("凌晨3点", datetime(2026, 12, 7, 3, 0, tzinfo=CN), "minute"),
        ("9点", datetime(2026, 12, 7, 9, 0, tzinfo=CN), "minute"),
        ("２０２６－１１－２０　１４：３０", datetime(2026, 11, 20, 14, 30, tzinfo=CN), "minute"),
        ("2026-11-20T10:30", datetime(2026, 11, 20, 10, 30, tzinfo=CN), "minute"),
        ("2026.11.20 9:05", datetime(2026, 11, 20, 9, 5, tzinfo=CN), "minute"),
        ("20261120", datetime(2026, 11, 20, tzinfo=CN), "day"),
        ("2026/11/20", datetime(2026, 11, 20, tzinfo=CN), "day"),
        ("１１月２０日", datetime(2026, 11, 20, tzinfo=CN), "day"),
        ("十一月二十日", datetime(2026, 11, 20, tzinfo=CN), "day"),
        ("2026年11月20号", datetime(2026, 11, 20, tzinfo=CN), "day"),
    ],
)
def test_single_moments_as_people_write_them(text: str, expected: datetime, precision: str) -> None:
    assert parse_moment(text, NOW, CN) == (expected, precision)


@pytest.mark.parametrize("text", ["20日", "25/11/2026", "2026-11-20 25:00", "下午", "十十月一日"])
def test_single_moments_that_cannot_be_read(text: str) -> None:
    with pytest.raises(InvalidInput, match="could not read"):
        parse_moment(text, NOW, CN)


def test_one_day_and_two_days() -> None:
    assert dates.parse_day("２０２６年１１月２５日。", TODAY) == date(2026, 11, 25)
    assert dates.two_days("12月1日至12月10日", TODAY) == (date(2026, 12, 1), date(2026, 12, 10))
    for bad in ("宣备〔2026〕12号", "2026-11-25 and 2026-11-26", "25/11"):
        with pytest.raises(dates.Unreadable):
            dates.parse_day(bad, TODAY)


ALPHABET = "0123456789０１２３４５６７８９〇零一二三十年月日号至到-—/.．~点时分上下午半季度第Q T:"


@given(st.one_of(st.text(), st.text(alphabet=ALPHABET, max_size=40)))
def test_nothing_typed_crashes_a_parser(text: str) -> None:
    """Whatever is typed, the answer is a date or an explanation, never an exception."""
    for parse in (lambda: parse_dates(text, TODAY, CN), lambda: parse_moment(text, NOW, CN)):
        with contextlib.suppress(InvalidInput):
            parse()
    for plain in (lambda: dates.parse_day(text, TODAY), lambda: dates.two_days(text, TODAY)):
        with contextlib.suppress(dates.Unreadable):
            plain()


FORMS = [
    "{y}-{m:02d}-{d:02d}",
    "{y}/{m}/{d}",
    "{y}.{m}.{d}",
    "{y}{m:02d}{d:02d}",
    "{y}年{m}月{d}日",
]


@given(st.dates(date(2000, 1, 1), date(2026, 12, 7)), st.sampled_from(FORMS), st.booleans())
def test_every_form_of_every_day_reads_back(day: date, form: str, wide: bool) -> None:
    text = form.format(y=day.year, m=day.month, d=day.day)
    if wide:  # the same typed with a Chinese input method's full-width digits
        text = text.translate(str.maketrans("0123456789/.-", "０１２３４５６７８９／．－"))
    assert dates.parse_day(text, TODAY) == day
    assert parse_dates(f"{text}至{text}", TODAY, CN).first == day
