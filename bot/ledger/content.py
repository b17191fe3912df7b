"""What the records say, for the inspection package (R7): the facts of each incident, event
and meeting the ledger shows, and the files kept as their evidence.

Read only for an export, in the ledger's transaction and for the rows the reader's scope let
through (bot.ledger.service.build): a record the reader may not see is never read here, so its
words and files cannot reach the package.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.models import Meeting, MeetingAttendee, MeetingFile
from bot.events.models import EventRequest
from bot.files.models import FileStatus, KeptFile
from bot.incidents.models import Incident, IncidentAttachment
from bot.ledger.period import LedgerPeriod
from bot.ledger.records import events_within, incidents_within
from bot.ledger.scope import Scope
from bot.people.models import Person

EXTENSIONS = {"photo": ".jpg", "document": ""}


@dataclass(frozen=True)
class FileRef:
    """One file of a record; `sha256` is None when the office holds no copy (yet)."""

    ref: str  # the record's reference
    number: int  # 1, 2, … within the record
    name: str  # as the sender named it ("" for a photo)
    kind: str  # photo | document
    sha256: str | None
    size: int | None
    too_big: bool = False  # kept, but larger than a part of the package may be (its limit)

    @property
    def packed(self) -> bool:
        """In the package, and linked from its row."""
        return self.sha256 is not None and not self.too_big

    @property
    def path(self) -> str:
        """Where the package keeps it, relative to the spreadsheet: evidence/INC-2026-0001-1.jpg.
        ASCII only, so every program that opens the spreadsheet follows the link."""
        suffix = PurePosixPath(self.name).suffix.lower() if self.name else ""
        if not suffix.isascii() or len(suffix) > 8:
            suffix = ""
        return f"evidence/{self.ref}-{self.number}{suffix or EXTENSIONS.get(self.kind, '')}"


@dataclass(frozen=True)
class IncidentContent:
    what: str
    location: str
    discovered_at: datetime
    discovered_precision: str  # minute | day
    actions_taken: str
    closing_summary: str | None
    files: list[FileRef]


@dataclass(frozen=True)
class EventContent:
    venue: str
    audience: int
    speakers: list[dict[str, str]]
    outline: str
    decided_by: str | None
    decision_note: str | None
    filing_date: str | None
    files: list[FileRef]


@dataclass(frozen=True)
class MeetingContent:
    ref: str  # MTG-2026-0007, also its files' names
    conclusions: dict[str, dict[str, str]]  # A2: per area, conclusion or not_discussed
    attendees: list[str]
    notes: str
    files: list[FileRef]


@dataclass(frozen=True)
class Content:
    incidents: dict[int, IncidentContent] = field(default_factory=dict)
    events: dict[int, EventContent] = field(default_factory=dict)
    meetings: dict[int, MeetingContent] = field(default_factory=dict)
    areas: list[tuple[str, str, str]] = field(default_factory=list)  # A2: key, name, name_en

    def files(self) -> list[FileRef]:
        """Every file of the package's records, in the order of the sheets."""
        out: list[FileRef] = []
        for group in (self.incidents, self.events, self.meetings):
            for item in group.values():
                out += item.files
        return out


def _name(first: str | None, last: str | None) -> str:
    return " ".join(p for p in (first, last) if p)


async def _kept(session: AsyncSession, ids: set[str]) -> dict[str, tuple[str, int | None]]:
    """file_id → (sha256, size) of the files the office keeps."""
    if not ids:
        return {}
    rows = await session.execute(
        select(KeptFile.file_id, KeptFile.sha256, KeptFile.size).where(
            KeptFile.file_id.in_(ids), KeptFile.status == FileStatus.KEPT
        )
    )
    return {f: (sha, size) for f, sha, size in rows if sha}


def _refs(
    ref: str, files: list[tuple[str, str, str | None]], kept: dict[str, tuple[str, int | None]]
) -> list[FileRef]:
    out = []
    for n, (file_id, kind, name) in enumerate(files, start=1):
        sha, size = kept.get(file_id, (None, None))
        out.append(FileRef(ref, n, name or "", kind, sha, size))
    return out


