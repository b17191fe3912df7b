"""Which Bot API methods exist and which parameters each requires (from api_spec.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any


@cache
def _spec() -> dict[str, list[tuple[str, bool]]]:
    raw = json.loads(Path(__file__).with_name("api_spec.json").read_text(encoding="utf-8"))
    return {
        name.lower(): [(f, bool(r)) for f, r in fields] for name, fields in raw["methods"].items()
    }


def known_methods() -> frozenset[str]:
    return frozenset(_spec())


def missing_required(method: str, params: dict[str, Any]) -> list[str]:
    return [name for name, required in _spec().get(method, []) if required and name not in params]
