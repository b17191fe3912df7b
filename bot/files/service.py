"""Keeping the files people send into records: queued in the record's own transaction,
fetched afterwards by the leader (runtime.fetcher), retried with backoff like the outbox.

An attachment is a dict as the conversations collect it: file_id, kind, name, size, and
mime_type when Telegram gave one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.files import store
from bot.files.models import FileStatus, KeptFile, NotKept

MAX_BACKOFF = timedelta(minutes=10)
MAX_ATTEMPTS = 12
# A fetch in flight holds its file this long; a crash in between lets it be fetched again
# after that (fetching twice is harmless: the copy is named by its content).
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class FileState:
    """What a reader is told about one attachment."""

    file_id: str
    kind: str
    name: str | None
    size: int | None
    status: str  # FileStatus
    reason: str | None  # NotKept, when not kept
    sha256: str | None


def too_big(size: int | None, max_mb: int) -> bool:
    """Whether a file of `size` bytes is over the download limit of `max_mb` MB
    (docs/decisions/007-kept-files.md)."""
    return (size or 0) > max_mb * 1024 * 1024


def receive(
    session: AsyncSession,
    existing: set[str],
    *,
    now: datetime,
    sender_id: int | None,
    attachments: Iterable[dict[str, Any]],
    max_mb: int,
) -> None:
    """Queue the office's copy of each attachment not yet known (`existing`: file_ids already
    on record, from `known`). A file larger than the Bot API lets a bot download is recorded
    as not kept, with the reason, at once."""
    for att in attachments:
        file_id = str(att["file_id"])
        if file_id in existing:
            continue
        existing.add(file_id)
        size = att.get("size")
        big = too_big(size, max_mb)
        session.add(
            KeptFile(
                file_id=file_id,
                kind=str(att.get("kind") or "document"),
                name=(att.get("name") or None) and str(att["name"])[:256],
                mime_type=att.get("mime_type"),
                size=size,
                sender_id=sender_id,
                received_at=now,
                status=FileStatus.NOT_KEPT if big else FileStatus.FETCHING,
                reason=NotKept.TOO_BIG if big else None,
                attempts=0,
                not_before=now,
            )
        )
    session.info["files_added"] = True


async def known(session: AsyncSession, file_ids: Iterable[str]) -> set[str]:
    """Which of these file ids already have a kept_files row."""
    ids = list(set(file_ids))
    if not ids:
        return set()
    rows = await session.scalars(select(KeptFile.file_id).where(KeptFile.file_id.in_(ids)))
    return set(rows)


async def keep(
    session: AsyncSession,
    deps: Deps,
    *,
    now: datetime,
    sender_id: int | None,
    attachments: list[dict[str, Any]],
) -> None:
    """In the record's transaction: every attachment gets its copy queued (once per file)."""
    if not attachments:
        return
    existing = await known(session, (str(a["file_id"]) for a in attachments))
    receive(
        session,
        existing,
        now=now,
        sender_id=sender_id,
        attachments=attachments,
        max_mb=deps.settings.max_download_mb,
    )


async def states(session: AsyncSession, file_ids: Iterable[str]) -> dict[str, FileState]:
    """The keeping state of each of these file ids that has a kept_files row."""
    ids = list(set(file_ids))
    if not ids:
        return {}
    rows = await session.scalars(select(KeptFile).where(KeptFile.file_id.in_(ids)))
    return {
        f.file_id: FileState(f.file_id, f.kind, f.name, f.size, f.status, f.reason, f.sha256)
        for f in rows
    }


# --- the fetcher's side ------------------------------------------------------------------------
async def due(session: AsyncSession, *, now: datetime, limit: int) -> list[KeptFile]:
    """Files waiting to be fetched whose next attempt is due by `now`, oldest first."""
    rows = await session.scalars(
        select(KeptFile)
        .where(KeptFile.status == FileStatus.FETCHING, KeptFile.not_before <= now)
        .order_by(KeptFile.id)
        .limit(limit)
    )
    return list(rows)