async def read(
    session: AsyncSession,
    period: LedgerPeriod,
    scope: Scope,
    refs: dict[int, str],
    meetings: list[int],
    areas: list[tuple[str, str, str]],
) -> Content:
    """The content of the ledger's incidents and events (selected as the ledger selects them:
    records.incidents_within, records.events_within; `refs`: id → reference) and of these
    meetings. One query a table: a year of tens of thousands of reports is read in seconds."""
    within = incidents_within(period, scope)
    attached: dict[int, list[tuple[str, str, str | None]]] = defaultdict(list)
    for incident_id, file_id, kind, name in await session.execute(
        select(
            IncidentAttachment.incident_id,
            IncidentAttachment.file_id,
            IncidentAttachment.kind,
            IncidentAttachment.name,
        )
        .join(Incident, Incident.id == IncidentAttachment.incident_id)
        .where(within)
        .order_by(IncidentAttachment.id)
    ):
        attached[incident_id].append((file_id, kind, name))
    inc_rows = (
        await session.execute(
            select(
                Incident.id,
                Incident.what,
                Incident.location,
                Incident.discovered_at,
                Incident.discovered_precision,
                Incident.actions_taken,
                Incident.closing_summary,
            ).where(within)
        )
    ).all()
    ev_rows = list(await session.scalars(select(EventRequest).where(events_within(period, scope))))
    ev_files = {
        e.id: [
            (str(a["file_id"]), str(a.get("kind", "document")), a.get("name"))
            for a in e.attachments or []
        ]
        for e in ev_rows
    }
    mt_rows, mt_files, people = await _meetings(session, meetings)
    deciders = await _people(session, {e.decided_by_id for e in ev_rows if e.decided_by_id})
    groups = (*attached.values(), *ev_files.values(), *mt_files.values())
    wanted = {file_id for files in groups for file_id, *_ in files}
    kept = await _kept(session, wanted)
    return Content(
        incidents={
            i: IncidentContent(
                what, where, found, precision, actions, summary, _refs(refs[i], attached[i], kept)
            )
            for i, what, where, found, precision, actions, summary in inc_rows
            if i in refs
        },
        events={
            e.id: EventContent(
                e.venue,
                e.audience,
                list(e.speakers or []),
                e.outline,
                deciders.get(e.decided_by_id or 0),
                e.decision_note,
                e.filing_date,
                _refs(e.ref, ev_files[e.id], kept),
            )
            for e in ev_rows
        },
        meetings={
            m.id: MeetingContent(
                m.ref,
                dict(m.conclusions or {}),
                people.get(m.id, []),
                m.notes,
                _refs(m.ref, mt_files[m.id], kept),
            )
            for m in mt_rows
        },
        areas=areas,
    )


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    """IN lists of bounded length (SQLite's limit on bound parameters)."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


async def _people(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(ids))
    )
    return {i: _name(first, last) for i, first, last in rows}


async def _meetings(
    session: AsyncSession, ids: list[int]
) -> tuple[list[Meeting], dict[int, list[tuple[str, str, str | None]]], dict[int, list[str]]]:
    rows: list[Meeting] = []
    files: dict[int, list[tuple[str, str, str | None]]] = defaultdict(list)
    people: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        rows += list(await session.scalars(select(Meeting).where(Meeting.id.in_(chunk))))
        for f in await session.scalars(
            select(MeetingFile).where(MeetingFile.meeting_id.in_(chunk)).order_by(MeetingFile.id)
        ):
            files[f.meeting_id].append((f.file_id, f.file_kind, f.name))
        attendees: Any = await session.execute(
            select(MeetingAttendee.meeting_id, Person.first_name, Person.last_name)
            .join(Person, Person.id == MeetingAttendee.person_id)
            .where(MeetingAttendee.meeting_id.in_(chunk))
            .order_by(MeetingAttendee.meeting_id, Person.id)
        )
        for meeting_id, first, last in attendees:
            people[meeting_id].append(_name(first, last))
    return rows, files, people
