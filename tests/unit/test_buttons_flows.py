"""The buttons of a guided conversation (bot/buttons/flows.py): `1rp:k:ns`, within 64 bytes;
only the flow's own codes unpack, and anything forged or truncated is None."""

from __future__ import annotations

import re

import pytest

from bot.buttons.flows import FlowButton, Nav

CODES = frozenset({n.value for n in Nav} | {"k", "s", "w", "a"})


def test_round_trip_in_the_wire_format_of_today() -> None:
    for button, wire in (
        (FlowButton("rp", "k", "ns"), "1rp:k:ns"),
        (FlowButton("rp", Nav.BACK), "1rp:b"),
        (FlowButton("rp", Nav.FIELD, "what"), "1rp:f:what"),
        (FlowButton("rp", "s", "key_1", "2026-10-01"), "1rp:s:key_1:2026-10-01"),
    ):
        assert button.pack() == wire
        assert FlowButton.unpack(wire, "rp", CODES) == button


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "1rp",
        "1rp:",
        "1rp:zz",
        "1ee:k:ns",
        "2rp:k:ns",
        "1rp:k:",
        "1rp:k:ns:",
        "1rp:k:a:b:c",
        "1rp:k:n s",
        "1rp:k:" + "n" * 25,
        "1rp:k:ns\n",
    ],
)
def test_only_the_flows_own_buttons_unpack(raw: str | None) -> None:
    assert FlowButton.unpack(raw, "rp", CODES) is None


def test_the_pattern_matches_exactly_the_flows_buttons() -> None:
    pattern = re.compile(FlowButton.pattern("rp", CODES))
    assert pattern.match("1rp:ok") and pattern.match("1rp:a") and pattern.match("1rp:w:yday")
    assert not pattern.match("1rp:okk") and not pattern.match("1rpx:ok")


def test_what_cannot_travel_is_refused() -> None:
    for button in (FlowButton("rp", "k", "n s"), FlowButton("rp", "k", "", "x")):
        with pytest.raises(ValueError):
            button.pack()
    assert len(FlowButton("rp", "k", "a" * 24, "b" * 24).pack()) == 55
    with pytest.raises(ValueError, match="64 bytes"):
        FlowButton("registerflow", "k", "a" * 24, "b" * 24).pack()  # 65 bytes
