"""The update inbox: what Telegram sent, kept until it was handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class InboxUpdate(Base):
    __tablename__ = "inbox"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime]
    # The update as Telegram sent it, to hand it to the handlers again after a crash.
    payload: Mapped[dict[str, Any]]
    # Times handling began: an update that crashed the process this often is not tried again.
    attempts: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None] = mapped_column(index=True)
