"""A meeting's record (R2, R3, A2, A3): what it was, who attended, what it concluded, and its
minutes and photos for whoever may read it (the ledger's visibility, bot.ledger.scope)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.calendar.models import MEETING_CLAUSES, Meeting, MeetingAttendee, MeetingFile, MeetingKind
from bot.deps import Deps
from bot.errors import InvalidInput, NotFound
from bot.files import service as files
from bot.files.models import FileStatus
from bot.i18n import N_
from bot.incidents import evidence
from bot.incidents.evidence import Attachment
from bot.ledger.service import reader
from bot.outbox import service as outbox
from bot.people.models import Person
from bot.people.view import TgUser
from bot.records.common import GONE, names_of


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting held (R2, R3, A2, A3): what it was, who attended, what it concluded."""

    id: int
    ref: str
    kind: str
    held_on: date
    title: str
    areas: list[tuple[str, str, dict[str, str]]]  # A2: (name, name_en, conclusion or reason)
    studied: list[dict[str, Any]]
    sensitive_key: str | None
    sensitive_on: date | None
    notes: str
    attendees: list[str]
    files: list[Attachment]  # the minutes and photos, and whether the office keeps them
    recorded_by: str
    recorded_at: datetime


async def meeting_record(session: AsyncSession, deps: Deps, meeting: Meeting) -> MeetingRecord:
    """The whole record of a meeting held: its areas, attendees, minutes and files (R7)."""
    attended = set(
        await session.scalars(
            select(MeetingAttendee.person_id).where(MeetingAttendee.meeting_id == meeting.id)
        )
    )
    names = await names_of(session, {meeting.recorded_by_id, *attended})
    files = await meeting_files(session, meeting.id)
    topics = {t.key: t for t in deps.policy.calendar.quarterly_review.topics}
    areas = [
        (topics[k].name, topics[k].name_en, answer) if k in topics else (k, k, answer)
        for k, answer in meeting.conclusions.items()
    ]
    areas += [
        (topics[k].name, topics[k].name_en, {})
        for k in meeting.topics
        if k in topics and k not in meeting.conclusions
    ]
    return MeetingRecord(
        meeting.id,
        meeting.ref,
        meeting.kind,
        meeting.held_on,
        meeting.title,
        areas,
        list(meeting.studied),
        meeting.sensitive_key,
        meeting.sensitive_on,
        meeting.notes,
        sorted(names[i] for i in attended if i in names),
        files,
        names.get(meeting.recorded_by_id, "?"),
        meeting.recorded_at,
    )


async def meeting_files(session: AsyncSession, meeting_id: int) -> list[Attachment]:
    """A meeting's minutes and photos as attachments: kept by the office, or why not."""
    rows = list(
        await session.scalars(
            select(MeetingFile).where(MeetingFile.meeting_id == meeting_id).order_by(MeetingFile.id)
        )
    )
    kept = await files.states(session, (f.file_id for f in rows))
    out = []
    for f in rows:
        state = kept.get(f.file_id)
        out.append(
            Attachment(
                f.file_id,
                f.file_kind,
                f.name or None,
                None,
                state.status if state else FileStatus.FETCHING,
                state.reason if state else None,
            )
        )
    return out


async def send_meeting_files(deps: Deps, actor: TgUser, meeting_id: int) -> evidence.Evidence:
    """A meeting's files to a reader who may see the meeting (everyone; an inspector, one of
    the grant's period), each captioned with its reference; the audit trail notes who opened
    them (R7)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        scope = await reader(session, actor, now)
        meeting = await session.scalar(
            select(Meeting).where(Meeting.id == meeting_id, scope.readable_meetings())
        )
        if meeting is None:
            raise NotFound(GONE)
        attachments = await meeting_files(session, meeting.id)
        if not attachments:
            raise InvalidInput(N_("{ref} has no attachments."), ref=meeting.ref)
        person = await session.get(Person, scope.person_id)
        assert person is not None
        outbox.notify_files(
            session,
            now=now,
            person=person,
            ref=meeting.ref,
            files=[(a.file_id, a.kind) for a in attachments],
        )
        clause = MEETING_CLAUSES[MeetingKind(meeting.kind)]
        record(
            session,
            at=now,
            actor_id=person.id,
            action="meeting.evidence_opened",
            subject_type="meeting",
            subject_id=meeting.id,
            clause=clause,
            files=len(attachments),
        )
        return evidence.Evidence(meeting.ref, attachments)
