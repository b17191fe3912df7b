"""incidents: the acknowledgement limit as filed (L4), which escalations do not move

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('ack_limit_at', bot.db.base.UTCDateTime(timezone=True), nullable=True)
        )
    # Incidents filed before: never escalated, the limit never moved; escalated, the first
    # escalation came when the limit passed (the sweep's first look after it).
    op.execute("UPDATE incidents SET ack_limit_at = ack_due_at WHERE escalation_level = 0")
    op.execute(
        "UPDATE incidents SET ack_limit_at = (SELECT MIN(t.at) FROM incident_timeline t "
        "WHERE t.incident_id = incidents.id AND t.kind = 'escalated') "
        "WHERE escalation_level > 0"
    )


def downgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('ack_limit_at')
