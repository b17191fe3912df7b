"""The buttons of people: roles and committees (R4, R5), the member list, deactivation,
admission and invitations (R4), and the acting approvers (R6).

One family per shape of data, so a pattern accepts exactly the buttons its action sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.buttons.codec import Family


class RoleCardAction(StrEnum):
    """The buttons of a person's role card that carry only the person (R4, R5)."""

    VIEW = "v"  # the card itself (from /members, or Back)
    CHOOSE_HEADED = "c"  # Make head of a committee…: which one
    CHOOSE_MEMBERSHIP = "m"  # Member of a committee…: which one
    NEW_COMMITTEE = "n"  # ask for the name of a new committee to head


@dataclass(frozen=True)
class RoleCardButton(Family):
    """`1ro:<action>:<person id>`."""

    DOMAIN: ClassVar[str] = "ro"
    action: RoleCardAction
    person_id: int


class GrantAction(StrEnum):
    """Grant or revoke one role (R4)."""

    GRANT = "g"
    REVOKE = "r"


@dataclass(frozen=True)
class GrantButton(Family):
    """`1ro:g|r:<person id>:<role code>[:<committee id>]`: the role by its short code
    (bot/people/roles.ROLE_CODES); the committee only for a committee head's role."""

    DOMAIN: ClassVar[str] = "ro"
    action: GrantAction
    person_id: int
    role_code: str
    committee_id: int = 0  # none: left off the wire


class MembershipAction(StrEnum):
    """The committee a person is a member of (R5)."""

    SET = "mc"


@dataclass(frozen=True)
class MembershipButton(Family):
    """`1ro:mc:<person id>:<committee id>`; committee 0: no committee."""

    DOMAIN: ClassVar[str] = "ro"
    action: MembershipAction
    person_id: int
    committee_id: int


class MembersAction(StrEnum):
    """‹ and › on /members."""

    PAGE = "p"


@dataclass(frozen=True)
class MembersButton(Family):
    """`1mb:p:<page>`, counted from 0."""

    DOMAIN: ClassVar[str] = "mb"
    action: MembersAction
    page: int


class LeavingAction(StrEnum):
    """Deactivate and Reactivate on a person's card (R4)."""

    ASK = "d"  # Deactivate…: confirm first
    DEACTIVATE = "dd"
    REACTIVATE = "a"


@dataclass(frozen=True)
class LeavingButton(Family):
    """`1lv:<action>:<person id>`."""

    DOMAIN: ClassVar[str] = "lv"
    action: LeavingAction
    person_id: int


class AdmissionAction(StrEnum):
    """The office's card for a person who pressed Start (R4)."""

    ADMIT = "ok"
    CHOOSE_COMMITTEE = "cm"  # Admit into a committee…: which one
    REFUSE = "no"  # ask for the reason
    REFUSE_WITHOUT_REASON = "nr"


@dataclass(frozen=True)
class AdmissionButton(Family):
    """`1pa:<action>:<person id>`."""

    DOMAIN: ClassVar[str] = "pa"
    action: AdmissionAction
    person_id: int


class AdmitIntoAction(StrEnum):
    """Admit into the committee chosen (R4, R5)."""

    ADMIT_INTO = "ck"


@dataclass(frozen=True)
class AdmitIntoButton(Family):
    """`1pa:ck:<person id>:<committee id>`."""

    DOMAIN: ClassVar[str] = "pa"
    action: AdmitIntoAction
    person_id: int
    committee_id: int


class InvitationAction(StrEnum):
    """/invitations: each valid link with Withdraw (R4)."""

    WITHDRAW = "rv"


@dataclass(frozen=True)
class InvitationButton(Family):
    """`1iv:rv:<invitation id>`."""

    DOMAIN: ClassVar[str] = "iv"
    action: InvitationAction
    invitation_id: int


class ActingAction(StrEnum):
    """/acting: each appointment of an acting approver with Revoke (R6)."""

    REVOKE = "rv"


@dataclass(frozen=True)
class ActingButton(Family):
    """`1ac:rv:<appointment id>`."""

    DOMAIN: ClassVar[str] = "ac"
    action: ActingAction
    appointment_id: int
