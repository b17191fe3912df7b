"""Shared fixtures: a real database (SQLite always, PostgreSQL when reachable) and a clock.

PostgreSQL: DUTYDESK_TEST_POSTGRES_URL (default the local server's `test` database). When it
cannot be reached the PostgreSQL variants are skipped with the reason, unless
DUTYDESK_TEST_REQUIRE_POSTGRES=1 (set by CI), which turns that into a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import text

from bot.clock import MovableClock
from bot.config import Settings
from bot.db.base import Base, import_all_models
from bot.db.engine import Database, create_engine
from bot.db.migrate import upgrade
from bot.deps import Deps
from bot.policy.load import load
from tests.support.database import PG_URL, REQUIRE_PG, T0, open_door, pg_reachable, run_in_thread

# No property test is timed: speed is measured by the bench, and on a loaded 2-core machine a
# first example can take longer than Hypothesis's 200 ms default deadline.
settings.register_profile("dutydesk", deadline=None)
settings.load_profile("dutydesk")

os.environ.setdefault("PTB_TIMEDELTA", "1")  # as bot.app does: retry_after is a timedelta


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """A schema of our own in the PostgreSQL database, migrated once for the whole run."""
    problem = run_in_thread(pg_reachable())
    if problem is not None:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL required but not reachable at {PG_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} ({problem}); SQLite ran instead")
    schema = f"dd_test_{uuid.uuid4().hex[:10]}"

    async def setup() -> None:
        engine = create_engine(PG_URL)
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await engine.dispose()
        engine = pg_engine(schema)
        await upgrade(engine)
        await engine.dispose()

    async def teardown() -> None:
        engine = create_engine(PG_URL)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()

    run_in_thread(setup())
    yield schema
    run_in_thread(teardown())


def pg_engine(schema: str):  # type: ignore[no-untyped-def]
    return create_engine(PG_URL, connect_args={"server_settings": {"search_path": schema}})


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for every test (migrating each time would be slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"

    async def setup() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        async with engine.connect() as conn:
            await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        await engine.dispose()

    run_in_thread(setup())
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(T0)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, admin_ids=(9001,), _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def db(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[Database]:
    """A migrated, empty database on the backend of this test's parameter."""
    if backend == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(sqlite_template, path)
        database = Database(create_engine(f"sqlite+aiosqlite:///{path}"))
    else:
        schema = request.getfixturevalue("pg_schema")
        database = Database(pg_engine(schema))
        import_all_models()
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        async with database.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield database
    await database.dispose()


@pytest.fixture
def deps(db: Database, settings: Settings, clock: MovableClock) -> Deps:
    return Deps(settings=settings, db=db, clock=clock, policy=open_door(load(None)))
