"""The buttons of the accountability register's pages (C1–C12); recording a case is a guided
conversation, whose buttons are the flow's (bot/buttons/flows.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.buttons.codec import Family


class RegisterAction(StrEnum):
    """What the register's page buttons do; the values are the wire's action codes."""

    PAGE = "l"  # a page of the register (its number)
    VIEW = "v"  # one entry (its id)
    CORRECT = "c"  # Correct this entry (its id): the conversation, prefilled
    NEW = "n"  # Record a case: the conversation


@dataclass(frozen=True)
class RegisterButton(Family):
    """A button of the register: `1rg:<action>[:<number>]`, the page or the entry."""

    DOMAIN: ClassVar[str] = "rg"
    action: RegisterAction
    number: int = 0
