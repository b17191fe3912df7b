"""What a step of a guided conversation says when it gets an answer of the wrong kind: one
sentence per situation, the same in every flow, and never one that contradicts the step (a step
with buttons only never hears "answer with text")."""

from __future__ import annotations

from enum import StrEnum

from telegram import Message

from bot.errors import InvalidInput
from bot.freetext import normalise
from bot.i18n import N_


class Takes(StrEnum):
    """What a step takes as an answer (Back and Cancel are on every step and do not count)."""

    TEXT = "text"
    BUTTONS = "buttons"
    TEXT_OR_BUTTONS = "text_or_buttons"
    FILES_OR_BUTTONS = "files_or_buttons"
    ANY = "any"  # typed text, files or a button: the minutes of a meeting


WRONG_KIND = {
    Takes.TEXT: N_("Please type your answer as a text message, or send /cancel."),
    Takes.BUTTONS: N_("Please use the buttons above, or send /cancel."),
    Takes.TEXT_OR_BUTTONS: N_(
        "Please type your answer as a text message or use the buttons above, or send /cancel."
    ),
    Takes.FILES_OR_BUTTONS: N_(
        "Please send photos or documents, or use the buttons above, or send /cancel."
    ),
    Takes.ANY: N_(
        "Please type the text, send photos or documents, or use the buttons above, or send /cancel."
    ),
}


def wrong_kind(takes: Takes) -> InvalidInput:
    """The answer to a message this step cannot take; raise it."""
    return InvalidInput(WRONG_KIND[takes])


def typed(message: Message) -> str:
    """The text of a message as a step reads it (a date, a number, a @username): cleaned of
    control and invisible characters, one line (bot.freetext)."""
    return normalise(message.text, multiline=False)


def line(text: str) -> str:
    """A typed answer read as one line (a date, a number, a @username), as `typed` reads a
    message."""
    return normalise(text, multiline=False)
