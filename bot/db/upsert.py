"""INSERT … ON CONFLICT in the dialect of the database (SQLite and PostgreSQL both have it,
with the same SQLAlchemy API): one statement where a look and a write were two."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

DIALECTS = ("sqlite", "postgresql")


def insert_for(dialect: str, model: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for `model` in `dialect` (a Database's `dialect`); build it once, at import."""
    return postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model)
