"""The bigram index /find reads, and the searches whose pages its buttons name.

Chinese has no spaces and its commonest search words have two characters (舆情, 网信), which
neither FTS5's trigram tokenizer nor pg_trgm can narrow (docs/decisions/009-search.md): the
bot keeps its own character bigrams, the same on both backends, written in each record's own
transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base

# PostgreSQL only, where pg_trgm can be had (migration 0023): not in the models, which
# describe what every database has; the planner uses it for a LIKE of 3 characters or more.
TRIGRAM_INDEX = "ix_search_texts_trgm"
INCIDENT = "inc"
EVENT = "evt"
MEETING = "mtg"


class SearchBigram(Base):
    """One bigram of one record's text; the primary key serves the look-up by bigram."""

    __tablename__ = "search_bigrams"

    bigram: Mapped[str] = mapped_column(String(2), primary_key=True)
    kind: Mapped[str] = mapped_column(String(3), primary_key=True)  # inc | evt | mtg
    record_id: Mapped[int] = mapped_column(primary_key=True)


class SearchText(Base):
    """All searchable text of one record, lower-cased: the LIKE that confirms a candidate."""

    __tablename__ = "search_texts"

    kind: Mapped[str] = mapped_column(String(3), primary_key=True)
    record_id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class SavedSearch(Base):
    """What a person asked /find, so a page button carries an id and never the words."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    query: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
