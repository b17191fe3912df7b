"""Incidents, their handlers, their timeline and their attachments.

Every moment the ledger (R7, C1–C12) needs is stored when it happens: reported, acknowledged,
secretary's acknowledgement, escalations, reported upward, contained, closed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base
from bot.db.refs import reference


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (
        # The sweep looks only at open incidents by their next due moment
        # (docs/decisions/006-performance.md: no scans).
        Index("ix_incidents_open_due", "status", "ack_due_at"),
        Index("ix_incidents_update_due", "status", "update_due_at"),
        # Measured on 200,000 incidents (bench/sweep.py): with statistics SQLite walked the
        # table by id for each sweep query, and PostgreSQL's generic plans walked the primary
        # key. These let each query read only what can be due.
        Index("ix_incidents_unacknowledged", "acknowledged_at", "id"),  # L4 escalation
        Index(
            "ix_incidents_update_due_at",
            "update_due_at",
            sqlite_where=text("update_due_at IS NOT NULL"),
            postgresql_where=text("update_due_at IS NOT NULL"),
        ),  # P2 cadence
        Index(
            "ix_incidents_secretary_due",
            "needs_secretary_ack",
            "secretary_ack_at",
            "status",
            "reported_at",
        ),  # R2 reminders
        UniqueConstraint("year", "number", name="uq_incidents_year_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    number: Mapped[int]  # per year: the reference is INC-<year>-<number:04d>
    kind: Mapped[str] = mapped_column(String(24))
    severity: Mapped[str | None] = mapped_column(String(16))  # None for information reports
    status: Mapped[str] = mapped_column(String(16), default="open")
    reporter_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    discovered_at: Mapped[datetime]
    discovered_precision: Mapped[str] = mapped_column(String(8), default="minute")  # or "day"
    location: Mapped[str] = mapped_column(Text)
    actions_taken: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime] = mapped_column(index=True)
    # L4: the limit the policy set when the incident was filed. `ack_due_at` moves on with each
    # escalation (the sweep's next moment); this one never moves, so the ledger can tell.
    ack_limit_at: Mapped[datetime | None]
    ack_due_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    needs_secretary_ack: Mapped[bool] = mapped_column(default=False)  # R2, C2
    secretary_ack_at: Mapped[datetime | None]
    secretary_reminded_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(default=0)  # 0 handlers, then the chain
    escalated_at: Mapped[datetime | None]
    update_due_at: Mapped[datetime | None]  # P2 cadence for major and critical
    update_reminded_at: Mapped[datetime | None]
    last_update_at: Mapped[datetime | None]
    reported_upward_at: Mapped[datetime | None]  # P3, C8
    # To whom (unit and name) that first report went; each report is also on the timeline.
    reported_upward_to: Mapped[str | None] = mapped_column(Text)
    contained_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    closing_summary: Mapped[str | None] = mapped_column(Text)
    # Records that grow, never rewritten (docs/decisions/008-records-grow.md): the severity it
    # was filed with (the ledger's as-filed L4 judgement), since when the severity in force
    # holds, the L4 limit by the severity in force (moved by a change of severity or a
    # reopening; `ack_limit_at` never moves), the first acknowledgement ever (a reopening asks
    # for a new one), the reopenings, and how many additions its reporter made.
    filed_severity: Mapped[str | None] = mapped_column(String(16))
    severity_since: Mapped[datetime | None]
    ack_limit_in_force_at: Mapped[datetime | None]
    first_acknowledged_at: Mapped[datetime | None]
    reopened_at: Mapped[datetime | None]
    reopen_count: Mapped[int] = mapped_column(default=0, server_default="0")
    additions: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def ref(self) -> str:
        return reference("INC", self.year, self.number)

    # Never loaded with the incident: every read of one (a press, a card, a sweep) paid a
    # statement for it and nothing reads it; who handles it is asked of
    # bot/people/authority.py (docs/decisions/006-performance.md).
    handlers: Mapped[list[IncidentHandler]] = relationship(
        lazy="raise", order_by="IncidentHandler.id"
    )


class IncidentHandler(Base):
    """A person who handles an incident: routed by policy, escalated to, pulled in (L5), or
    handed the work of somebody who lost the role. An assignment that came from a role names the
    grant it came from: it stands only while that grant does (bot/people/authority.py)."""

    __tablename__ = "incident_handlers"
    __table_args__ = (UniqueConstraint("incident_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    reason: Mapped[str] = mapped_column(String(24))  # routed | escalated | pulled_in | handed_over
    role: Mapped[str | None] = mapped_column(String(32))
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("role_grants.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # None: the bot
    added_at: Mapped[datetime]
    # Ended when the grant it came from was revoked or the person was deactivated: the row stays
    # (the timeline names them), but it gives no authority any more.
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(24))  # role_revoked | deactivated


class TimelineEntry(Base):
    """One step in an incident's life (the whole life is one timeline)."""

    __tablename__ = "incident_timeline"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # None: the bot
    kind: Mapped[str] = mapped_column(String(24))
    text: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class IncidentAttachment(Base):
    __tablename__ = "incident_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    file_id: Mapped[str] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(16))  # photo | document
    name: Mapped[str | None] = mapped_column(String(256))
    size: Mapped[int | None] = mapped_column(BigInteger)
    # The addition it came with (its timeline entry); None: attached when the report was filed.
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("incident_timeline.id"))
