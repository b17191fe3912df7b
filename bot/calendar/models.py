"""Meetings that were held, the reminders that went out, and personal snoozes.

A reminder's occurrence key is unique: it is claimed in the same transaction that queues its
messages, so no reminder goes out twice, even with two schedulers racing on one database.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.refs import reference

MTG = "MTG"  # a meeting's reference: MTG-2026-0007


class MeetingKind(StrEnum):
    QUARTERLY_REVIEW = "quarterly_review"  # A2 (A1: with the information collected for it)
    DEDICATED = "dedicated"  # R2: the secretary's dedicated meetings, at least two a year
    STUDY = "study"  # R3, P4
    FORWARD_ANALYSIS = "forward_analysis"  # A3: before a sensitive date, or ad hoc
    OTHER = "other"


# Short codes for buttons and deep links (/start meeting-st): never change a released code.
KIND_CODES = {
    "qr": MeetingKind.QUARTERLY_REVIEW,
    "dm": MeetingKind.DEDICATED,
    "st": MeetingKind.STUDY,
    "fa": MeetingKind.FORWARD_ANALYSIS,
    "ot": MeetingKind.OTHER,
}
CODE_OF = {kind: code for code, kind in KIND_CODES.items()}

MEETING_CLAUSES = {
    MeetingKind.QUARTERLY_REVIEW: "A2",
    MeetingKind.DEDICATED: "R2",
    MeetingKind.STUDY: "R3",
    MeetingKind.FORWARD_ANALYSIS: "A3",
    MeetingKind.OTHER: "R7",
}


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_kind_held_on", "kind", "held_on"),
        UniqueConstraint("year", "number", name="uq_meetings_year_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # MTG-<year>-<number:04d>: numbered per year of the day it was held, in the order recorded
    # (those recorded before references existed: in the order they were held).
    year: Mapped[int]
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24))
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(Text, default="")
    # Quarterly review: the keys of the policy's topic areas that were covered (A2).
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A2: per area, {"conclusion": text} or {"not_discussed": reason}. An area of the policy
    # not in `topics` leaves the review held, incomplete: it does not meet the quarter.
    conclusions: Mapped[dict[str, dict[str, str]]] = mapped_column(
        JSON, default=dict, server_default="{}"
    )
    # Study session: the policy's study materials it named, as they read then (R3; R8, P4 by
    # each material's clauses): [{"key", "name", "name_en", "clauses"}].
    studied: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    # Forward-looking analysis: the sensitive date it prepared (A3); empty for an ad-hoc one.
    sensitive_key: Mapped[str | None] = mapped_column(String(32))
    sensitive_on: Mapped[date | None]
    # A1: the information reports collected for a quarterly review (incident ids).
    inputs: Mapped[list[int]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime]

    @property
    def ref(self) -> str:
        return reference(MTG, self.year, self.number)


class MeetingAttendee(Base):
    __tablename__ = "meeting_attendees"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)


class MeetingFile(Base):
    """Minutes or photos, kept by their Telegram file_id."""

    __tablename__ = "meeting_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    file_id: Mapped[str] = mapped_column(String(256))
    file_kind: Mapped[str] = mapped_column(String(16))  # photo | document
    name: Mapped[str] = mapped_column(String(256), default="")


class Occurrence(Base):
    """One reminder (or lapse, or digest) that fell due: sent, or found not needed."""

    __tablename__ = "calendar_occurrences"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(96), unique=True)
    obligation: Mapped[str] = mapped_column(String(24))
    clause: Mapped[str] = mapped_column(String(8))
    due_at: Mapped[datetime]
    fired_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(16))  # sent | not_needed
    late: Mapped[bool] = mapped_column(default=False)


class Snooze(Base):
    """ "Remind me tomorrow": one person, one reminder, one moment."""

    __tablename__ = "calendar_snoozes"
    __table_args__ = (UniqueConstraint("person_id", "key", "due_at", name="uq_snooze"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    key: Mapped[str] = mapped_column(String(96))
    due_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class CalendarState(Base):
    """Named moments: 'epoch' is when the calendar first ran (nothing older is sent)."""

    __tablename__ = "calendar_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime]
