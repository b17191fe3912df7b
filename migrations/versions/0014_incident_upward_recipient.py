"""incidents: to whom the report to the higher department went (P3, C8)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reported_upward_to', sa.Text(), nullable=True))
    # Reports made before: the recipient was kept on the first timeline entry (data "to").
    to = (
        "t.data->>'to'"
        if op.get_bind().dialect.name == "postgresql"
        else "json_extract(t.data, '$.to')"
    )
    op.execute(
        f"UPDATE incidents SET reported_upward_to = (SELECT {to} FROM incident_timeline t "
        "WHERE t.incident_id = incidents.id AND t.kind = 'reported_upward' "
        "ORDER BY t.id LIMIT 1) WHERE reported_upward_at IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('reported_upward_to')
