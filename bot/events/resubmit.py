"""Resubmission after "request changes" (R6): a new version, routed again, its organiser kept
unless the requester names another; the old versions stay on record."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.events.cards import snapshot
from bot.events.draft import EventDraft, validate
from bot.events.models import EventRequest, EventVersion
from bot.events.service import Result, route, route_or_ask_organiser
from bot.events.transitions import sent_back
from bot.files import service as files
from bot.outbox import service as outbox
from bot.people.models import Person
from bot.people.view import PersonView, TgUser
from bot.search import index as search


async def resubmit(deps: Deps, actor: TgUser, event_id: int, draft: EventDraft) -> Result:
    """After "request changes": a new version, routed again; the old versions stay on record."""
    now = deps.clock.now()
    clean = validate(deps, draft, now)
    async with deps.db.transaction() as session:
        me, event = await sent_back(session, actor, event_id, now)
        await files.keep(session, deps, now=now, sender_id=me.id, attachments=clean.attachments)
        previous = event.organiser_id
        for key, value in asdict(clean).items():
            if key == "organiser_id":
                event.organiser_id = value or me.id
            else:
                setattr(event, key, value)
        event.version += 1
        event.short_lead = clean.starts_at - now < timedelta(days=deps.policy.events.lead_days)
        event.decided_at = event.decided_by_id = event.decision_note = None
        session.add(
            EventVersion(
                event_id=event.id, version=event.version, submitted_at=now, snapshot=snapshot(event)
            )
        )
        await search.index_event(session, event)
        await _organiser_on_resubmission(session, deps, event, previous, me, now)
        record(
            session,
            at=now,
            actor_id=me.id,
            action="event.resubmitted",
            subject_type="event",
            subject_id=event.id,
            clause="R6",
            version=event.version,
            organiser_id=event.organiser_id,
            previous_organiser_id=previous,
        )
        await drafts.drop(session, me.id)  # in this transaction: never filed twice
        return Result(event.id, event.ref, event.status, event.short_lead)


async def _organiser_on_resubmission(
    session: AsyncSession,
    deps: Deps,
    event: EventRequest,
    previous: int,
    me: PersonView,
    now: datetime,
) -> None:
    """R6: whoever organises is responsible. The organiser who confirmed stays so and hears
    of the new version; a new one confirms first, and the one replaced is told."""
    if event.organiser_id == previous:
        # Only a confirmed organiser is still named when a request comes back (one who
        # declined was replaced by the requester), so nobody is asked twice.
        await route(session, deps, event, now)
        if previous != me.id:
            await _tell_person(session, previous, now, "event.organiser_kept", event, me)
        return
    if previous != me.id:
        await _tell_person(session, previous, now, "event.organiser_replaced", event, me)
    await route_or_ask_organiser(session, deps, event, now)


async def _tell_person(
    session: AsyncSession,
    person_id: int,
    now: datetime,
    template: str,
    event: EventRequest,
    by: PersonView,
) -> None:
    person = await session.get(Person, person_id)
    if person is not None:
        params = {"ref": event.ref, "title": event.title, "by": by.name}
        outbox.notify_person(session, now=now, person=person, template=template, params=params)


async def for_resubmission(deps: Deps, actor: TgUser, event_id: int) -> dict[str, Any]:
    """The request as it stands, for its requester to edit after "request changes", with
    its organiser (R6: kept unless the requester names another)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me, event = await sent_back(session, actor, event_id, now)
        organiser = await session.get(Person, event.organiser_id)
        named = organiser is not None and organiser.id != me.id
        if not named or organiser is None:
            return {**snapshot(event), "organiser_id": None, "organiser_name": None}
        return {
            **snapshot(event),
            "organiser_id": organiser.id,
            "organiser_name": organiser.display_name,
        }
