"""The buttons of an event request's card (R6, L3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.buttons.codec import Family


class EventAction(StrEnum):
    """What an event request's buttons do (R6, L3); the values are the wire's action codes."""

    APPROVE = "ap"
    REJECT = "rj"
    REQUEST_CHANGES = "ch"
    FORWARD = "fw"  # the committee head's review (L3)
    SEND_BACK = "sb"
    ORGANISER_ACCEPTS = "oc"
    ORGANISER_DECLINES = "od"
    WITHDRAW = "wd"
    RESUBMIT = "rs"
    FILE = "fi"  # the office records the filing
    CANCEL = "cx"  # the office cancels an approved event
    HELD = "oh"  # after the event: how it went (R7)
    NOT_HELD = "on"
    HELD_WITH_INCIDENT = "oi"


@dataclass(frozen=True)
class EventButton(Family):
    """A button on an event request's card: `1ev:<action>:<event id>:<version>`."""

    DOMAIN: ClassVar[str] = "ev"
    action: EventAction
    event_id: int
    version: int
