"""Domain errors carry a message key (an English msgid) and parameters, never finished text.

Handlers turn them into a localized answer (rules 7 and 10 of
docs/decisions/011-house-rules.md).
"""

from __future__ import annotations

from typing import Any

from bot.i18n import N_


class DomainError(Exception):
    """Something the person asked for cannot be done; `key` says why, in words for them."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NotAllowed(DomainError):
    """The person lacks the role this action needs (checked in the service:
    rule 5 of docs/decisions/011-house-rules.md)."""


class NotFound(DomainError):
    """The thing referred to does not exist (or no longer exists)."""


class AlreadyDone(DomainError):
    """A double tap or a stale button: the transition already happened; nothing changed."""


class InvalidInput(DomainError):
    """What the person typed cannot be used; the key says what is expected."""


class UnknownCommand(NotAllowed):
    """What the bot answers to a command it does not have. Also the refusal of a feature whose
    very existence is restricted (the accountability register, C): whoever may not use it gets
    the answer an unknown command gets, so the refusal reveals nothing."""

    def __init__(self) -> None:
        super().__init__(N_("I do not know that command. Send /help to see what you can do."))


class StaleButton(DomainError):
    """A button whose data no longer means anything: forged, garbled or from an old version."""

    def __init__(self) -> None:
        super().__init__(N_("This button is no longer valid."))
