"""Typed buttons: what a button means, as a frozen dataclass per family, and its wire format.

`EventButton(action=EventAction.APPROVE, event_id=12, version=1).pack()` is `1ev:ap:12:1`: the
codec's version, the family's domain code, the action (the StrEnum's value, two letters) and the
fields in their declared order (docs/decisions/010-typed-buttons.md). Telegram allows 1–64 bytes
of callback data (docs/decisions/001-telegram-limits.md); a button carries ids, never state.
Anything that does not unpack — forged, truncated, of an older version, of an unknown action —
is None, answered as a stale button.

Fields with a default are optional and come last: left off the wire when they hold their
default (`1ro:r:12:chd` and `1ro:r:12:chd:3` are one family), read back as it when absent.

The domain layer builds its buttons with the families of this package (it imports no
telegram), one module per domain; the handlers register one callback per action by
`Family.pattern(action)`.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from enum import StrEnum
from typing import ClassVar, Self

VERSION = "1"  # the wire format's version: a button of another is stale
MAX_BYTES = 64
_INT = "[0-9]{1,12}"
_TEXT = r"[A-Za-z0-9_\-]{1,24}"


class Family:
    """The base of a button family: a frozen dataclass whose first field is `action` (a
    StrEnum) and whose other fields are ints (ids, ≥ 0) or short texts, packed in order."""

    DOMAIN: ClassVar[str]
    action: StrEnum

    @classmethod
    def _fields(cls) -> tuple[tuple[str, type, object], ...]:
        return _fields_of(cls)

    @classmethod
    def _actions(cls) -> type[StrEnum]:
        return typing.cast(type[StrEnum], cls._fields()[0][1])

    def pack(self) -> str:
        """The callback data; ValueError for a value that cannot travel or over 64 bytes."""
        parts = [self.DOMAIN, self.action.value]
        for name, kind, default in self._fields()[1:]:
            value = getattr(self, name)
            if value == default and default is not _REQUIRED:
                break  # an optional field at its default, and so every one after it
            part = str(value)
            if not re.fullmatch(_INT if kind is int else _TEXT, part):
                raise ValueError(f"{type(self).__name__}.{name} cannot travel: {value!r}")
            parts.append(part)
        data = VERSION + ":".join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, raw: str | None) -> Self | None:
        """The button `raw` means, or None: forged, truncated, old, of an unknown action."""
        if not raw or len(raw.encode()) > MAX_BYTES:
            return None
        match = _compiled(cls).fullmatch(raw)
        if match is None:
            return None
        values: dict[str, object] = {}
        for (name, kind, _), part in zip(cls._fields(), match.groups(), strict=True):
            if part is not None:  # an optional field left off keeps its default
                values[name] = kind(part)
        return cls(**values)

    @classmethod
    def pattern(cls, action: StrEnum) -> str:
        """The regex a CallbackQueryHandler registers for one action: exactly its packs."""
        if not isinstance(action, cls._actions()):
            raise TypeError(f"{action!r} is not an action of {cls.__name__}")
        return cls._regex(re.escape(action.value))

    @classmethod
    def domain_pattern(cls) -> str:
        """The regex of every button of the family's domain: registered after the family's
        own patterns, it catches what none of them takes (old or forged) as stale."""
        return rf"^{VERSION}{re.escape(cls.DOMAIN)}:"

    @classmethod
    def _regex(cls, action: str | None = None) -> str:
        if action is None:
            action = "|".join(re.escape(a.value) for a in cls._actions())
        tail, optional = "", 0
        for _, kind, default in cls._fields()[1:]:
            field = f":({_INT if kind is int else _TEXT})"
            if default is _REQUIRED:
                tail += field
            else:  # nested: a later optional field only after an earlier one
                tail += f"(?:{field}"
                optional += 1
        tail += ")?" * optional
        return rf"^{VERSION}{re.escape(cls.DOMAIN)}:({action}){tail}\Z"


_COMPILED: dict[type[Family], re.Pattern[str]] = {}


def _compiled(family: type[Family]) -> re.Pattern[str]:
    """Every button of the family, compiled once: `unpack` runs on every press."""
    if family not in _COMPILED:
        _COMPILED[family] = re.compile(family._regex())
    return _COMPILED[family]


_REQUIRED: object = dataclasses.MISSING
_FIELDS: dict[type[Family], tuple[tuple[str, type, object], ...]] = {}


def _fields_of(family: type[Family]) -> tuple[tuple[str, type, object], ...]:
    """Each field's name, type and default (dataclasses.MISSING when required), in order
    (read once per family); a dataclass puts the optional ones last."""
    if family not in _FIELDS:
        hints = typing.get_type_hints(family)
        fields = dataclasses.fields(family)  # type: ignore[arg-type]
        _FIELDS[family] = tuple((f.name, hints[f.name], f.default) for f in fields)
    return _FIELDS[family]
