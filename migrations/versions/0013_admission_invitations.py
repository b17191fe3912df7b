"""admission of people and invitations (R4)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base


revision: str = "0013"
down_revision: str | None = "0012"
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


def downgrade() -> None:
    op.drop_table("invitations")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("admission")
