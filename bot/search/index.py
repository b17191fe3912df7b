"""Keeping the bigram index: called inside the transaction that writes the record's text, so a
record is findable exactly when it exists, and each later text (an update, a closing summary, a
resubmission) adds to what it can be found by; nothing is ever taken away."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.models import Meeting
from bot.db.upsert import insert_for
from bot.events.models import EventRequest
from bot.search.models import EVENT, INCIDENT, MEETING, SearchBigram, SearchText


def fold(text: str) -> str:
    """One form for writing and asking: full-width letters and digits as half-width, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def bigrams(text: str) -> set[str]:
    """Every two neighbouring characters within a word (whitespace separates words)."""
    found: set[str] = set()
    for word in fold(text).split():
        found.update(word[i : i + 2] for i in range(len(word) - 1))
    return found


async def add_text(
    session: AsyncSession,
    kind: str,
    record_id: int,
    texts: Iterable[str | None],
    *,
    new: bool = False,
) -> None:
    """Make the record findable by these texts too (in the caller's transaction). `new`: the
    record is being created in this transaction, so it has no text yet: no look-up, which
    would also flush the session early (docs/decisions/006-performance.md)."""
    body = "\n".join(fold(t) for t in texts if t)
    if not body:
        return
    row = None if new else await session.get(SearchText, (kind, record_id))
    if row is None:
        session.add(SearchText(kind=kind, record_id=record_id, text=body))
    else:
        row.text = f"{row.text}\n{body}"
    grams = bigrams(body)
    if grams:
        dialect = session.get_bind().dialect.name
        rows = [{"bigram": g, "kind": kind, "record_id": record_id} for g in sorted(grams)]
        await session.execute(insert_for(dialect, SearchBigram).on_conflict_do_nothing(), rows)


def event_texts(title: str, venue: str, speakers: list[dict[str, str]], outline: str) -> list[str]:
    """The texts of an event request that a search reads: its title, venue, speakers, outline."""
    names = [" ".join(str(v) for v in s.values() if v) for s in speakers]
    return [title, venue, *names, outline]


async def index_incident(
    session: AsyncSession, incident_id: int, *texts: str | None, new: bool = False
) -> None:
    """Index an incident's texts (filed, or added to later), in the caller's transaction."""
    await add_text(session, INCIDENT, incident_id, texts, new=new)


async def index_event(session: AsyncSession, event: EventRequest, *, new: bool = False) -> None:
    """The version as submitted: a resubmission adds its words, the earlier ones stay."""
    texts = event_texts(event.title, event.venue, event.speakers, event.outline)
    await add_text(session, EVENT, event.id, texts, new=new)


def meeting_texts(
    title: str, notes: str, conclusions: dict[str, dict[str, str]], studied: list[dict[str, Any]]
) -> list[str]:
    """A meeting is found by its subject, notes, each area's conclusion or reason (A2) and the
    study materials it named (R3)."""
    said = [text for answer in conclusions.values() for text in answer.values()]
    names = [str(m.get(k) or "") for m in studied for k in ("name", "name_en")]
    return [title, notes, *said, *names]


async def index_meeting(session: AsyncSession, meeting: Meeting, *, new: bool = False) -> None:
    """Index a meeting's record (R2, R3, A2): its subject, minutes, conclusions, materials."""
    texts = meeting_texts(meeting.title, meeting.notes, meeting.conclusions, meeting.studied)
    await add_text(session, MEETING, meeting.id, texts, new=new)
