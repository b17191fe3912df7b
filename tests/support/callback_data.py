"""The wire format of button data, generically: `1ro:g:482:sec` = version 1, domain, action,
arguments — what tests use to forge a press (data can be forged) and to state what a typed
family must keep producing. The product builds and reads its buttons through bot/buttons only.

Telegram allows 1–64 bytes (docs/decisions/001-telegram-limits.md). Anything that does not parse
— forged, truncated, an older version — decodes to None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_\-]{1,24}$")


@dataclass(frozen=True)
class Data:
    domain: str
    action: str
    args: tuple[str, ...] = ()

    def int_arg(self, index: int) -> int | None:
        try:
            value = self.args[index]
        except IndexError:
            return None
        if not value.isdigit() or len(value) > 12:
            return None
        return int(value)


def encode(domain: str, action: str, *args: object) -> str:
    """The callback data of a button of a family not typed yet; ValueError for a part that
    cannot travel or over 64 bytes."""
    parts = [domain, action, *(str(a) for a in args)]
    for part in parts:
        if not _PART.match(part):
            raise ValueError(f"bad callback data part {part!r}")
    data = VERSION + ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(raw: str | None) -> Data | None:
    """What the callback data says, or None: forged, truncated, of an older version."""
    if not raw or not raw.startswith(VERSION) or len(raw.encode()) > MAX_BYTES:
        return None
    parts = raw[len(VERSION) :].split(":")
    if len(parts) < 2 or not all(_PART.match(p) for p in parts):
        return None
    return Data(parts[0], parts[1], tuple(parts[2:]))


def pattern(domain: str) -> str:
    """The regex a CallbackQueryHandler uses to receive one domain's buttons."""
    return f"^{VERSION}{re.escape(domain)}:"
