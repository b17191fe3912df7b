"""search_bigrams, search_texts, saved_searches: /find's own index, filled for existing records

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

import bot.db.base
from bot.search.index import bigrams, fold

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
    later: dict[int, list[str]] = {}
    for incident_id, body in bind.execute(sa.text(
        "SELECT incident_id, text FROM incident_timeline"
        " WHERE kind IN ('update', 'closed', 'reported_upward') AND text IS NOT NULL ORDER BY id"
    )).all():
        later.setdefault(incident_id, []).append(body)
    incidents = bind.execute(sa.text(
        "SELECT id, what, location, actions_taken FROM incidents ORDER BY id"
    )).all()
    docs = [('inc', row[0], [row[1], row[2], row[3], *later.get(row[0], [])]) for row in incidents]
    events = bind.execute(sa.text(
        "SELECT id, title, venue, speakers, outline FROM event_requests ORDER BY id"
    )).all()
    for row in events:
        speakers = row[3] if isinstance(row[3], list) else json.loads(row[3] or "[]")
        names = [" ".join(str(v) for v in s.values() if v) for s in speakers]
        docs.append(('evt', row[0], [row[1], row[2], *names, row[4]]))
    texts: list[dict[str, Any]] = []
    grams: list[dict[str, Any]] = []
    for kind, record_id, parts in docs:
        body = "\n".join(fold(p) for p in parts if p)
        texts.append({'kind': kind, 'record_id': record_id, 'text': body})
        grams += [{'bigram': g, 'kind': kind, 'record_id': record_id} for g in bigrams(body)]
        if len(grams) >= BATCH * 20:
            op.bulk_insert(bigram_table, grams)
            grams = []
    if grams:
        op.bulk_insert(bigram_table, grams)
    for i in range(0, len(texts), BATCH):
        op.bulk_insert(text_table, texts[i : i + BATCH])


def downgrade() -> None:
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_searches_person_id'))
    op.drop_table('saved_searches')
    op.drop_table('search_texts')
    op.drop_table('search_bigrams')
