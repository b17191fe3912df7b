"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.db.base import Base, import_all_models
from bot.db.engine import Database
from bot.db.migrate import current_revision, head_from_files, head_revision
from bot.search.models import TRIGRAM_INDEX


def _diff(connection: Connection) -> list[Any]:
    import_all_models()
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [
        d
        for d in compare_metadata(context, Base.metadata)
        if d[0] != "remove_table" and not (d[0] == "remove_index" and d[1].name == TRIGRAM_INDEX)
    ]


async def test_models_and_migrations_agree(db: Database) -> None:
    async with db.engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == [], "add a migration: alembic revision --autogenerate"
    assert await current_revision(db.engine) == head_revision()


async def test_sqlite_runs_in_wal_mode_with_busy_timeout(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite pragmas")
    async with db.engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 10_000
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1


def test_the_head_read_from_the_revision_files_is_alembics() -> None:
    assert head_from_files() == head_revision() is not None


_START = """
import asyncio, sys
from bot.db.engine import create_engine
from bot.db.migrate import current_revision, upgrade
engine = create_engine(sys.argv[1])
asyncio.run(upgrade(engine))
print("alembic" in sys.modules, asyncio.run(current_revision(engine)))
"""


@pytest.mark.slow
def test_a_start_on_a_current_database_does_not_load_alembic(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """The performance budget (start-up ≤ 2 s): Alembic is imported only when there is something to
    do."""
    current = tmp_path / "current.sqlite3"
    current.write_bytes(sqlite_template.read_bytes())
    empty = tmp_path / "empty.sqlite3"
    outcomes = []
    for path in (current, empty, empty):  # at head; new (migrated); at head again
        done = subprocess.run(
            [sys.executable, "-c", _START, f"sqlite+aiosqlite:///{path}"],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        outcomes.append(done.stdout.split())
    head = head_revision()
    assert outcomes == [["False", head], ["True", head], ["False", head]]


async def test_everyone_registered_before_admission_stays_a_member(tmp_path: Path) -> None:
    """R4: the admission migration keeps every known person admitted (an existing deployment
    does not lock its people out)."""
    from bot.db.engine import create_engine
    from bot.db.migrate import upgrade

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        await upgrade(engine, "0012")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO people (telegram_id, first_name, created_at, updated_at) "
                    "VALUES (1, 'Mei', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
        await upgrade(engine)
        async with engine.connect() as conn:
            admission = (await conn.execute(text("SELECT admission FROM people"))).scalar()
        assert admission == "admitted"
    finally:
        await engine.dispose()
