"""admission of people and invitations (R4)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Everyone already registered stays a member: the server default admits existing rows.
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("admission", sa.String(length=16), server_default="admitted", nullable=False)
        )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("committee_id", sa.Integer(), nullable=True),
        sa.Column("max_uses", sa.Integer(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("expires_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["committee_id"], ["committees.id"], name=op.f("fk_invitations_committee_id_committees")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["people.id"], name=op.f("fk_invitations_created_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["people.id"], name=op.f("fk_invitations_revoked_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invitations_code_hash")),
    )


    # /acting: revoked by whom; the appointee told when the appointment starts and ends.
    with op.batch_alter_table('acting_approvers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('start_told_at', bot.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('end_told_at', bot.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_acting_approvers_revoked_by_id_people'), 'people', ['revoked_by_id'], ['id'])

    # The inspector (R7, C): reads the ledger for a limited time, nothing else.
    op.create_table('inspector_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_until', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('period_first', sa.String(length=10), nullable=True),
    sa.Column('period_last', sa.String(length=10), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', bot.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['granted_by_id'], ['people.id'], name=op.f('fk_inspector_grants_granted_by_id_people')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_inspector_grants_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspector_grants'))
    )
    with op.batch_alter_table('inspector_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspector_grants_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inspector_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspector_grants_person_id'))
    op.drop_table('inspector_grants')
    with op.batch_alter_table('acting_approvers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_acting_approvers_revoked_by_id_people'), type_='foreignkey')
        batch_op.drop_column('end_told_at')
        batch_op.drop_column('start_told_at')
        batch_op.drop_column('revoked_by_id')
    op.drop_table("invitations")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("admission")
