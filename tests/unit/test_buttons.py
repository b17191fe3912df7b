"""Typed buttons (bot/buttons/): the wire format of handlers/callback_data.py, within 64
bytes; anything forged, truncated or old unpacks to None; one pattern per action, matching
exactly that action's buttons."""

from __future__ import annotations

import re
from dataclasses import dataclass, make_dataclass
from enum import StrEnum
from typing import ClassVar

import pytest

from bot.buttons import EventAction, EventButton, Family
from tests.support import callback_data as cd


def test_round_trip_in_the_wire_format_of_today() -> None:
    approve = EventButton(EventAction.APPROVE, event_id=12, version=1)
    assert approve.pack() == "1ev:ap:12:1" == cd.encode("ev", "ap", 12, 1)
    assert EventButton.unpack("1ev:ap:12:1") == approve
    assert EventButton.unpack("1ev:ap:12:1").action is EventAction.APPROVE  # type: ignore[union-attr]
    for action in EventAction:
        button = EventButton(action, event_id=999_999_999_999, version=0)
        assert EventButton.unpack(button.pack()) == button
        assert cd.decode(button.pack()) == cd.Data("ev", action.value, ("999999999999", "0"))


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "1ev",
        "1ev:ap",
        "1ev:ap:12",
        "1ev:ap:12:",
        "1ev:ap:12:1:",
        "1ev:ap:12:1:9",
        "0ev:ap:12:1",
        "2ev:ap:12:1",
        "ev:ap:12:1",
        "1ev:xx:12:1",
        "1ev:AP:12:1",
        "1ee:ap:12:1",
        "1ev:ap:-1:1",
        "1ev:ap:1a:1",
        "1ev:ap:12:1\n",
        "1ev:ap:١٢:1",
        "1ev:ap:1234567890123:1",
        "1ev:ap:12:1;drop",
        "1ev:" + "a" * 70,
    ],
)
def test_forged_old_or_truncated_unpacks_to_none(raw: str | None) -> None:
    assert EventButton.unpack(raw) is None


def test_what_cannot_travel_is_refused_when_packed() -> None:
    with pytest.raises(ValueError, match="cannot travel"):
        EventButton(EventAction.APPROVE, event_id=-1, version=1).pack()
    with pytest.raises(ValueError, match="cannot travel"):
        EventButton(EventAction.APPROVE, event_id=10**12, version=1).pack()


# A family whose buttons can outgrow Telegram's 64 bytes: three texts of up to 24 characters.
Wide = make_dataclass(
    "Wide",
    [("action", EventAction), ("first", str), ("second", str), ("third", str)],
    bases=(Family,),
    frozen=True,
    namespace={"DOMAIN": "zz"},
)


def test_sixty_four_bytes_at_most() -> None:
    fits = Wide(EventAction.APPROVE, "a" * 24, "b" * 24, "c" * 7)
    assert len(fits.pack().encode()) == 64
    assert Wide.unpack(fits.pack()) == fits
    with pytest.raises(ValueError, match="over 64 bytes"):
        Wide(EventAction.APPROVE, "a" * 24, "b" * 24, "c" * 8).pack()
    assert Wide.unpack(fits.pack() + "c") is None


def test_every_action_has_a_pattern_matching_exactly_its_buttons() -> None:
    packs = {a: EventButton(a, event_id=7, version=3).pack() for a in EventAction}
    assert len(set(packs.values())) == len(EventAction)
    for action in EventAction:
        pattern = re.compile(EventButton.pattern(action))
        assert {a for a, raw in packs.items() if pattern.match(raw)} == {action}
        assert not pattern.match(packs[action] + ":1")
        assert not pattern.match(packs[action] + "\n")
        assert not pattern.match(packs[action].rsplit(":", 1)[0])


def test_a_pattern_is_for_the_familys_own_actions() -> None:
    class Other(StrEnum):
        APPROVE = "ap"

    with pytest.raises(TypeError):
        EventButton.pattern(Other.APPROVE)


class _Pick(StrEnum):
    GRANT = "g"
    REVOKE = "r"


def test_optional_trailing_fields_are_left_off_at_their_default() -> None:
    @dataclass(frozen=True)
    class Pick(Family):
        DOMAIN: ClassVar[str] = "zq"
        action: _Pick
        person_id: int
        role: str = ""
        committee_id: int = 0

    bare, with_role, full = (
        Pick(_Pick.GRANT, 12),
        Pick(_Pick.GRANT, 12, "chd"),
        Pick(_Pick.REVOKE, 12, "chd", 3),
    )
    assert [bare.pack(), with_role.pack(), full.pack()] == [
        "1zq:g:12",
        "1zq:g:12:chd",
        "1zq:r:12:chd:3",
    ]
    for button in (bare, with_role, full):
        assert Pick.unpack(button.pack()) == button
    assert re.match(Pick.pattern(_Pick.REVOKE), "1zq:r:12:chd:3")
    assert not re.match(Pick.pattern(_Pick.REVOKE), "1zq:g:12:chd:3")
    for raw in ("1zq:g", "1zq:g:12:", "1zq:g:12::3", "1zq:g:12:chd:3:4", "1zq:g:12:chd:x"):
        assert Pick.unpack(raw) is None, raw
