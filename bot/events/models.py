"""Event requests and the history of their versions (R6).

Every moment the ledger needs is a column: requested, reviewed, decided (by whom, how, why),
filed with the publicity department (date, reference), cleared, withdrawn, cancelled.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.refs import reference


class EventStatus(StrEnum):
    ORGANISER = "organiser"  # waiting for the named organiser to confirm (R6: they answer for it)
    IN_REVIEW = "in_review"  # with the committee head (L3)
    PENDING = "pending"  # with the approver (secretary, or deputy: L2)
    CHANGES_REQUESTED = "changes_requested"  # back with the requester
    APPROVED = "approved"  # approved, not yet filed: may not be held yet (R6)
    CLEARED = "cleared"  # approved and filed with the city publicity department
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"  # by the office after approval, a recorded step of its own


OPEN = (
    EventStatus.ORGANISER,
    EventStatus.IN_REVIEW,
    EventStatus.PENDING,
    EventStatus.CHANGES_REQUESTED,
)


class EventRequest(Base):
    __tablename__ = "event_requests"
    __table_args__ = (
        UniqueConstraint("year", "number", name="uq_event_requests_year_number"),
        Index("ix_event_requests_status_starts", "status", "starts_at"),
        # The event sweep's queries on 50,000 events (bench/sweep.py; see incidents.models).
        Index("ix_event_requests_status_id", "status", "id"),  # pending, filing (R6)
        Index("ix_event_requests_lapse_due", "status", "lapsed_at", "starts_at"),  # R6 lapses
        Index(
            "ix_event_requests_followup_due",
            "status",
            "starts_at",
            sqlite_where=text("followup_asked_at IS NULL"),
            postgresql_where=text("followup_asked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    number: Mapped[int]  # EVT-<year>-<number:04d>
    version: Mapped[int] = mapped_column(default=1)
    event_type: Mapped[str] = mapped_column(String(16))  # report_meeting|seminar|lecture|forum
    title: Mapped[str] = mapped_column(Text)
    requester_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)  # R6
    starts_at: Mapped[datetime]
    venue: Mapped[str] = mapped_column(Text)
    audience: Mapped[int]
    speakers: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    outline: Mapped[str] = mapped_column(Text)
    speakers_vetted: Mapped[bool] = mapped_column(default=False)  # R6: explicit confirmation
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    short_lead: Mapped[bool] = mapped_column(default=False)  # less lead time than the policy
    status: Mapped[str] = mapped_column(String(20))
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"))
    requested_at: Mapped[datetime] = mapped_column(index=True)  # /find: newest first
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    approver_reminded_at: Mapped[datetime | None]  # each working morning while pending
    deputy_escalated_at: Mapped[datetime | None]  # pending past the policy's limit (L2)
    filing_reminded_at: Mapped[datetime | None]  # approved, filing deadline reached
    filing_escalated_at: Mapped[datetime | None]  # still not filed a day later: the deputy
    eve_reminded_at: Mapped[datetime | None]  # the organiser, the day before
    lapsed_at: Mapped[datetime | None]  # R6: the date passed without clearance
    followup_asked_at: Mapped[datetime | None]  # the organiser asked how it went
    outcome: Mapped[str | None] = mapped_column(String(16))  # held | not_held | incident
    outcome_at: Mapped[datetime | None]
    filed_at: Mapped[datetime | None]
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    filing_date: Mapped[str | None] = mapped_column(String(10))  # the date on the filing
    filing_ref: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None]  # withdrawn, rejected or cancelled

    @property
    def ref(self) -> str:
        return reference("EVT", self.year, self.number)


class EventVersion(Base):
    """What the request said at each submission: the history an inspector can read."""

    __tablename__ = "event_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event_requests.id"), index=True)
    version: Mapped[int]
    submitted_at: Mapped[datetime]
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class ActingApprover(Base):
    """Somebody the secretary named to decide on events while she is away (R6, L2)."""

    __tablename__ = "acting_approvers"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    first_day: Mapped[str] = mapped_column(String(10))  # ISO dates in the organisation's zone
    last_day: Mapped[str] = mapped_column(String(10))
    named_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    named_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # The appointee is told when the appointment starts and when it ends (stamped once each).
    start_told_at: Mapped[datetime | None]
    end_told_at: Mapped[datetime | None]
