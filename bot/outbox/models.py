"""The outbox table: messages queued in the transaction of the change that causes them,
delivered after its commit (docs/decisions/005-outbox-guarantees.md)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class OutboxStatus(StrEnum):
    PENDING = "pending"  # to be sent at or after not_before
    SENDING = "sending"  # claimed by the delivery task; a send is in flight
    SENT = "sent"
    HELD = "held"  # the recipient never pressed Start (403): released by their /start
    FAILED = "failed"  # permanent failure (blocked, kicked, chat not found, bad request)
    UNCERTAIN = "uncertain"  # at-most-once message whose send timed out: maybe delivered
    SUPERSEDED = "superseded"  # a step's question the person had moved past: not sent


class Semantics(StrEnum):
    # A duplicate would mislead (e.g. "approved" twice): never resend after a timeout.
    AT_MOST_ONCE = "at_most_once"
    # A loss would hurt (escalations, role changes): resend after a timeout.
    AT_LEAST_ONCE = "at_least_once"


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    # The recipient when the chat is a person's private chat; None for groups.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    # What to say: a template key rendered in the recipient's language at delivery time.
    template: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    buttons: Mapped[list[list[dict[str, str]]] | None] = mapped_column(JSON)
    semantics: Mapped[str] = mapped_column(String(16), default=Semantics.AT_LEAST_ONCE)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # When the admins (and the office, for a decision notice) were told it ended failed or
    # uncertain: once (bot.outbox.lost).
    alerted_at: Mapped[datetime | None]
