"""Declarative base and column types shared by every domain package."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Named constraints, so Alembic migrations (batch mode on SQLite) can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored in UTC on every backend.

    SQLite keeps no time zone: without this 09:00 Shanghai would come back naive and be shown as
    17:00 (docs/decisions/001-telegram-limits.md). Naive values are refused on the way in, UTC is
    re-attached on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use the clock (aware UTC)")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


def import_all_models() -> None:
    """Import every models module so Base.metadata knows all tables (Alembic, tests)."""
    from bot.audit import models as _audit  # noqa: F401
    from bot.calendar import models as _calendar  # noqa: F401
    from bot.chats import models as _chats  # noqa: F401
    from bot.db import lease as _lease  # noqa: F401
    from bot.drafts import models as _drafts  # noqa: F401
    from bot.events import models as _events  # noqa: F401
    from bot.files import models as _files  # noqa: F401
    from bot.inbox import models as _inbox  # noqa: F401
    from bot.incidents import models as _incidents  # noqa: F401
    from bot.outbox import models as _outbox  # noqa: F401
    from bot.people import models as _people  # noqa: F401
    from bot.policy import models as _policy  # noqa: F401
    from bot.register import models as _register  # noqa: F401
    from bot.search import models as _search  # noqa: F401
