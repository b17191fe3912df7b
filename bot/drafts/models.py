"""One draft per person: the flow they are in, the step they are at, what they gave so far."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Draft(Base):
    __tablename__ = "drafts"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]
    # The Telegram update that made this step: handed to the handlers again after a crash,
    # it shows the step again instead of advancing it twice (bot.inbox).
    update_id: Mapped[int | None] = mapped_column(BigInteger)