async def claim(session: AsyncSession, file: KeptFile, *, now: datetime) -> bool:
    """Hold one file for a fetch (LEASE); False when another fetch holds or settled it."""
    result = await session.execute(
        update(KeptFile)
        .where(
            KeptFile.id == file.id,
            KeptFile.status == FileStatus.FETCHING,
            KeptFile.not_before <= now,  # still due: nobody else holds it
        )
        .values(not_before=now + LEASE, attempts=KeptFile.attempts + 1)
    )
    return bool(getattr(result, "rowcount", 0))


async def mark_kept(
    session: AsyncSession, *, file_id: int, sha256: str, size: int, now: datetime
) -> None:
    """Record that the file's copy is kept under its SHA-256."""
    await session.execute(
        update(KeptFile)
        .where(KeptFile.id == file_id)
        .values(
            status=FileStatus.KEPT,
            sha256=sha256,
            size=size,
            kept_at=now,
            last_error=None,
            reason=None,
        )
    )


async def mark_not_kept(
    session: AsyncSession, *, file_id: int, reason: NotKept, error: str
) -> None:
    """Record that the file cannot be kept, why, and Telegram's last error."""
    await session.execute(
        update(KeptFile)
        .where(KeptFile.id == file_id)
        .values(status=FileStatus.NOT_KEPT, reason=reason, last_error=error[:500])
    )


async def mark_retry(
    session: AsyncSession, *, file_id: int, attempts: int, now: datetime, error: str
) -> bool:
    """A transient failure: again after a backoff, or given up (True) after MAX_ATTEMPTS."""
    if attempts >= MAX_ATTEMPTS:
        await mark_not_kept(session, file_id=file_id, reason=NotKept.FAILED, error=error)
        return True
    await session.execute(
        update(KeptFile)
        .where(KeptFile.id == file_id)
        .values(not_before=now + backoff(attempts), last_error=error[:500])
    )
    return False


def backoff(attempts: int) -> timedelta:
    """The wait before the next fetch: 5, 10, 20 … s, at most MAX_BACKOFF."""
    return min(timedelta(seconds=5 * 2**attempts), MAX_BACKOFF)


async def recover(session: AsyncSession, *, now: datetime) -> int:
    """At start-up: what is still to be fetched is tried again at once (a restart is a good
    moment to retry; a fetch a crash interrupted is no longer held)."""
    result = await session.execute(
        update(KeptFile)
        .where(KeptFile.status == FileStatus.FETCHING, KeptFile.not_before > now)
        .values(not_before=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --- reading kept copies ---------------------------------------------------------------------
async def kept_copy(deps: Deps, file_id: str) -> tuple[bytes, str, str] | None:
    """The office's copy of a file sent by its Telegram file_id: (bytes, name, kind)."""
    async with deps.db.read() as session:
        row = await session.scalar(select(KeptFile).where(KeptFile.file_id == file_id))
    if row is None or row.status != FileStatus.KEPT or row.sha256 is None:
        return None
    content = await asyncio.to_thread(store.read, deps.settings.resolved_files_dir, row.sha256)
    if content is None or store.digest(content) != row.sha256:
        return None  # missing or altered: `dutydesk files verify` names it
    return content, row.name or _default_name(row), row.kind


def _default_name(row: KeptFile) -> str:
    return f"photo-{row.id}.jpg" if row.kind == "photo" else f"file-{row.id}"


@dataclass(frozen=True)
class Problem:
    file_id: str
    name: str | None
    sha256: str
    problem: str  # missing | altered


async def verify(deps: Deps, root: Path | None = None) -> tuple[int, list[Problem]]:
    """Re-hash every kept file: how many were checked, and the missing or altered ones."""
    root = root or deps.settings.resolved_files_dir
    async with deps.db.read() as session:
        rows = (
            await session.execute(
                select(KeptFile.file_id, KeptFile.name, KeptFile.sha256)
                .where(KeptFile.status == FileStatus.KEPT)
                .order_by(KeptFile.id)
            )
        ).all()
    problems: list[Problem] = []
    checked: dict[str, str | None] = {}
    for file_id, name, sha in rows:
        assert sha is not None
        if sha not in checked:
            checked[sha] = await asyncio.to_thread(store.check, root, sha)
        if checked[sha] is not None:
            problems.append(Problem(file_id, name, sha, str(checked[sha])))
    return len(rows), problems
