"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.db.base import Base, import_all_models
from bot.db.engine import Database
from bot.db.migrate import current_revision, head_revision


def _diff(connection: Connection) -> list[Any]:
    import_all_models()
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [d for d in compare_metadata(context, Base.metadata) if d[0] != "remove_table"]


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
