"""Records that grow, never rewritten: additions, severity changes, reopenings (L4, R2, L1, R7).

incidents: filed_severity, severity_since, ack_limit_in_force_at, first_acknowledged_at,
reopened_at, reopen_count, additions; incident_attachments.entry_id (the addition a file came
with). Existing incidents are backfilled: filed with the severity they have, the L4 limit in
force the one they were filed with, the first acknowledgement the one they have.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, bot.db.base.UTCDateTime(timezone=True), nullable=True)


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("filed_severity", sa.String(length=16), nullable=True))
        batch.add_column(_moment("severity_since"))
        batch.add_column(_moment("ack_limit_in_force_at"))
        batch.add_column(_moment("first_acknowledged_at"))
        batch.add_column(_moment("reopened_at"))
        batch.add_column(sa.Column("reopen_count", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("additions", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE incidents SET filed_severity = severity, ack_limit_in_force_at = ack_limit_at, "
        "first_acknowledged_at = acknowledged_at"
    )
    with op.batch_alter_table("incident_attachments") as batch:
        batch.add_column(sa.Column("entry_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_incident_attachments_entry_id_incident_timeline",
            "incident_timeline", ["entry_id"], ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("incident_attachments") as batch:
        batch.drop_constraint(
            "fk_incident_attachments_entry_id_incident_timeline", type_="foreignkey"
        )
        batch.drop_column("entry_id")
    with op.batch_alter_table("incidents") as batch:
        for name in ("additions", "reopen_count", "reopened_at", "first_acknowledged_at",
                     "ack_limit_in_force_at", "severity_since", "filed_severity"):
            batch.drop_column(name)
