"""meetings.conclusions: the quarterly review's conclusion, or why not discussed, per area (A2);
meetings.studied: the study materials a study session named (R3, R8, P4)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("conclusions", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("studied", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("studied")
        batch.drop_column("conclusions")
