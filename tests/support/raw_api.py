"""The stand-in's own tests call it over raw HTTP: their token and the caller's type."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

TOKEN = "4242:standin-test-token-abcdefghijkl"
Api = Callable[..., Coroutine[Any, Any, tuple[int, dict[str, Any]]]]
