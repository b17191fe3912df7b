"""The buttons of an incident: its handlers' card (L4, L5, P3), the reporter's additions, the
change of severity and the reopening (bot/incidents/changes.py, reopening.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.buttons.codec import Family

ON_CARD = "c"  # IncidentButton.place: the button sits under the card itself


class IncidentAction(StrEnum):
    """What an incident's buttons do; the values are the wire's action codes."""

    ACKNOWLEDGE = "ak"  # L4
    ADD_UPDATE = "up"
    REPORT_UPWARD = "hi"  # P3
    PULL_IN = "pl"  # L5: the list of people who could help
    CONTAIN = "ct"
    CLOSE = "cl"
    CHANGE_SEVERITY = "sv"  # L4, R2
    TIMELINE = "tl"
    ATTACHMENTS = "at"
    OPEN = "op"  # the card, from /pending and /my
    REOPEN = "ro"
    ADD = "ad"  # the reporter adds to the report
    ADD_DONE = "dn"
    ADD_CANCEL = "xa"


@dataclass(frozen=True)
class IncidentButton(Family):
    """`1in:<action>:<incident id>`, and `:c` when it sits under the card itself (a press
    shows the card as it now stands; under a relay or a reminder only the buttons change)."""

    DOMAIN: ClassVar[str] = "in"
    action: IncidentAction
    incident_id: int
    place: str = ""

    @property
    def on_card(self) -> bool:
        """Whether the pressed message is the incident's card (see `place`)."""
        return self.place == ON_CARD


class PullInAction(StrEnum):
    """The pull-in list's buttons (L5)."""

    PAGE = "pl"  # the same code as Pull in: a page of its list
    PERSON = "pp"  # this person is pulled in


@dataclass(frozen=True)
class PullInButton(Family):
    """`1in:pl:<incident id>:<page>` turns the list's page; `1in:pp:<incident id>:<person
    id>` pulls that person in (L5)."""

    DOMAIN: ClassVar[str] = "in"
    action: PullInAction
    incident_id: int
    number: int  # the page, or the person's id


class SeverityAction(StrEnum):
    """The severity chosen after Change severity (L4, R2)."""

    CHOOSE = "sc"


@dataclass(frozen=True)
class SeverityButton(Family):
    """`1in:sc:<incident id>:<g|m|c>`: the severity the incident is to have."""

    DOMAIN: ClassVar[str] = "in"
    action: SeverityAction
    incident_id: int
    code: str
