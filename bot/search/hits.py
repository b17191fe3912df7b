"""The line of each record /find found: what it is, when, its status and the start of its
text; the records of a page read in one query per kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.models import Meeting
from bot.events.models import EventRequest
from bot.incidents.models import Incident
from bot.search.models import EVENT, INCIDENT, MEETING

EXCERPT = 40  # characters of the record's first text on its line


@dataclass(frozen=True)
class Hit:
    """One record found, as its line shows it."""

    kind: str  # inc | evt | mtg
    id: int
    ref: str
    at: datetime
    category: str  # incident kind, event type, meeting kind
    severity: str | None
    status: str
    excerpt: str


async def hits_of(session: AsyncSession, rows: list[Any], zone: ZoneInfo) -> list[Hit]:
    """The lines of the records `rows` name (kind and id, in their order), each read once."""
    inc_ids = [r.rid for r in rows if r.rk == INCIDENT]
    evt_ids = [r.rid for r in rows if r.rk == EVENT]
    mtg_ids = [r.rid for r in rows if r.rk == MEETING]
    meetings = (
        {m.id: m for m in await session.scalars(select(Meeting).where(Meeting.id.in_(mtg_ids)))}
        if mtg_ids
        else {}
    )
    incidents = (
        {i.id: i for i in await session.scalars(select(Incident).where(Incident.id.in_(inc_ids)))}
        if inc_ids
        else {}
    )
    events = (
        {
            e.id: e
            for e in await session.scalars(select(EventRequest).where(EventRequest.id.in_(evt_ids)))
        }
        if evt_ids
        else {}
    )
    hits = []
    for r in rows:
        if r.rk == INCIDENT:
            i = incidents[r.rid]
            hits.append(
                Hit(
                    INCIDENT,
                    i.id,
                    i.ref,
                    i.reported_at,
                    i.kind,
                    i.severity,
                    i.status,
                    _excerpt(i.what),
                )
            )
        elif r.rk == EVENT:
            e = events[r.rid]
            hits.append(
                Hit(
                    EVENT,
                    e.id,
                    e.ref,
                    e.requested_at,
                    e.event_type,
                    None,
                    e.status,
                    _excerpt(e.title),
                )
            )
        else:
            m = meetings[r.rid]
            held = datetime.combine(m.held_on, time(), zone)
            hits.append(Hit(MEETING, m.id, m.ref, held, m.kind, None, "held", _excerpt(m.title)))
    return hits


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[: EXCERPT - 1] + "…"
