"""Policies loaded through the chat: kept, so the one in force survives a restart."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class PolicyVersion(Base):
    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(String(256))
    loaded_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    loaded_at: Mapped[datetime]
