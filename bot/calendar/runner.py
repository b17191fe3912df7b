"""Sending what fell due: each occurrence claimed by its unique key in the same transaction
that queues its messages (never twice, never lost), one transaction per occurrence so a
race lost on one does not undo the others.

A bot that was down at the due time sends what it missed when it comes back, once, marked
late; nothing older than the calendar itself (its first run) and nothing expired is sent.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.buttons.calendar import CalendarAction, CalendarButton
from bot.calendar import briefing, digest, obligations
from bot.calendar.models import CODE_OF, CalendarState, MeetingKind, Occurrence, Snooze
from bot.calendar.recipients import Recipients, resolve
from bot.calendar.schedule import Due, dues_around
from bot.deps import Deps
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.outbox.service import Button

log = logging.getLogger(__name__)

LAPSES = {"quarter_lapse", "dedicated_lapse", "study_lapse"}


async def epoch(deps: Deps, now: datetime) -> datetime:
    """When the calendar first ran; set on the first call."""
    async with deps.db.read() as session:
        row = await session.get(CalendarState, "epoch")
        if row is not None:
            return row.at
    try:
        async with deps.db.transaction() as session:
            session.add(CalendarState(name="epoch", at=now))
    except IntegrityError:  # another scheduler set it first
        async with deps.db.read() as session:
            row = await session.get(CalendarState, "epoch")
            assert row is not None
            return row.at
    return now


async def run(deps: Deps) -> int:
    """Send every occurrence due now that has not been handled; returns how many were sent."""
    now = deps.clock.now()
    since = await epoch(deps, now)
    local = now.astimezone(deps.zone).date()
    candidates = [
        d
        for d in dues_around(deps.policy, deps.zone, local)
        if since <= d.due_at <= now < d.expires_at
    ]
    if candidates:
        keys = [d.key for d in candidates]
        async with deps.db.read() as session:
            query = select(Occurrence.key).where(Occurrence.key.in_(keys))
            done = set(await session.scalars(query))
        candidates = sorted((d for d in candidates if d.key not in done), key=lambda d: d.due_at)
    sent = 0
    for due in candidates:
        try:
            async with deps.db.transaction() as session:
                sent += await _fire(session, deps, due, now)
        except IntegrityError:
            log.info("calendar: %s was handled by another scheduler", due.key)
    return sent + await _snoozed(deps, now)


async def _fire(session: AsyncSession, deps: Deps, due: Due, now: datetime) -> int:
    needed = await obligations.needed(session, deps.policy, due)
    late = now - due.due_at > timedelta(minutes=deps.policy.calendar.late_after_minutes)
    occurrence = Occurrence(
        key=due.key,
        obligation=due.obligation,
        clause=due.clause,
        due_at=due.due_at,
        fired_at=now,
        late=late,
        outcome="sent" if needed else "not_needed",
    )
    session.add(occurrence)
    await session.flush()  # the unique key is claimed here (IntegrityError if taken)
    if not needed:
        return 0
    params = await params_for(session, deps, due)
    if late:
        params["late_since"] = due.due_at.isoformat()
    targets = _targets(deps, due)
    to = await resolve(session, targets)
    if due.obligation == "quarter_briefing":  # A1: one message, in parts when it is long
        cut = briefing.parts(await briefing.lines(session, deps, due, now))
        for n, part in enumerate(cut, 1):
            last = buttons_for(due, occurrence.id, params) if n == len(cut) else []
            _send(
                session,
                now,
                to,
                "calendar.quarter_briefing",
                {**params, "lines": part, "part": n, "parts": len(cut)},
                briefing.details(part) + last,
            )
        return 1
    _send(
        session,
        now,
        to,
        f"calendar.{due.obligation}",
        params,
        buttons_for(due, occurrence.id, params),
    )
    if due.obligation in LAPSES:
        # Told to the leadership as well; recorded with its clause (R7, C: the ledger shows it).
        record(
            session,
            at=now,
            action="calendar.lapse",
            subject_type="obligation",
            subject_id=occurrence.id,
            clause=due.clause,
            key=due.key,
        )
    return 1


def _targets(deps: Deps, due: Due) -> list[str]:
    cal = deps.policy.calendar
    if due.obligation == "quarter_briefing":  # it names incidents: not for the whole group
        return list(cal.quarterly_review.briefing_notify)
    section = {
        "quarter": cal.quarterly_review.notify,
        "dedicated": cal.dedicated_meetings.notify,
        "study": cal.study_sessions.notify,
        "sensitive": cal.sensitive_dates.notify,
        "digest": cal.digest.notify,
    }[due.obligation.split("_")[0]]
    targets: list[str] = list(section)
    if due.obligation in LAPSES and "leadership_group" not in targets:
        targets.append("leadership_group")
    return targets


def _send(
    session: AsyncSession,
    now: datetime,
    to: Recipients,
    template: str,
    params: dict[str, Any],
    buttons: list[list[Button]],
) -> None:
    for chat_id in to.chats:
        outbox.enqueue(
            session,
            now=now,
            chat_id=chat_id,
            template=template,
            params=params,
            buttons=buttons or None,
        )
    for person in to.people:
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template=template,
            params=params,
            buttons=buttons or None,
        )


def buttons_for(due: Due, occurrence_id: int, params: dict[str, Any]) -> list[list[Button]]:
    """Record it (a deep link into the private /meeting), Remind me tomorrow, and for the
    quarterly announcement Send information (A1); the digest opens the pending items."""
    if due.obligation == "digest":
        return [
            [
                Button(N_("Open pending items"), "start:pending"),
                Button(N_("Calendar"), "start:calendar"),
            ]
        ]
    code = CODE_OF[obligations.KIND_OF[due.obligation]]
    record_it = Button(N_("Record it"), f"start:meeting-{code}")
    if due.obligation == "quarter_briefing":  # A1: and the same as a document, on request
        document = CalendarButton(CalendarAction.DOCUMENT, occurrence_id)
        return [[record_it], [Button(N_("As a document (.docx)"), document.pack())]]
    if due.obligation in LAPSES:
        return [[record_it]]
    snooze = CalendarButton(CalendarAction.SNOOZE, occurrence_id)
    rows = [[record_it, Button(N_("Remind me tomorrow"), snooze.pack())]]
    if due.obligation == "quarter_open" and params.get("invite"):
        rows.append([Button(N_("Send information"), "start:report")])
    return rows


async def params_for(session: AsyncSession, deps: Deps, due: Due) -> dict[str, Any]:
    """What the message says, fixed when it falls due and rendered in each reader's language."""
    cal = deps.policy.calendar
    p = due.period
    params: dict[str, Any] = {
        "key": due.key,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "unit": p.unit,
    }
    if due.obligation.startswith("quarter"):
        params["topics"] = [[t.name, t.name_en] for t in cal.quarterly_review.topics]
        params["invite"] = cal.quarterly_review.invite_input
        params["inputs"] = await digest.information_since(session, deps, p)
        # A2: a review held without every area concluded: the reminders name what is missing.
        missing = await obligations.missing_areas(session, deps.policy, p)
        if await obligations.held(session, MeetingKind.QUARTERLY_REVIEW, p) and missing:
            params["missing"] = [
                [t.name, t.name_en] for t in cal.quarterly_review.topics if t.key in missing
            ]
    elif due.obligation.startswith("dedicated"):
        params["held"] = await obligations.held(session, obligations.KIND_OF[due.obligation], p)
        params["minimum"] = cal.dedicated_meetings.minimum_per_year
    elif due.obligation == "sensitive":
        params.update(name=due.extra["name"], name_en=due.extra["name_en"], on=due.extra["on"])
    elif due.obligation == "digest":
        params.update(await digest.figures(session, deps, due))
    return params


