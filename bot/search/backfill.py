"""Indexing records that were written without the services: existing records when the index
is created (migration 0020), and the bench's bulk-seeded ones. Reads the same texts the
services index (bot/search/index.py), a chunk of records at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from bot.search.index import bigrams, event_texts, fold, meeting_texts
from bot.search.models import EVENT, INCIDENT, MEETING

INCIDENTS_SQL = (
    "SELECT id, what, location, actions_taken FROM incidents WHERE id > :after ORDER BY id LIMIT :n"
)
LATER_SQL = (
    "SELECT incident_id, text FROM incident_timeline WHERE incident_id > :after"
    " AND incident_id <= :last AND text IS NOT NULL"
    " AND kind IN ('update', 'closed', 'reported_upward') ORDER BY id"
)
EVENTS_SQL = (
    "SELECT id, title, venue, speakers, outline FROM event_requests"
    " WHERE id > :after ORDER BY id LIMIT :n"
)
MEETINGS_SQL = (
    "SELECT id, title, notes, conclusions, studied FROM meetings"
    " WHERE id > :after ORDER BY id LIMIT :n"
)
Row = dict[str, Any]


def rows(kind: str, record_id: int, parts: Sequence[str | None]) -> tuple[Row, list[Row]]:
    """The search_texts row and the search_bigrams rows of one record."""
    body = "\n".join(fold(p) for p in parts if p)
    grams = [{"bigram": g, "kind": kind, "record_id": record_id} for g in sorted(bigrams(body))]
    return {"kind": kind, "record_id": record_id, "text": body}, grams


def incident_chunk(found: Sequence[Any], later: Sequence[Any]) -> tuple[list[Row], list[Row]]:
    """Rows of INCIDENTS_SQL and LATER_SQL → the index rows."""
    more: dict[int, list[str]] = {}
    for incident_id, body in later:
        more.setdefault(incident_id, []).append(body)
    return _collect(rows(INCIDENT, r[0], [r[1], r[2], r[3], *more.get(r[0], [])]) for r in found)


def event_chunk(found: Sequence[Any]) -> tuple[list[Row], list[Row]]:
    """Rows of EVENTS_SQL → the index rows (speakers are JSON text on SQLite)."""
    out = []
    for r in found:
        speakers = r[3] if isinstance(r[3], list) else json.loads(r[3] or "[]")
        out.append(rows(EVENT, r[0], event_texts(r[1], r[2], speakers, r[4])))
    return _collect(iter(out))


def meeting_chunk(found: Sequence[Any]) -> tuple[list[Row], list[Row]]:
    """The rows of MEETINGS_SQL as the index's rows: the texts and their bigrams (JSON columns
    are text on SQLite)."""
    out = []
    for meeting_id, title, notes, conclusions, studied in found:
        texts = meeting_texts(
            title or "", notes or "", _json(conclusions) or {}, _json(studied) or []
        )
        out.append(rows(MEETING, meeting_id, texts))
    return _collect(iter(out))


def _json(value: Any) -> Any:
    return json.loads(value or "null") if isinstance(value, str) else value


def _collect(made: Iterator[tuple[Row, list[Row]]]) -> tuple[list[Row], list[Row]]:
    texts: list[Row] = []
    grams: list[Row] = []
    for text_row, gram_rows in made:
        texts.append(text_row)
        grams += gram_rows
    return texts, grams
