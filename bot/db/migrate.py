"""Apply Alembic migrations from code: at start-up and by `dutydesk db upgrade`.

Alembic is imported only when there is something to migrate: a database already at the head
revision (every start but the first after an upgrade) is recognised from the revision files
and the `alembic_version` table alone. Importing Alembic (and Mako under it) was a fifth of
the bot's start-up time (docs/decisions/006-performance.md: ~0.3 s of ~2 s on a busy machine).
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
VERSIONS = Path(migrations.__file__).parent / "versions"
_ASSIGNED = re.compile(r"^(down_revision|revision)\b[^=]*=\s*['\"]?([\w.-]+|None)['\"]?", re.M)


@cache
def head_from_files() -> str | None:
    """The single head revision, read from the revision files as Alembic writes them (None if
    they do not make one line: Alembic itself decides then)."""
    revisions, parents = set(), set()
    for path in VERSIONS.glob("*.py"):
        found = dict(_ASSIGNED.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision", "None") != "None":
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(connection: Connection) -> bool:
    head = head_from_files()
    if head is None or not inspect(connection).has_table("alembic_version"):
        return False
    versions = list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return versions == [head]


def alembic_config() -> Config:
    """Alembic's configuration, pointing at the migrations shipped with the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    if revision == "head" and _at_head(connection):
        return
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    log.info("upgrading the database schema to %s", head_from_files() or revision)
    command.upgrade(config, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database to `revision` in one transaction (PostgreSQL: one instance at a
    time)."""
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Two instances starting together: the second waits, then finds nothing to do.
            from bot.db.leader import MIGRATION_KEY

            await connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_KEY})
        await connection.run_sync(_upgrade, revision)


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at; None before the first migration."""
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


def head_revision() -> str | None:
    """The newest revision the package's migrations know."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
