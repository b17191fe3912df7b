"""search_bigrams, search_texts, saved_searches: /find's own index, filled for existing records

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import bot.db.base
from bot.search import backfill

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    bigram_table = op.create_table('search_bigrams',
    sa.Column('bigram', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('bigram', 'kind', 'record_id', name=op.f('pk_search_bigrams'))
    )
    text_table = op.create_table('search_texts',
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'record_id', name=op.f('pk_search_texts'))
    )
    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_saved_searches_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_searches_person_id'), ['person_id'], unique=False)
    _backfill(bigram_table, text_table)


def _backfill(bigram_table: Any, text_table: Any) -> None:
    """Existing records become findable by the same texts new ones are indexed by."""
    bind = op.get_bind()
    for sql, chunk in ((backfill.INCIDENTS_SQL, "incidents"), (backfill.EVENTS_SQL, "events")):
        after = 0
        while True:
            found = bind.execute(sa.text(sql), {"after": after, "n": BATCH}).all()
            if not found:
                break
            last = found[-1][0]
            if chunk == "incidents":
                later = bind.execute(sa.text(backfill.LATER_SQL),
                                     {"after": after, "last": last}).all()
                texts, grams = backfill.incident_chunk(found, later)
            else:
                texts, grams = backfill.event_chunk(found)
            op.bulk_insert(text_table, texts)
            if grams:
                op.bulk_insert(bigram_table, grams)
            after = last


def downgrade() -> None:
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_searches_person_id'))
    op.drop_table('saved_searches')
    op.drop_table('search_texts')
    op.drop_table('search_bigrams')
