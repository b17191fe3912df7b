"""Alembic environment: runs on the connection bot.db.migrate hands over (async engine)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bot.db.base import Base, import_all_models

import_all_models()
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode recreates tables (Alembic's render_as_batch).
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `dutydesk db upgrade` (bot.db.migrate)")
_run(connection)
