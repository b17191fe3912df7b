"""Bindings of group chats to their purpose."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class ChatBinding(Base):
    """Which Telegram chat is the organisation group, which the leadership group."""

    __tablename__ = "chat_bindings"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16), unique=True)  # "org" | "leadership"
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    title: Mapped[str] = mapped_column(String(256), default="")
    bound_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    bound_at: Mapped[datetime]
    # Set when the bot was removed from the group (or Telegram refused it there): its notices
    # go where an unbound group's go until it is set up again; `missed` counts what it missed.
    lost_at: Mapped[datetime | None]
    missed: Mapped[int] = mapped_column(default=0, server_default="0")
