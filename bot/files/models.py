"""Every file a person sent into a record, and whether the office keeps its own copy."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class FileStatus(StrEnum):
    FETCHING = "fetching"  # queued or being fetched from Telegram (retried with backoff)
    KEPT = "kept"  # the bytes are under the files directory, named by their SHA-256
    NOT_KEPT = "not_kept"  # could not be kept: `reason` says why


class NotKept(StrEnum):
    TOO_BIG = "too_big"  # larger than the Bot API lets a bot download
    GONE = "gone"  # Telegram no longer has it (invalid file_id)
    FAILED = "failed"  # given up after repeated failures (last_error)


class KeptFile(Base):
    """One file as Telegram gave it (by its file_id), and the office's copy of it.

    The record (incident attachment, event request, meeting) names the file by its file_id;
    this row says whether its bytes are kept and where: content-addressed, so the same bytes
    sent twice are stored once and any change to them is seen by `dutydesk files verify`.
    """

    __tablename__ = "kept_files"
    __table_args__ = (Index("ix_kept_files_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[str] = mapped_column(String(256), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # photo | document
    name: Mapped[str | None] = mapped_column(String(256))
    mime_type: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=FileStatus.FETCHING)
    reason: Mapped[str | None] = mapped_column(String(16))  # NotKept, when not kept
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    kept_at: Mapped[datetime | None]
