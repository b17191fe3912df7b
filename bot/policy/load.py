"""Loading and validating a policy file, with errors that name the file, the key and the fault."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.policy.schema import Policy


class PolicyError(Exception):
    """A policy that cannot be used; the bot does not start with it, and keeps the old one."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def default_text() -> str:
    """The default policy shipped with the package, as TOML text."""
    return (resources.files("bot.policy") / "default.toml").read_text(encoding="utf-8")


def parse(text: str, source: str) -> Policy:
    """The default policy with `text` laid over it; PolicyError says where and what is wrong."""
    try:
        base = tomllib.loads(default_text())
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from None
    try:
        return Policy.model_validate(_merge(base, data))
    except ValidationError as exc:
        lines = [
            ": ".join(
                part
                for part in (
                    source,
                    ".".join(str(p) for p in err["loc"]),
                    str(err["msg"]).removeprefix("Value error, "),
                )
                if part
            )
            for err in exc.errors()
        ]
        raise PolicyError("\n".join(lines)) from None


def load(path: Path | None) -> Policy:
    """The policy in the file at `path`, or the default policy when None; PolicyError names
    the file and what is wrong."""
    if path is None:
        return parse("", "default policy")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot be read: {exc.strerror}") from None
    return parse(text, str(path))
