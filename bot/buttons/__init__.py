"""Typed buttons: the codec (bot.buttons.codec) and one module of families per domain.

A domain imports its family from its module (`from bot.buttons.events import EventButton`);
docs/decisions/010-typed-buttons.md says how a family is declared and converted.
"""

from bot.buttons.codec import Family
from bot.buttons.events import EventAction, EventButton

__all__ = ["EventAction", "EventButton", "Family"]
