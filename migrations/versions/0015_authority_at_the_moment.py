"""people leave (deactivated), and each incident assignment says where it came from and when it
ended, so authority is judged from what a person holds at the moment of acting (R4, L5)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('deactivated_at', bot.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('deactivated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_people_deactivated_by_id_people', 'people', ['deactivated_by_id'], ['id']
        )
    with op.batch_alter_table('incident_handlers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('ended_at', bot.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('ended_reason', sa.String(length=24), nullable=True))
        batch_op.create_foreign_key(
            'fk_incident_handlers_grant_id_role_grants', 'role_grants', ['grant_id'], ['id']
        )
        batch_op.create_foreign_key(
            'fk_incident_handlers_added_by_id_people', 'people', ['added_by_id'], ['id']
        )
    # Assignments made by routing or escalation came from a role: the person's grant of that
    # role when it was made (the newest such grant), so revoking it ends them.
    op.execute(
        "UPDATE incident_handlers SET grant_id = (SELECT MAX(g.id) FROM role_grants g "
        "WHERE g.person_id = incident_handlers.person_id AND g.role = incident_handlers.role "
        "AND g.granted_at <= incident_handlers.added_at) "
        "WHERE role IS NOT NULL AND reason IN ('routed', 'escalated')"
    )


def downgrade() -> None:
    with op.batch_alter_table('incident_handlers', schema=None) as batch_op:
        batch_op.drop_constraint('fk_incident_handlers_added_by_id_people', type_='foreignkey')
        batch_op.drop_constraint('fk_incident_handlers_grant_id_role_grants', type_='foreignkey')
        batch_op.drop_column('ended_reason')
        batch_op.drop_column('ended_at')
        batch_op.drop_column('added_by_id')
        batch_op.drop_column('grant_id')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint('fk_people_deactivated_by_id_people', type_='foreignkey')
        batch_op.drop_column('deactivated_by_id')
        batch_op.drop_column('deactivated_at')
