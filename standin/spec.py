"""Which Bot API methods exist and what each requires, from the bundled api_spec.json.

The file is a trimmed copy of the published specification (see tools/make_api_spec.py);
nothing outside this package is read at runtime.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Field:
    name: str
    required: bool
    types: tuple[str, ...]


@dataclass(frozen=True)
class Method:
    name: str  # Telegram's spelling, e.g. "sendMessage"
    fields: tuple[Field, ...]


@cache
def _methods() -> dict[str, Method]:
    raw = json.loads(Path(__file__).with_name("api_spec.json").read_text(encoding="utf-8"))
    return {
        name.lower(): Method(
            name,
            tuple(Field(f["name"], bool(f["required"]), tuple(f["types"])) for f in fields),
        )
        for name, fields in raw["methods"].items()
    }


def method(name: str) -> Method | None:
    """The method, looked up case-insensitively as Telegram does; None if it does not exist."""
    return _methods().get(name.lower())


def missing_required(name: str, params: dict[str, Any]) -> list[str]:
    """The required parameters of method `name` that `params` leaves out or empty."""
    found = method(name)
    if found is None:
        return []
    return [f.name for f in found.fields if f.required and params.get(f.name) in (None, "")]


def wrongly_typed(name: str, params: dict[str, Any]) -> str | None:
    """The first parameter that must be an Integer or a Boolean and is not, if any."""
    found = method(name)
    for f in found.fields if found else ():
        value = params.get(f.name)
        if value is None or isinstance(value, tuple):
            continue
        if f.types == ("Integer",) and not _is_int(value):
            return f.name
        if f.types == ("Boolean",) and str(value).lower() not in ("true", "false", "1", "0"):
            return f.name
    return None


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True
