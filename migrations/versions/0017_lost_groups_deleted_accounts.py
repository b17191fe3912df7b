"""chat_bindings: a group that removed the bot is marked lost, with what it missed meanwhile;
people: an account Telegram says is deleted

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('chat_bindings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('lost_at', bot.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('missed', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('deleted_at', bot.db.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
    with op.batch_alter_table('chat_bindings', schema=None) as batch_op:
        batch_op.drop_column('missed')
        batch_op.drop_column('lost_at')
