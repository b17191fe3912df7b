"""outbox: when the admins were told that a message failed or may not have arrived

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True))
    # What ended failed or uncertain before this revision was only in the log: it is not
    # announced now, weeks late, as if it had just happened.
    op.execute(
        "UPDATE outbox SET alerted_at = created_at WHERE status IN ('failed', 'uncertain')"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("alerted_at")
