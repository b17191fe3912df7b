"""The buttons of the regulation's calendar: a due meeting's reminder (R2, R3, A1)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.buttons.codec import Family


class CalendarAction(StrEnum):
    """What a reminder's buttons do; the values are the wire's action codes."""

    SNOOZE = "sz"  # remind the presser privately the next working morning
    DOCUMENT = "bd"  # the quarterly briefing as a document (A1)


@dataclass(frozen=True)
class CalendarButton(Family):
    """`1cl:<action>:<occurrence id>`."""

    DOMAIN: ClassVar[str] = "cl"
    action: CalendarAction
    occurrence_id: int
