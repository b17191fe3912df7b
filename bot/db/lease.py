"""The leader's lease: one row that says which process works, until when, and in which term."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class LeaderLease(Base):
    """Written only by bot.db.leader, through plain statements that any connection pooler
    passes through (a session advisory lock does not survive transaction pooling)."""

    __tablename__ = "leader_lease"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1: one leader per database
    holder: Mapped[str] = mapped_column(String(80))
    # The term: +1 at every take-over, so a leader that lost its lease can never renew it.
    generation: Mapped[int] = mapped_column(BigInteger)
    # The database's clock, not a process's: one clock for every instance.
    expires_at: Mapped[datetime]
