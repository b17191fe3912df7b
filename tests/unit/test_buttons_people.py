"""The buttons of people (bot/buttons/people.py): the wire format of handlers/callback_data.py,
so a card sent before the change still works after it; one pattern per action, matching exactly
that action's buttons; forged and truncated data unpacks to None."""

from __future__ import annotations

import re

import pytest

from bot.buttons.codec import Family
from bot.buttons.people import (
    ActingAction,
    ActingButton,
    AdmissionAction,
    AdmissionButton,
    AdmitIntoAction,
    AdmitIntoButton,
    GrantAction,
    GrantButton,
    InvitationAction,
    InvitationButton,
    LeavingAction,
    LeavingButton,
    MembersAction,
    MembersButton,
    MembershipAction,
    MembershipButton,
    RoleCardAction,
    RoleCardButton,
)
from tests.support import callback_data as cd

# Each family's buttons, with the string the handlers and the domain built by hand before.
WIRE: list[tuple[Family, str]] = [
    (RoleCardButton(RoleCardAction.VIEW, 482), cd.encode("ro", "v", 482)),
    (RoleCardButton(RoleCardAction.CHOOSE_HEADED, 482), cd.encode("ro", "c", 482)),
    (RoleCardButton(RoleCardAction.CHOOSE_MEMBERSHIP, 482), cd.encode("ro", "m", 482)),
    (RoleCardButton(RoleCardAction.NEW_COMMITTEE, 482), cd.encode("ro", "n", 482)),
    (GrantButton(GrantAction.GRANT, 482, "sec"), cd.encode("ro", "g", 482, "sec")),
    (GrantButton(GrantAction.REVOKE, 482, "off"), cd.encode("ro", "r", 482, "off")),
    (GrantButton(GrantAction.GRANT, 482, "chd", 7), cd.encode("ro", "g", 482, "chd", 7)),
    (GrantButton(GrantAction.REVOKE, 482, "chd", 7), cd.encode("ro", "r", 482, "chd", 7)),
    (MembershipButton(MembershipAction.SET, 482, 7), cd.encode("ro", "mc", 482, 7)),
    (MembershipButton(MembershipAction.SET, 482, 0), cd.encode("ro", "mc", 482, 0)),
    (MembersButton(MembersAction.PAGE, 0), cd.encode("mb", "p", 0)),
    (MembersButton(MembersAction.PAGE, 3), cd.encode("mb", "p", 3)),
    (LeavingButton(LeavingAction.ASK, 482), cd.encode("lv", "d", 482)),
    (LeavingButton(LeavingAction.DEACTIVATE, 482), cd.encode("lv", "dd", 482)),
    (LeavingButton(LeavingAction.REACTIVATE, 482), cd.encode("lv", "a", 482)),
    (AdmissionButton(AdmissionAction.ADMIT, 482), "1pa:ok:482"),
    (AdmissionButton(AdmissionAction.CHOOSE_COMMITTEE, 482), "1pa:cm:482"),
    (AdmissionButton(AdmissionAction.REFUSE, 482), "1pa:no:482"),
    (AdmissionButton(AdmissionAction.REFUSE_WITHOUT_REASON, 482), cd.encode("pa", "nr", 482)),
    (AdmitIntoButton(AdmitIntoAction.ADMIT_INTO, 482, 7), cd.encode("pa", "ck", 482, 7)),
    (InvitationButton(InvitationAction.WITHDRAW, 9), cd.encode("iv", "rv", 9)),
    (ActingButton(ActingAction.REVOKE, 9), cd.encode("ac", "rv", 9)),
]


@pytest.mark.parametrize(("button", "wire"), WIRE, ids=[w for _, w in WIRE])
def test_the_wire_format_of_today_round_trips(button: Family, wire: str) -> None:
    """Each button packs to the string of today and unpacks to itself."""
    assert button.pack() == wire
    assert type(button).unpack(wire) == button


def test_every_action_has_a_pattern_matching_exactly_its_buttons() -> None:
    """Families that share a domain (ro, pa) never take each other's buttons."""
    for button, wire in WIRE:
        family = type(button)
        for action in family._actions():
            pattern = re.compile(family.pattern(action))
            matched = [other for other, raw in WIRE if pattern.match(raw)]
            assert all(type(m) is family and m.action is action for m in matched), pattern
        assert re.match(family.pattern(button.action), wire)
        assert not re.match(family.pattern(button.action), wire + ":1:2")


@pytest.mark.parametrize(
    ("family", "raw"),
    [
        (RoleCardButton, "1ro:v"),
        (RoleCardButton, "1ro:v:1:2"),
        (RoleCardButton, "1ro:g:1"),
        (GrantButton, "1ro:g:1"),
        (GrantButton, "1ro:g:1:off:x"),
        (GrantButton, "1ro:g:1:of;f"),
        (GrantButton, "1ro:v:1:off"),
        (MembershipButton, "1ro:mc:1"),
        (MembersButton, "1mb:p"),
        (MembersButton, "1mb:p:-1"),
        (LeavingButton, "1lv:x:1"),
        (LeavingButton, "1lv:dd"),
        (AdmissionButton, "1pa:ck:1:2"),
        (AdmissionButton, "1pa:ok:1:2"),
        (AdmitIntoButton, "1pa:ck:1"),
        (InvitationButton, "1iv:rv:a"),
        (ActingButton, "1ac:rv"),
        (ActingButton, "2ac:rv:1"),
    ],
)
def test_forged_or_truncated_unpacks_to_none(family: type[Family], raw: str) -> None:
    """Data of another action, shape or version is no button of the family: stale."""
    assert family.unpack(raw) is None
