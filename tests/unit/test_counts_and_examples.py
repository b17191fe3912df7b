"""English counts agree with their number (ngettext), and example dates in prompts follow the
clock instead of a day that has long passed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot import examples
from bot.calendar.models import MeetingKind
from bot.errors import InvalidInput
from bot.incidents.rules import parse_moment
from bot.ledger.lapses import Lapse
from bot.ledger.period import between, parse_dates
from bot.people.roles import Role
from handlers import ledger_render, policy
from handlers.ledger_send import caption as _caption
from render import ledger_words
from render.renderer import Renderer

ROOT = Path(__file__).resolve().parents[2]
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 3, 15, 1, 47, tzinfo=UTC)  # 09:47 in Shanghai
COUNTED = re.compile(
    r"\{\w+\} (?:\w+ )?(incidents|events|lapses|entries|days|quarters|periods|files|people|"
    r"speakers|attendees|changes|meetings|reports|dates|hours|minutes|characters)\b"
)
# A count in a msgid without a plural form is wrong unless the number can never be 1.
NEVER_ONE = {
    "A committee name can have at most {max} characters.",  # a fixed maximum of 60
    "Send the name of the new committee (at most {max} characters), or /cancel.",
    "“{field}” is too long: {length} characters, at most {limit} fit. Please shorten it.",
    "An event needs between 1 and {max} speakers.",  # a fixed maximum of 10
    "At most {n} files can be attached.",  # a fixed maximum of 10
    # MAX_AGE in bot/calendar/meetings.py: a fixed 400 days.
    "That date is too long ago: a meeting can be recorded up to {days} days after it was held, "
    "so from {first}. Please check the date.",
    "Notice: median {median} days, shortest {shortest}; {short} at short notice.",  # 18.5 days
    # {days} is a list of days ("15, 5"), not a count.
    "Quarterly review (A2): reminders {days} days before the quarter ends; areas: {areas}.",
}


@pytest.fixture
def en() -> Renderer:
    return Renderer("en", SH)


def test_every_counted_noun_has_a_plural_form() -> None:
    with (ROOT / "locales" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="en")
    singular_only = {
        m.id for m in catalog if isinstance(m.id, str) and m.id and COUNTED.search(m.id)
    }
    assert singular_only - NEVER_ONE == set()


def test_the_ledger_caption_counts_in_words(en: Renderer) -> None:
    book = SimpleNamespace(
        period=between(date(2026, 1, 1), date(2026, 12, 31), SH),
        incidents=[1],
        events=[1],
        lapses=[1, 2],
    )
    assert _caption(en, book) == "Ledger: 2026. 1 incident, 1 event, 2 lapses."  # type: ignore[arg-type]
    zh = _caption(Renderer("zh_CN", SH), book)  # type: ignore[arg-type]
    assert zh == "工作台账：2026年。突发事件1起、活动申请1项、未落实事项2项。"


def test_obligations_due_once(en: Renderer) -> None:
    assert ledger_render._met(en, MeetingKind.QUARTERLY_REVIEW, 0, 1) == (
        "Quarterly reviews (A2): 0 of 1 quarter"
    )
    assert ledger_render._met(en, MeetingKind.STUDY, 3, 4) == "Study sessions (R3): 3 of 4 periods"
    lapse = Lapse("dedicated_short", NOW, "2026", None, {"held": "0", "required": "1"})
    assert ledger_words.lapse_text(en, lapse) == "2026: 0 of at least 1 dedicated meeting (R2)"


def test_policy_days_agree_with_their_number(en: Renderer) -> None:
    from bot.policy.load import load

    lines = policy.summary(en, load(None), NOW.date())
    assert "Events (R6): requested 7 days ahead; filed 3 days before the event." in lines
    assert policy._days(en, 1) == "1 day"


def test_help_lists_every_standing() -> None:
    en, zh = Renderer("en", SH), Renderer("zh_CN", SH)
    assert en.standings(frozenset({Role.ADMIN})) == ["member", "Administrator"]
    assert en.standings(frozenset({Role.SECRETARY, Role.ADMIN})) == ["Secretary", "Administrator"]
    assert zh.roles(frozenset({Role.ADMIN})) == "干部职工、管理员"
    assert en.roles(frozenset()) == "member"


def test_examples_follow_the_clock() -> None:
    assert examples.moment(NOW, SH) == "2027-03-15 09:30"
    assert examples.clock(NOW, SH) == "09:30"
    assert examples.upcoming(NOW, SH) == "2027-03-29 14:30"
    assert examples.absence(NOW, SH) == ("2027-03-22", "2027-03-31")
    assert examples.year_so_far(NOW, SH) == ("2027-01-01", "2027-03-15")


def test_errors_give_examples_from_the_clock() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_moment("someday", NOW, SH)
    assert err.value.params == {"example": "2027-03-15 09:30", "time": "09:30"}
    with pytest.raises(InvalidInput) as err:
        parse_dates("from March", NOW.date(), SH)
    assert err.value.params == {"first": "2027-01-01", "last": "2027-03-15"}
