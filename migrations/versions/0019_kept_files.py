"""kept_files: the office's own copy of every file sent into a record

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kept_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.String(length=256), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=256), nullable=True),
    sa.Column('mime_type', sa.String(length=128), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('received_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('not_before', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('kept_at', bot.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['sender_id'], ['people.id'], name=op.f('fk_kept_files_sender_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_files')),
    sa.UniqueConstraint('file_id', name=op.f('uq_kept_files_file_id'))
    )
    with op.batch_alter_table('kept_files', schema=None) as batch_op:
        batch_op.create_index('ix_kept_files_due', ['status', 'not_before'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_files_sha256'), ['sha256'], unique=False)
    # Files already on record (sent before the office kept copies) are queued now: Telegram
    # may still have them. (Event requests' files, JSON inside each request, are not queued
    # here: reading JSON differs between the two databases.)
    for table, kind, sender in (
        ('incident_attachments a JOIN incidents i ON i.id = a.incident_id', 'a.kind',
         'i.reporter_id'),
        ('meeting_files a JOIN meetings i ON i.id = a.meeting_id', 'a.file_kind',
         'i.recorded_by_id'),
    ):
        op.execute(
            f"INSERT INTO kept_files (file_id, kind, name, size, sender_id, received_at, status, "
            f"attempts, not_before) SELECT a.file_id, MIN({kind}), MIN(a.name), "
            f"{'MIN(a.size)' if 'incident' in table else 'NULL'}, MIN({sender}), "
            f"CURRENT_TIMESTAMP, 'fetching', 0, CURRENT_TIMESTAMP FROM {table} "
            f"WHERE a.file_id NOT IN (SELECT file_id FROM kept_files) GROUP BY a.file_id"
        )


def downgrade() -> None:
    with op.batch_alter_table('kept_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_files_sha256'))
        batch_op.drop_index('ix_kept_files_due')
    op.drop_table('kept_files')
