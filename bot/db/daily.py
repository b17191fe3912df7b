"""The daily backup of the policy's [backups]: taken by the leader, kept `keep` days.

Each day, once the organisation's clock has passed `every_day_at`, the leader writes the day's
backup (bot/db/backup.py: the database and the kept files, the files not yet in yesterday's
backup copied, the rest linked) into `dir`/YYYY-MM-DD, then deletes the complete backups
beyond the newest `keep` and any folder a failed attempt left. A day missed while the bot was
down is taken at the next start. The work runs in a worker thread: the bot goes on answering.

A failure is told to the admins once (with the reason and what to do), then tried again every
hour in silence; the next success ends the failure, so a later one is told again. Whether the
admins were told is a calendar_state row, so a restart does not tell them twice.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.audit.service import record
from bot.calendar.models import CalendarState
from bot.db.backup import MANIFEST, BackupError, backup
from bot.deps import Deps
from bot.outbox import service as outbox
from bot.people.directory import people_with_role
from bot.people.roles import Role

log = logging.getLogger(__name__)

TEMPLATE = "backup.failed"
FAILING = "backup:failing"  # calendar_state: the admins were told of the failure under way
RETRY = timedelta(hours=1)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def folder(deps: Deps) -> Path:
    """Where the daily backups go: the policy's folder, or <data dir>/backups."""
    configured = deps.policy.backups.dir
    return Path(configured) if configured else deps.settings.data_dir / "backups"


def complete(root: Path) -> list[Path]:
    """The day folders holding a whole backup, oldest first."""
    if not root.is_dir():
        return []
    days = [p for p in root.iterdir() if _DAY.fullmatch(p.name) and p.is_dir()]
    return sorted(p for p in days if (p / MANIFEST).is_file())


async def run(deps: Deps) -> Path | None:
    """Take today's backup when it is due; the folder written, or None (not due, or failed)."""
    plan, now = deps.policy.backups, deps.clock.now()
    local = now.astimezone(deps.zone)
    if plan.every_day_at is None or local.time().replace(tzinfo=None) < plan.every_day_at:
        return None
    root = folder(deps)
    target = root / local.date().isoformat()
    if (target / MANIFEST).is_file():
        return None
    async with deps.db.read() as session:
        failing = await session.get(CalendarState, FAILING)
    if failing is not None and now - failing.at < RETRY:
        return None
    try:
        taken, pruned = await asyncio.to_thread(_take, deps, root, target, now, plan.keep)
    except (BackupError, OSError) as exc:
        await _failed(deps, now, target, str(exc) or type(exc).__name__)
        return None
    async with deps.db.transaction() as session:
        record(
            session,
            at=now,
            action="backup.taken",
            subject_type="backup",
            subject_id=None,
            folder=str(target),
            files=taken.get("kept_files"),
            pruned=pruned,
        )
        if failing is not None:  # the failure is over: a later one is told again
            await session.execute(delete(CalendarState).where(CalendarState.name == FAILING))
    log.info("daily backup written to %s; %d old backup(s) deleted", target, len(pruned))
    return target


def _take(
    deps: Deps, root: Path, target: Path, now: datetime, keep: int
) -> tuple[dict[str, object], list[str]]:
    """In a worker thread: the backup, linked to the newest earlier one, then the pruning."""
    if target.exists():
        shutil.rmtree(target)  # what an attempt cut short left: never a complete backup
    earlier = [p for p in complete(root) if p.name < target.name]
    taken = backup(deps.settings, target, now, previous=earlier[-1] if earlier else None)
    pruned = []
    kept = complete(root)
    for old in kept[: max(len(kept) - keep, 0)]:
        shutil.rmtree(old)
        pruned.append(old.name)
    for left in root.iterdir():  # folders of failed attempts on earlier days
        if _DAY.fullmatch(left.name) and left.is_dir() and not (left / MANIFEST).is_file():
            shutil.rmtree(left)
    return taken, pruned


async def _failed(deps: Deps, now: datetime, target: Path, reason: str) -> None:
    log.warning("daily backup to %s failed: %s", target, reason)
    last = complete(target.parent) if target.parent.is_dir() else []
    try:
        async with deps.db.transaction() as session:
            failing = await session.get(CalendarState, FAILING)
            if failing is not None:
                failing.at = now  # told already: try again in an hour, in silence
                return
            session.add(CalendarState(name=FAILING, at=now))
            record(
                session,
                at=now,
                action="backup.failed",
                subject_type="backup",
                subject_id=None,
                folder=str(target),
                error=reason,
            )
            params = {
                "dir": str(target.parent),
                "error": reason[:300],
                "last": last[-1].name if last else "",
            }
            for admin in await people_with_role(session, Role.ADMIN, with_grants=False):
                outbox.notify_person(
                    session, now=now, person=admin, template=TEMPLATE, params=params
                )
    except IntegrityError:  # another scheduler told them first
        return
