"""meetings.year, meetings.number: meeting references (MTG-2026-0007), existing meetings numbered
in the order they were held; meetings in /find's index; event_requests.requested_at indexed
(/find reads requests newest first); on PostgreSQL a pg_trgm GIN index on search_texts.text
where the extension can be had (docs/decisions/009-search.md)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 23:00:00
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.search import backfill
from bot.search.models import TRIGRAM_INDEX

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("bot.search")
BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("number", sa.Integer(), nullable=True))
    _number_meetings()
    with op.batch_alter_table("meetings") as batch:
        batch.alter_column("year", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint("uq_meetings_year_number", ["year", "number"])
    with op.batch_alter_table("event_requests") as batch:
        batch.create_index(batch.f("ix_event_requests_requested_at"), ["requested_at"])
    _index_meetings()
    if op.get_bind().dialect.name == "postgresql":
        _trigrams()


def _number_meetings() -> None:
    """Each year's meetings numbered from 1 in the order they were held (then recorded)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, held_on FROM meetings ORDER BY held_on, id")).all()
    numbers: dict[int, int] = {}
    for meeting_id, held_on in rows:
        year = int(str(held_on)[:4])
        numbers[year] = numbers.get(year, 0) + 1
        bind.execute(sa.text("UPDATE meetings SET year = :y, number = :n WHERE id = :id"),
                     {"y": year, "n": numbers[year], "id": meeting_id})


def _index_meetings() -> None:
    """Meetings already recorded become findable by the texts new ones are indexed by."""
    bind = op.get_bind()
    meta = sa.MetaData()
    texts = sa.Table("search_texts", meta, autoload_with=bind)
    grams = sa.Table("search_bigrams", meta, autoload_with=bind)
    after = 0
    while True:
        found = bind.execute(sa.text(backfill.MEETINGS_SQL), {"after": after, "n": BATCH}).all()
        if not found:
            break
        text_rows, gram_rows = backfill.meeting_chunk(found)
        op.bulk_insert(texts, text_rows)
        if gram_rows:
            op.bulk_insert(grams, gram_rows)
        after = found[-1][0]


def _trigrams() -> None:
    """pg_trgm's GIN index serves a LIKE of three characters or more; without the extension
    (not installed, or no right to create it) /find works on its bigrams alone, said here."""
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).first()
    if available is not None:
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
                bind.execute(sa.text(f"CREATE INDEX {TRIGRAM_INDEX} ON search_texts "
                                     "USING gin (text gin_trgm_ops)"))
            return
        except sa.exc.DBAPIError as exc:
            log.warning("pg_trgm could not be used (%s): /find reads its bigram index alone",
                        exc.orig)
            return
    log.warning("pg_trgm is not available on this server: /find reads its bigram index alone")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    op.execute("DELETE FROM search_bigrams WHERE kind = 'mtg'")
    op.execute("DELETE FROM search_texts WHERE kind = 'mtg'")
    with op.batch_alter_table("event_requests") as batch:
        batch.drop_index(batch.f("ix_event_requests_requested_at"))
    with op.batch_alter_table("meetings") as batch:
        batch.drop_constraint("uq_meetings_year_number", type_="unique")
        batch.drop_column("number")
        batch.drop_column("year")
