"""Loading a policy through the chat: validate, show what changes, apply on confirmation.

A loaded policy is kept in the database and wins over DUTYDESK_POLICY_FILE at the next start;
a broken one is never applied (the one in force stays), and every load is audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.people.service import require_admin
from bot.people.view import TgUser
from bot.policy.load import PolicyError, parse
from bot.policy.models import PolicyVersion
from bot.policy.schema import Policy

log = logging.getLogger(__name__)

MAX_BYTES = 64 * 1024  # a policy file is a few kilobytes; anything larger is not one


@dataclass(frozen=True)
class Change:
    key: str
    old: str
    new: str


def _flat(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and isinstance(value[0], dict) and "key" in value[0]:
        # Lists of named entries (topics, sensitive dates) compare entry by entry.
        return {k: v for item in value for k, v in _flat(item, f"{prefix}[{item['key']}]").items()}
    return {prefix: _text(value)}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def diff(old: Policy, new: Policy) -> list[Change]:
    """What differs, key by key ("—" where a key is absent on one side)."""
    a, b = _flat(old.model_dump(mode="json")), _flat(new.model_dump(mode="json"))
    return [
        Change(key, a.get(key, "—"), b.get(key, "—"))
        for key in sorted(a.keys() | b.keys())
        if a.get(key) != b.get(key)
    ]


def check(deps: Deps, content: bytes, file_name: str) -> tuple[Policy, str]:
    """The policy in an uploaded file, or InvalidInput saying exactly what is wrong."""
    if len(content) > MAX_BYTES:
        raise InvalidInput(N_("That file is too large to be a policy file."))
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(N_("The policy file must be UTF-8 text.")) from None
    try:
        return parse(text, file_name), text
    except PolicyError as exc:
        raise InvalidInput(
            N_("The policy was not loaded; the one in force stays. What is wrong:\n{errors}"),
            errors=str(exc),
        ) from None


REFUSAL = N_("Only an administrator can load a policy.")


async def check_admin(deps: Deps, actor: TgUser) -> None:
    """Before a file is downloaded: only an admin's is looked at."""
    async with deps.db.transaction() as session:
        await require_admin(session, actor, now=deps.clock.now(), refusal=REFUSAL)


async def apply(deps: Deps, actor: TgUser, text: str, file_name: str) -> list[Change]:
    """Validate again, keep the text, audit the change, and put the policy in force."""
    new = parse(text, file_name)
    changes = diff(deps.policy, new)
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await require_admin(session, actor, now=now, refusal=REFUSAL)
        version = PolicyVersion(
            text=text, file_name=file_name[:256], loaded_by_id=me.id, loaded_at=now
        )
        session.add(version)
        await session.flush()
        record(
            session,
            at=now,
            actor_id=me.id,
            action="policy.load",
            subject_type="policy_version",
            subject_id=version.id,
            clause="R7",
            file_name=file_name,
            changes=[[c.key, c.old, c.new] for c in changes],
        )
    deps.policy = new
    return changes


async def latest(deps: Deps) -> PolicyVersion | None:
    """The newest policy version recorded, or None."""
    async with deps.db.read() as session:
        return await session.scalar(select(PolicyVersion).order_by(PolicyVersion.id.desc()))


async def restore(deps: Deps) -> PolicyVersion | None:
    """At start: the policy last loaded through the chat, if any and still valid."""
    version = await latest(deps)
    if version is None:
        return None
    try:
        deps.policy = parse(version.text, f"policy loaded as {version.file_name}")
    except PolicyError as exc:  # e.g. a newer bot rejects an old key: keep the file's policy
        log.error("the policy loaded through the chat no longer validates; using the file: %s", exc)
        return None
    return version
