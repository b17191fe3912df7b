"""indexes for the scheduler's sweeps, measured on 200,000 incidents and 50,000 events (issue 8)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_incidents_unacknowledged", "incidents", ["acknowledged_at", "id"])
    op.create_index(
        "ix_incidents_update_due_at",
        "incidents",
        ["update_due_at"],
        sqlite_where=sa.text("update_due_at IS NOT NULL"),
        postgresql_where=sa.text("update_due_at IS NOT NULL"),
    )
    op.create_index(
        "ix_incidents_secretary_due",
        "incidents",
        ["needs_secretary_ack", "secretary_ack_at", "status", "reported_at"],
    )
    op.create_index("ix_event_requests_status_id", "event_requests", ["status", "id"])
    op.create_index(
        "ix_event_requests_lapse_due", "event_requests", ["status", "lapsed_at", "starts_at"]
    )
    op.create_index(
        "ix_event_requests_followup_due",
        "event_requests",
        ["status", "starts_at"],
        sqlite_where=sa.text("followup_asked_at IS NULL"),
        postgresql_where=sa.text("followup_asked_at IS NULL"),
    )


def downgrade() -> None:
    for table, name in (
        ("event_requests", "ix_event_requests_followup_due"),
        ("event_requests", "ix_event_requests_lapse_due"),
        ("event_requests", "ix_event_requests_status_id"),
        ("incidents", "ix_incidents_secretary_due"),
        ("incidents", "ix_incidents_update_due_at"),
        ("incidents", "ix_incidents_unacknowledged"),
    ):
        op.drop_index(name, table_name=table)