async def _snoozed(deps: Deps, now: datetime) -> int:
    """ "Remind me tomorrow" that has come due: sent to that person, unless met meanwhile."""
    async with deps.db.read() as session:
        ids = list(
            await session.scalars(
                select(Snooze.id)
                .where(Snooze.sent_at.is_(None), Snooze.due_at <= now)
                .order_by(Snooze.id)
                .limit(200)
            )
        )
    sent = 0
    for snooze_id in ids:
        async with deps.db.transaction() as session:
            claimed = await session.execute(
                update(Snooze)
                .where(Snooze.id == snooze_id, Snooze.sent_at.is_(None))
                .values(sent_at=now)
            )
            if not getattr(claimed, "rowcount", 0):
                continue  # another scheduler sent it
            snooze = await session.get(Snooze, snooze_id)
            assert snooze is not None
            due = find(deps, snooze.key, now)
            if due is None or now >= due.expires_at:
                continue
            if not await obligations.needed(session, deps.policy, due):
                continue
            to = await resolve(session, [], person_ids=[snooze.person_id])
            occurrence_id = await session.scalar(
                select(Occurrence.id).where(Occurrence.key == due.key)
            )
            params = await params_for(session, deps, due)
            params["snoozed"] = True
            _send(
                session,
                now,
                to,
                f"calendar.{due.obligation}",
                params,
                buttons_for(due, occurrence_id or 0, params),
            )
            sent += 1
    return sent


def find(deps: Deps, key: str, now: datetime) -> Due | None:
    """The occurrence of this key under the current policy, if it still exists."""
    local: date = now.astimezone(deps.zone).date()
    return next((d for d in dues_around(deps.policy, deps.zone, local) if d.key == key), None)
