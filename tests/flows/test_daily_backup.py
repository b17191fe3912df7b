"""The policy's daily backup (bot/db/daily.py): taken by the leader once a day after its hour,
restorable with every record and kept file (R7), the newest `keep` kept; a failure told to the
admins once."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.db import daily
from bot.db.backup import restore
from bot.db.migrate import head_from_files
from bot.files import store
from bot.policy.load import load
from bot.policy.schema import Backups
from handlers.policy import backups_line
from render.notices import notice
from render.renderer import Renderer
from tests.support.bot import ADMIN_ID, Harness
from tests.support.world import world

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def people(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT count(*) FROM people").fetchone()[0])


@pytest.fixture
def on_sqlite(harness: Harness, backend: str, tmp_path: Path) -> Harness:
    """The harness's database named in its settings, as `dutydesk run` has it; the job stopped
    (the test runs the backup by hand, moving the clock by days)."""
    if backend != "sqlite":
        pytest.skip("PostgreSQL goes through pg_dump: tests/cli/test_backup.py")
    h = harness
    url = f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    h.deps.settings = h.deps.settings.model_copy(update={"database_url": url})
    assert h.app.job_queue is not None
    for job in h.app.job_queue.get_jobs_by_name("backups"):
        job.enabled = False
    return h


async def test_a_daily_backup_restores_and_the_newest_are_kept(
    on_sqlite: Harness, tmp_path: Path
) -> None:
    h = on_sqlite
    await world(h)
    files = h.deps.settings.resolved_files_dir
    first = store.put(files, b"minutes of the quarterly review")
    root = tmp_path / "backups"
    h.deps.policy = h.deps.policy.model_copy(
        update={"backups": Backups(every_day_at=time(2, 30), keep=2, dir=str(root))}
    )
    h.clock.set(local(1, 2, 29))
    assert await daily.run(h.deps) is None  # not before its hour
    h.clock.set(local(1, 2, 31))
    taken = await daily.run(h.deps)
    assert taken == root / "2026-12-01"
    assert await daily.run(h.deps) is None  # once a day
    manifest = json.loads((taken / "backup.json").read_text())
    assert manifest["revision"] == head_from_files() and manifest["kept_files"] == 1

    # It restores into a fresh place: every person, and the kept file back in its directory.
    fresh = Settings(data_dir=tmp_path / "fresh", _env_file=None)  # type: ignore[call-arg]
    restore(fresh, taken)
    assert people(tmp_path / "fresh" / "dutydesk.sqlite3") == people(tmp_path / "test.sqlite3")
    assert store.read(fresh.resolved_files_dir, first) == b"minutes of the quarterly review"

    # The next days: only the new file is copied (the old one linked), two backups are kept.
    for day in (2, 3):
        store.put(files, f"photo of day {day}".encode())
        h.clock.set(local(day, 3, 0))
        assert await daily.run(h.deps) == root / f"2026-12-0{day}"
    manifest = json.loads((root / "2026-12-03" / "backup.json").read_text())
    assert (manifest["kept_files"], manifest["copied_files"], manifest["linked_files"]) == (3, 1, 2)
    assert sorted(p.name for p in root.iterdir()) == ["2026-12-02", "2026-12-03"]
    assert store.read(root / "2026-12-03" / "files", first) == b"minutes of the quarterly review"
    assert not h.standin.unread(ADMIN_ID)


async def test_a_failed_backup_is_told_to_the_admins_once(
    on_sqlite: Harness, tmp_path: Path
) -> None:
    h, s = on_sqlite, on_sqlite.standin
    await world(h)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backups should go")
    h.deps.policy = h.deps.policy.model_copy(
        update={"backups": Backups(every_day_at=time(2, 30), dir=str(blocked))}
    )
    h.clock.set(local(1, 2, 31))
    assert await daily.run(h.deps) is None
    alert = await s.next_message(ADMIN_ID)
    lines = alert.text.splitlines()
    assert lines[0].startswith("The daily backup failed. The reason: ")
    assert lines[1:] == [
        "There is no complete backup yet.",
        f"What to do: check that the folder {blocked} exists, that the bot may write there and "
        "that the disk has room (on PostgreSQL, that pg_dump is installed). The bot tries again "
        "every hour and tells you only once.",
    ]
    for hours in (0.5, 1.5, 30):  # tried again hourly, never told again
        h.clock.set(local(1, 2, 31) + timedelta(hours=hours))
        assert await daily.run(h.deps) is None
    await s.quiet()
    assert not s.unread(ADMIN_ID)

    # Mended: the backup is taken, and a later failure would be told again.
    root = tmp_path / "backups"
    h.deps.policy = h.deps.policy.model_copy(
        update={"backups": Backups(every_day_at=time(2, 30), dir=str(root))}
    )
    h.clock.set(local(2, 9, 40))  # an hour after the last attempt
    assert await daily.run(h.deps) == root / "2026-12-02"
    (root / "2026-12-03").write_text("a file where the day's folder should go")
    h.clock.set(local(3, 9, 0))
    assert await daily.run(h.deps) is None
    again = await s.next_message(ADMIN_ID)
    assert again.text.splitlines()[1] == "The last complete backup is that of December 2, 2026."


def test_the_alert_reads_in_formal_chinese() -> None:
    r = Renderer("zh_CN", SHANGHAI)
    text = notice(
        r, "backup.failed", {"error": "磁盘已满", "dir": "/srv/backups", "last": "2026-12-02"}
    )
    assert text.splitlines()[:2] == [
        "<b>每日备份失败。</b>原因：磁盘已满",
        "最近一份完整备份为2026年12月2日的备份。",
    ]


def test_policy_shows_the_daily_backup() -> None:
    """/policy's line: what an admin or the leadership reads of [backups]."""
    plan = load(None).model_copy(update={"backups": Backups(every_day_at=time(2, 30))})
    assert backups_line(Renderer("zh_CN", SHANGHAI), plan) == "每日02:30进行备份，保留最近14份。"
    assert backups_line(Renderer("en", SHANGHAI), plan) == (
        "Daily backup at 02:30; the newest 14 are kept."
    )
    assert backups_line(Renderer("zh_CN", SHANGHAI), load(None)) == "每日备份：未启用。"
