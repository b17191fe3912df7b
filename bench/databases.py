"""The bench's databases: fresh ones per run, and a seeded one (a large organisation, made once
per bench run by bench.seed) that each at-scale run starts from."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from bench.seed import seed
from bench.sweep import measure_sweep


async def seeded_sqlite(root: Path, sizes: tuple[int, int, int]) -> Path:
    """A SQLite database in `root`, seeded afresh with `sizes` (people, incidents, events) by
    bench.seed; returns its path."""
    path = root / "seeded.sqlite3"
    path.unlink(missing_ok=True)
    people, incidents, events = sizes
    await seed(
        f"sqlite+aiosqlite:///{path}",
        people=people,
        incidents=incidents,
        events=events,
        progress=_say,
    )
    return path


def copy_sqlite(source: Path, target: Path) -> str:
    """Copy the SQLite file `source` to `target`; returns the URL of the copy."""
    shutil.copyfile(source, target)
    return f"sqlite+aiosqlite:///{target}"


async def sweep(target: Path | str) -> float:
    """Median milliseconds of the scheduler's sweeps (incidents and events) on `target`."""
    url = f"sqlite+aiosqlite:///{target}" if isinstance(target, Path) else target
    result = await measure_sweep(url, runs=20)
    return result.median_ms


@dataclass
class Postgres:
    url: str  # any database on the server; the bench makes its own beside it
    # The smoke bench (in the test suite) has its own, so a test run beside a full bench, or
    # after it, leaves the full bench's databases alone.
    prefix: str = "dutydesk_bench_"

    def _named(self, name: str) -> str:
        return (
            make_url(self.url)
            .set(database=self.prefix + name)
            .render_as_string(hide_password=False)
        )

    async def _admin(self, sql: str) -> None:
        u = make_url(self.url)
        conn = await asyncpg.connect(
            host=u.host,
            port=u.port or 5432,
            user=u.username,
            password=u.password,
            database=u.database,
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def create(self, name: str, template: str | None = None) -> str:
        await self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}{name}" WITH (FORCE)')
        like = f' TEMPLATE "{self.prefix}{template}"' if template else ""
        await self._admin(f'CREATE DATABASE "{self.prefix}{name}"{like}')
        return self._named(name)

    async def copy(self, name: str, template: str = "seeded") -> str:
        """A fresh copy of the seeded database: each run starts from the same one (a reused
        one would also remember the previous run's update ids in its inbox and skip them)."""
        return await self.create(name, template)

    async def seeded(self, sizes: tuple[int, int, int]) -> str:
        url = await self.create("seeded")
        people, incidents, events = sizes
        await seed(url, people=people, incidents=incidents, events=events, progress=_say)
        return url


async def postgres(url: str, prefix: str = "dutydesk_bench_") -> Postgres | None:
    """The server behind `url`, or None when it does not answer."""
    pg = Postgres(url, prefix)
    try:
        await pg._admin("SELECT 1")
    except (OSError, asyncpg.PostgresError):
        return None
    return pg


def _say(text: str) -> None:
    print(f"  seeding: {text}", flush=True)
