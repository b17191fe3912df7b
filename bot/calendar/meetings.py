"""Recording a meeting that was held (which closes its obligation) and snoozing a reminder."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.audit.service import record
from bot.calendar import digest, runner
from bot.calendar.models import (
    MEETING_CLAUSES,
    Meeting,
    MeetingAttendee,
    MeetingFile,
    MeetingKind,
    Occurrence,
    Snooze,
)
from bot.calendar.obligations import needed
from bot.calendar.schedule import WorkingDays, quarter
from bot.db.refs import next_number, numbered
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from bot.files import service as files
from bot.freetext import clean
from bot.i18n import N_
from bot.people import authority
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import ADMITTED, PersonView, TgUser
from bot.search.index import index_meeting

# R4: the office keeps the records; the secretary and deputy convene the meetings.
RECORDERS = (Role.SECRETARY, Role.DEPUTY, Role.OFFICE, Role.ADMIN)
MAX_AGE = timedelta(days=400)  # a meeting may be recorded late, but not from years ago


@dataclass
class MeetingDraft:
    kind: MeetingKind
    held_on: date
    title: str = ""
    topics: list[str] = field(default_factory=list)
    sensitive_key: str | None = None
    sensitive_on: date | None = None
    attendee_ids: list[int] = field(default_factory=list)
    files: list[tuple[str, str, str]] = field(default_factory=list)  # file_id, kind, name
    notes: str = ""
    # A2: the conclusion reached per area, and the reason an area was not discussed.
    conclusions: dict[str, str] = field(default_factory=dict)
    not_discussed: dict[str, str] = field(default_factory=dict)
    studied: list[str] = field(default_factory=list)  # R3: study materials' keys (R8, P4)


def clause_of(meeting: Meeting) -> str:
    """The clause a meeting of this kind is evidence for (R2, R3, A2, A3 …)."""
    return MEETING_CLAUSES[MeetingKind(meeting.kind)]


def check_recorder(me: PersonView) -> None:
    """NotAllowed unless `me` is the secretary, the deputy, the office or an admin."""
    if not authority.holds(me, *RECORDERS):
        raise NotAllowed(
            N_("Only the secretary, the deputy secretary or the office can record meetings.")
        )


def check_held_on(deps: Deps, held_on: date, now: datetime) -> None:
    """InvalidInput for a meeting dated in the future or more than MAX_AGE ago."""
    today = now.astimezone(deps.zone).date()
    if held_on > today:
        raise InvalidInput(
            N_("A meeting can be recorded once it has been held; that date is in the future.")
        )
    if today - held_on > MAX_AGE:
        raise InvalidInput(
            N_(
                "That date is too long ago: a meeting can be recorded up to {days} days after "
                "it was held, so from {first}. Please check the date."
            ),
            days=MAX_AGE.days,
            first=(today - MAX_AGE).isoformat(),
        )


async def record_meeting(deps: Deps, actor: TgUser, draft: MeetingDraft) -> Meeting:
    """Record a held meeting (R2, R3, A2, A3) from the recorder's draft, numbered, with its audit
    entry; checks its date, its topic areas (A2) and its study materials (R3) first."""
    now = deps.clock.now()
    cal = deps.policy.calendar
    check_held_on(deps, draft.held_on, now)
    draft.title = clean("subject", draft.title, deps.policy, required=False)
    answers: dict[str, dict[str, str]] = {}
    if draft.kind == MeetingKind.QUARTERLY_REVIEW:
        answers = _answers(deps, draft)
        known = {t.key for t in cal.quarterly_review.topics}
        if not draft.topics or not set(draft.topics) <= known:
            raise InvalidInput(N_("Choose at least one of the topic areas that were covered."))
    materials = {m.key: m for m in deps.policy.regulation.study_materials}
    if draft.kind != MeetingKind.STUDY:
        draft.studied = []
    elif not set(draft.studied) <= set(materials):
        raise InvalidInput(
            N_("That study material is not in the policy any more; please choose again.")
        )
    studied = [
        materials[k].model_dump(include={"key", "name", "name_en", "clauses"})
        for k in draft.studied
    ]
    return await numbered(lambda: _write(deps, actor, draft, now, answers, studied))


async def _write(
    deps: Deps,
    actor: TgUser,
    draft: MeetingDraft,
    now: datetime,
    answers: dict[str, dict[str, str]],
    studied: list[dict[str, Any]],
) -> Meeting:
    """One transaction: the meeting with its reference, attendees, files, audit entry and
    index entry (a racing recorder of the same year makes `numbered` run it again)."""
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        check_recorder(me)
        inputs: list[int] = []
        if draft.kind == MeetingKind.QUARTERLY_REVIEW:
            inputs = await digest.information_ids(session, deps, quarter(draft.held_on))
        year = draft.held_on.year
        meeting = Meeting(
            year=year,
            number=await next_number(session, Meeting, year),
            kind=draft.kind,
            held_on=draft.held_on,
            title=draft.title,
            topics=list(draft.topics) if draft.kind == MeetingKind.QUARTERLY_REVIEW else [],
            sensitive_key=draft.sensitive_key
            if draft.kind == MeetingKind.FORWARD_ANALYSIS
            else None,
            sensitive_on=draft.sensitive_on if draft.kind == MeetingKind.FORWARD_ANALYSIS else None,
            inputs=inputs,
            notes=draft.notes,
            recorded_by_id=me.id,
            recorded_at=now,
            conclusions=answers,
            studied=studied,
        )
        session.add(meeting)
        await session.flush()
        people = set(
            await session.scalars(
                select(Person.id).where(
                    Person.id.in_(draft.attendee_ids), Person.admission == ADMITTED
                )
            )
        )
        for person_id in sorted(people):
            session.add(MeetingAttendee(meeting_id=meeting.id, person_id=person_id))
        await files.keep(
            session,
            deps,
            now=now,
            sender_id=me.id,
            attachments=[{"file_id": f, "kind": k, "name": n} for f, k, n in draft.files],
        )
        for file_id, kind, name in draft.files:
            session.add(
                MeetingFile(meeting_id=meeting.id, file_id=file_id, file_kind=kind, name=name[:256])
            )
        await index_meeting(session, meeting, new=True)
        record(
            session,
            at=now,
            actor_id=me.id,
            action="meeting.record",
            subject_type="meeting",
            subject_id=meeting.id,
            clause=MEETING_CLAUSES[draft.kind],
            kind=str(draft.kind),
            ref=meeting.ref,
            held_on=draft.held_on.isoformat(),
            topics=meeting.topics,
            sensitive_key=meeting.sensitive_key,
            attendees=len(people),
            files=len(draft.files),
            inputs=len(inputs),
            not_discussed=sorted(draft.not_discussed),
            studied=draft.studied,
        )
        await drafts.drop(session, me.id)  # in this transaction: never recorded twice
        return meeting


def _answers(deps: Deps, draft: MeetingDraft) -> dict[str, dict[str, str]]:
    """A2: each area's conclusion or the reason it was not discussed. The areas concluded
    become the review's topics; a draft with topics alone (no per-area answers) keeps them."""
    if not draft.conclusions and not draft.not_discussed:
        return {}
    order = [t.key for t in deps.policy.calendar.quarterly_review.topics]
    answers: dict[str, dict[str, str]] = {}
    for key, text in draft.conclusions.items():
        answers[key] = {"conclusion": clean("conclusion", text, deps.policy)}
    for key, text in draft.not_discussed.items():
        if key in answers:
            raise InvalidInput(
                N_(
                    "An area either has a conclusion or a reason why it was not "
                    "discussed, not both."
                )
            )
        answers[key] = {"not_discussed": clean("reason", text, deps.policy)}
    if set(answers) != set(order):
        raise InvalidInput(
            N_("Give the conclusion, or the reason it was not discussed, for each of the areas.")
        )
    draft.topics = [k for k in order if "conclusion" in answers[k]]
    return {k: answers[k] for k in order}


