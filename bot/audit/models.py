"""Audit entries: who did what, to what, when, under which clause."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    # None: the bot itself (escalations, bootstrap from configuration).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    # The clause of the regulation this step serves (docs/clauses.md), e.g. "R4", "L4".
    clause: Mapped[str | None] = mapped_column(String(8), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
