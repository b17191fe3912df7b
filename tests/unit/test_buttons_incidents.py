"""The typed buttons of incidents, the calendar, records and /find (bot/buttons/): the wire
format of today (handlers/callback_data.py), what each action's pattern takes, and what is
stale."""

from __future__ import annotations

import re

import pytest

from bot.buttons.calendar import CalendarAction, CalendarButton
from bot.buttons.codec import Family
from bot.buttons.incidents import (
    IncidentAction,
    IncidentButton,
    PullInAction,
    PullInButton,
    SeverityAction,
    SeverityButton,
)
from bot.buttons.records import FindAction, FindButton, RecordAction, RecordButton
from bot.incidents.cards import card_buttons
from tests.support import callback_data as cd


def test_incident_buttons_in_the_wire_format_of_today() -> None:
    ack = IncidentButton(IncidentAction.ACKNOWLEDGE, 12)
    on_card = IncidentButton(IncidentAction.ACKNOWLEDGE, 12, "c")
    assert ack.pack() == "1in:ak:12" == cd.encode("in", "ak", 12)
    assert on_card.pack() == "1in:ak:12:c" == cd.encode("in", "ak", 12, "c")
    assert IncidentButton.unpack("1in:ak:12:c") == on_card and on_card.on_card
    assert IncidentButton.unpack("1in:ak:12") == ack and not ack.on_card
    assert PullInButton(PullInAction.PERSON, 12, 40).pack() == "1in:pp:12:40"
    assert PullInButton(PullInAction.PAGE, 12, 2).pack() == "1in:pl:12:2"
    assert SeverityButton(SeverityAction.CHOOSE, 12, "m").pack() == "1in:sc:12:m"
    for action in IncidentAction:
        button = IncidentButton(action, 999_999_999_999, "c")
        assert IncidentButton.unpack(button.pack()) == button


def test_the_card_carries_the_same_data_as_before() -> None:
    rows = card_buttons(7, files=2, card=True, rated=True)
    assert [[b.data for b in row] for row in rows] == [
        ["1in:ak:7:c", "1in:up:7:c"],
        ["1in:hi:7:c", "1in:pl:7:c"],
        ["1in:ct:7:c", "1in:cl:7:c"],
        ["1in:sv:7:c"],
        ["1in:tl:7:c", "1in:at:7:c"],
    ]
    closed = card_buttons(7, closed=True)
    assert [[b.data for b in row] for row in closed] == [["1in:tl:7"], ["1in:ro:7"]]


def test_calendar_records_and_find_in_the_wire_format_of_today() -> None:
    assert CalendarButton(CalendarAction.SNOOZE, 5).pack() == "1cl:sz:5"
    assert CalendarButton(CalendarAction.DOCUMENT, 5).pack() == "1cl:bd:5"
    assert RecordButton(RecordAction.INCIDENT, 3).pack() == "1rc:inc:3" == cd.encode("rc", "inc", 3)
    assert RecordButton(RecordAction.MEETING_FILES, 3).pack() == "1rc:am:3"
    assert FindButton(FindAction.PAGE, 9, 0).pack() == "1fd:p:9:0" == cd.encode("fd", "p", 9, 0)


@pytest.mark.parametrize(
    ("family", "raw"),
    [
        (IncidentButton, "1in:ak"),
        (IncidentButton, "1in:ak:-1"),
        (IncidentButton, "1in:zz:1"),
        (IncidentButton, "1in:pp:1:2"),  # another family's action
        (IncidentButton, "1in:ak:1:c:1"),
        (PullInButton, "1in:pp:1"),
        (PullInButton, "1in:pp:1:x"),
        (PullInButton, "1in:ak:1:2"),
        (SeverityButton, "1in:sc:1"),
        (CalendarButton, "1cl:sz:-1"),
        (CalendarButton, "1cl:zz:1"),
        (RecordButton, "1rc:inc"),
        (RecordButton, "1rc:INC:1"),
        (FindButton, "1fd:p:1"),
        (FindButton, "1fd:p:1:x"),
    ],
)
def test_forged_or_truncated_is_stale(family: type[Family], raw: str) -> None:
    assert family.unpack(raw) is None


def test_a_page_of_pull_in_is_not_the_cards_pull_in() -> None:
    """handlers/__init__.register puts the page's pattern first: the card's Pull in takes a
    mark after the id, which a page number would otherwise pass for."""
    page = re.compile(PullInButton.pattern(PullInAction.PAGE))
    assert page.match("1in:pl:7:2")
    assert not page.match("1in:pl:7:c")
    assert not page.match("1in:pl:7")


def test_every_action_has_a_pattern_matching_exactly_its_buttons() -> None:
    families: list[tuple[type[Family], list[Family]]] = [
        (IncidentButton, [IncidentButton(a, 7) for a in IncidentAction]),
        (CalendarButton, [CalendarButton(a, 7) for a in CalendarAction]),
        (RecordButton, [RecordButton(a, 7) for a in RecordAction]),
    ]
    for family, buttons in families:
        packs = {b.action: b.pack() for b in buttons}
        for action in packs:
            pattern = re.compile(family.pattern(action))
            assert {a for a, other in packs.items() if pattern.match(other)} == {action}
