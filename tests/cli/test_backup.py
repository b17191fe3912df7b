"""`dutydesk backup DIR` and `dutydesk restore DIR`: a backup taken while the bot writes restores
into a fresh place with every record (bot/db/backup.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.audit.service import record
from bot.clock import MovableClock
from bot.config import Settings
from bot.db.backup import backup
from bot.db.engine import Database, create_engine
from bot.db.migrate import head_from_files, upgrade
from bot.deps import Deps
from bot.files import store
from standin.ledger_year import ADMIN, a_year, at
from tests.support.cli import dutydesk
from tests.support.database import PG_URL


async def seeded(url: str, data_dir: Path) -> Deps:
    """The sample year of standin/ledger_year.py (incidents, events, meetings, lapses)."""
    engine = create_engine(url)
    await upgrade(engine)
    clock = MovableClock(at(1, 1, 9, 0))
    settings = Settings(data_dir=data_dir, database_url=url, admin_ids=(ADMIN.id,), _env_file=None)
    deps = Deps(settings=settings, db=Database(engine), clock=clock)
    await a_year(deps, clock)
    return deps


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(path)) as db:
        tables = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


async def test_sqlite_backed_up_under_load_restores_every_record(tmp_path: Path) -> None:
    live = tmp_path / "live" / "data"
    url = f"sqlite+aiosqlite:///{live / 'dutydesk.sqlite3'}"
    deps = await seeded(url, live)
    kept = [store.put(live / "files", f"minutes {n}".encode()) for n in range(3)]  # R7
    written, target, reached, stop = 0, 20, asyncio.Event(), False

    async def load() -> None:  # the bot goes on writing while the backup is taken
        nonlocal written
        while not stop:
            async with deps.db.transaction() as session:
                record(
                    session,
                    at=deps.clock.now(),
                    action="test.load",
                    subject_type="load",
                    subject_id=written,
                )
            written += 1
            if written >= target:
                reached.set()
            await asyncio.sleep(0)

    writer = asyncio.create_task(load())
    await reached.wait()  # 20 writes before
    reached.clear()
    target = 10**9
    manifest = await asyncio.to_thread(backup, deps.settings, tmp_path / "backup")
    at_backup, target = written, written + 20  # and 20 after
    await reached.wait()
    stop = True
    await writer
    await deps.db.dispose()

    saved = tmp_path / "backup" / "dutydesk.sqlite3"
    assert json.loads((tmp_path / "backup" / "backup.json").read_text()) == manifest
    assert manifest["database"] == "sqlite" and manifest["revision"] == head_from_files()
    rows = table_rows(saved)
    assert {t: len(r) for t, r in rows.items()} == manifest["rows"]
    sample = (len(rows["incidents"]), len(rows["event_requests"]), len(rows["meetings"]))
    assert sample == (5, 6, 18)  # the sample year, as seeded
    with closing(sqlite3.connect(saved)) as db:
        loaded = db.execute("SELECT count(*) FROM audit_log WHERE action = 'test.load'").fetchone()
    # A consistent snapshot from the middle of the writing: what was committed when it was taken.
    assert 20 <= loaded[0] <= at_backup < written

    fresh = tmp_path / "fresh" / "data"
    result = dutydesk(tmp_path, "restore", str(tmp_path / "backup"), DUTYDESK_DATA_DIR=str(fresh))
    assert result.returncode == 0, result.stderr
    started = dutydesk(tmp_path, "db", "upgrade", DUTYDESK_DATA_DIR=str(fresh))  # as a start does
    assert started.returncode == 0 and "up to date" in started.stdout, started.stderr
    assert table_rows(fresh / "dutydesk.sqlite3") == rows  # every record, as backed up
    # and every kept file, back in the files directory, read-only as the bot keeps them (R7)
    assert manifest["kept_files"] == 3 and "3 kept file(s) into" in result.stdout
    for n, sha in enumerate(kept):
        assert store.read(fresh / "files", sha) == f"minutes {n}".encode()
        assert store.path_for(fresh / "files", sha).stat().st_mode & 0o222 == 0

    again = dutydesk(tmp_path, "restore", str(tmp_path / "backup"), DUTYDESK_DATA_DIR=str(fresh))
    assert again.returncode == 3 and "already exists; move it away first" in again.stderr
    full = dutydesk(tmp_path, "backup", str(tmp_path / "backup"), DUTYDESK_DATA_DIR=str(live))
    assert full.returncode == 3 and "is not empty; give a new folder" in full.stderr
    nothing = dutydesk(tmp_path, "restore", str(tmp_path), DUTYDESK_DATA_DIR=str(fresh))
    assert nothing.returncode == 3 and "not a backup made by dutydesk backup" in nothing.stderr


@pytest.mark.postgres
async def test_postgres_through_pg_dump_into_a_new_database(tmp_path: Path, pg_schema: str) -> None:
    """pg_schema: skipped (or failed in CI) like every PostgreSQL test when none answers."""
    server = make_url(PG_URL)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    names = ("dutydesk_backup_src", "dutydesk_backup_dst")
    conn = await asyncpg.connect(admin)
    try:
        for name in names:
            await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            await conn.execute(f"CREATE DATABASE {name}")
    finally:
        await conn.close()
    src, dst = (server.set(database=n).render_as_string(hide_password=False) for n in names)
    deps = await seeded(src, tmp_path)
    await deps.db.dispose()
    saved = dutydesk(tmp_path, "backup", "pg-backup", DUTYDESK_DATABASE_URL=src)
    assert saved.returncode == 0, saved.stderr
    assert "incidents" in json.loads((tmp_path / "pg-backup" / "backup.json").read_text())["tables"]
    restored = dutydesk(tmp_path, "restore", "pg-backup", DUTYDESK_DATABASE_URL=dst)
    assert restored.returncode == 0, restored.stderr
    again = dutydesk(tmp_path, "restore", "pg-backup", DUTYDESK_DATABASE_URL=dst)
    assert again.returncode == 3 and "already holds Duty Desk's tables" in again.stderr
    counts = []
    for url in (src, dst):
        conn = await asyncpg.connect(
            make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        try:
            tables = ("incidents", "event_requests", "meetings", "audit_log", "outbox")
            counts.append([await conn.fetchval(f"SELECT count(*) FROM {t}") for t in tables])
        finally:
            await conn.close()
    assert counts[0] == counts[1] and counts[1][:3] == [5, 6, 18]
    with contextlib.suppress(Exception):
        conn = await asyncpg.connect(admin)
        for name in names:
            await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await conn.close()