async def snooze(deps: Deps, actor: TgUser, occurrence_id: int) -> tuple[datetime, bool]:
    """ "Remind me tomorrow": a private reminder the next working morning, once. Returns when,
    and False when one was already waiting (a double tap changes nothing)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = authority.require_member(await acting(session, actor, now=now))
        occurrence = await session.get(Occurrence, occurrence_id)
        if occurrence is None:
            raise NotFound(N_("This reminder no longer exists."))
        due = runner.find(deps, occurrence.key, now)
        if due is None or now >= due.expires_at:
            raise AlreadyDone(N_("This reminder is no longer current."))
        if not await needed(session, deps.policy, due):
            raise AlreadyDone(N_("This has been recorded already; no reminder is needed."))
        c = WorkingDays(deps.policy, deps.zone)
        at = c.at(c.on_or_after(now.astimezone(deps.zone).date() + timedelta(1)))
        if at >= due.expires_at:
            raise InvalidInput(
                N_("There is no working day left before this falls due; please see to it today.")
            )
        waiting = await session.scalar(
            select(Snooze.due_at).where(
                Snooze.person_id == me.id, Snooze.key == due.key, Snooze.sent_at.is_(None)
            )
        )
        if waiting is not None:
            return waiting, False
        session.add(Snooze(person_id=me.id, key=due.key, due_at=at, created_at=now))
        record(
            session,
            at=now,
            actor_id=me.id,
            action="calendar.snooze",
            subject_type="obligation",
            subject_id=occurrence.id,
            clause=due.clause,
            key=due.key,
            until=at.isoformat(),
        )
        return at, True
