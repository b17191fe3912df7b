"""The buttons of a guided conversation: `1rp:k:ns` — the flow's domain, a step's code (or one
of the engine's own, `Nav`), a value and an extra, both optional.

A flow's steps declare their codes (handlers/flow.py); the engine routes a press to the step
only while the draft is at that step, so a press on an older question is stale, not applied to
another step. The wire format is the codec's (bot/buttons/codec.py): at most 64 bytes, texts
of `[A-Za-z0-9_-]{1,24}`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from bot.buttons.codec import _TEXT, MAX_BYTES, VERSION


class Nav(StrEnum):
    """The engine's buttons, the same on every guided conversation."""

    BACK = "b"
    CANCEL = "x"
    SUBMIT = "ok"  # Submit, or Save: the summary's first button
    EDIT = "e"  # Edit a field: the menu of the fields
    FIELD = "f"  # one field of the menu, or of the summary itself; its value is the step
    SUMMARY = "sm"  # out of the field menu, back to the summary unchanged


@dataclass(frozen=True)
class FlowButton:
    """One button of a guided conversation, e.g. `FlowButton("rp", "k", "ns")`."""

    domain: str
    code: str
    value: str = ""
    extra: str = ""

    def pack(self) -> str:
        """The callback data; ValueError for a part that cannot travel or over 64 bytes."""
        parts = [self.domain, self.code]
        if self.value:
            parts += [self.value, self.extra] if self.extra else [self.value]
        elif self.extra:
            raise ValueError("an extra needs a value")
        for part in parts:
            if not re.fullmatch(_TEXT, part):
                raise ValueError(f"a flow button's part cannot travel: {part!r}")
        data = VERSION + ":".join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, raw: str | None, domain: str, codes: frozenset[str]) -> Self | None:
        """The button `raw` means in the flow of `domain` whose codes are `codes`, or None."""
        if not raw or len(raw.encode()) > MAX_BYTES:
            return None
        match = _compiled(domain, codes).fullmatch(raw)
        if match is None:
            return None
        code, value, extra = match.groups()
        return cls(domain, code, value or "", extra or "")

    @staticmethod
    def pattern(domain: str, codes: frozenset[str]) -> str:
        """The regex of every button of one flow: its domain, one of its codes, two optional
        parts."""
        alternatives = "|".join(re.escape(c) for c in sorted(codes, key=lambda c: (-len(c), c)))
        return rf"^{VERSION}{re.escape(domain)}:({alternatives})(?::({_TEXT})(?::({_TEXT}))?)?\Z"


@functools.cache
def _compiled(domain: str, codes: frozenset[str]) -> re.Pattern[str]:
    """A flow's buttons, compiled once: `unpack` runs on every press."""
    return re.compile(FlowButton.pattern(domain, codes))
