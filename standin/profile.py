"""The bot's profile texts: setMyDescription and setMyShortDescription, per language, as strict as
the specification (0-512 and 0-120 characters, a two-letter language code or none)."""

from __future__ import annotations

import re

from standin.checks import bad
from standin.html_check import utf16_length
from standin.model import JSONDict
from standin.world import World

_LANGUAGE = re.compile(r"^([a-z]{2})?$")  # ISO 639-1, or empty for everyone else
DESCRIPTION_LIMITS = {"description": 512, "short_description": 120}


def _language(p: JSONDict) -> str:
    language = str(p.get("language_code") or "")
    if not _LANGUAGE.match(language):
        raise bad("LANG_CODE_INVALID")
    return language


def set_description(world: World, p: JSONDict, field: str) -> bool:
    """0-512 (description) or 0-120 (short_description) characters; empty removes the text
    for that language."""
    text, limit = str(p.get(field) or ""), DESCRIPTION_LIMITS[field]
    if utf16_length(text) > limit:
        raise bad(f"{field} must be 0-{limit} characters")
    key = (field, _language(p))
    if text:
        world.descriptions[key] = text
    else:
        world.descriptions.pop(key, None)
    return True


def get_description(world: World, p: JSONDict, field: str) -> JSONDict:
    """The language's own text, else the one for everybody (as Telegram falls back)."""
    own = world.descriptions.get((field, _language(p)))
    return {field: own if own is not None else world.descriptions.get((field, ""), "")}
