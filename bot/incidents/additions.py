"""Additions: the reporter adds facts and files to a filed report (R7: records grow, never
rewritten). Each addition is its own dated timeline entry with its text and its files, which
the office keeps like the report's own (bot.files); the handlers are told at once. The facts as
filed stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.errors import AlreadyDone, InvalidInput
from bot.files import service as kept_files
from bot.freetext import clean
from bot.i18n import N_
from bot.incidents.cards import card_buttons
from bot.incidents.changes import standing_people
from bot.incidents.models import Incident, TimelineEntry
from bot.incidents.store import CLAUSE, attach, attachment_count, load_for
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.service import acting
from bot.people.view import PersonView, TgUser
from bot.policy.schema import Kind
from bot.search import index as search

CLOSED = N_(
    "{ref} is closed, so nothing more can be added to it. If there is something new, please "
    "ask its handlers or the office to reopen it, or file a new report."
)
NOTHING = N_("Nothing has been added yet. Send some text or a file first, or press Cancel.")


@dataclass(frozen=True)
class Added:
    ref: str
    number: int  # the how-manieth addition to the report
    files: int
    told: int  # handlers told


async def _open_for_reporter(session: AsyncSession, me: PersonView, incident_id: int) -> Incident:
    incident = await load_for(session, incident_id, for_update=True)
    authority.require_reporter(me, incident.reporter_id)
    if incident.status == "closed":
        raise AlreadyDone(CLOSED, ref=incident.ref)
    return incident


async def check_may_add(deps: Deps, actor: TgUser, incident_id: int) -> str:
    """Before the step begins: the reporter's own report, not closed. Its reference."""
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=deps.clock.now())
        return (await _open_for_reporter(session, me, incident_id)).ref


async def add_to_report(
    deps: Deps, actor: TgUser, incident_id: int, text: str, attachments: list[dict[str, Any]]
) -> Added:
    """Done: the addition is on record, with its files queued for keeping; each handler who
    acts on the report now gets one message with its text. The draft that collected it ends in
    this transaction, so a second Done (or the same one handled again) adds nothing twice."""
    body = clean("addition", text, deps.policy, required=False) if text else ""
    files = attachments[: deps.policy.incidents.max_attachments]
    if not body and not files:
        raise InvalidInput(NOTHING)
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = authority.require_member(await acting(session, actor, now=now))
        incident = await _open_for_reporter(session, me, incident_id)
        people = [p for p in await standing_people(session, incident.id) if p.id != me.id]
        await kept_files.keep(session, deps, now=now, sender_id=me.id, attachments=files)
        moved = await session.execute(
            update(Incident)
            .where(Incident.id == incident.id, Incident.status != "closed")
            .values(additions=Incident.additions + 1)
            .returning(Incident.additions)
            .execution_options(synchronize_session=False)
        )
        number = moved.scalar_one_or_none()
        if number is None:  # closed meanwhile
            raise AlreadyDone(CLOSED, ref=incident.ref)
        entry = TimelineEntry(
            incident_id=incident.id,
            at=now,
            actor_id=me.id,
            kind="addition",
            text=body or None,
            data={"files": len(files), "number": number},
        )
        session.add(entry)
        await session.flush()
        attach(session, incident.id, files, entry.id)
        if body:
            await search.index_incident(session, incident.id, body)
        total = await attachment_count(session, incident.id)
        for person in people:
            outbox.notify_person(
                session,
                now=now,
                person=person,
                template="incident.addition",
                params={
                    "ref": incident.ref,
                    "by": me.name,
                    "text": body,
                    "files": len(files),
                    "number": number,
                },
                buttons=card_buttons(
                    incident.id,
                    total,
                    rated=incident.severity is not None,
                    acknowledge=incident.acknowledged_at is None,
                    contain=incident.status == "open",
                ),
            )
        record(
            session,
            at=now,
            actor_id=me.id,
            action="incident.addition",
            subject_type="incident",
            subject_id=incident.id,
            clause=CLAUSE[Kind(incident.kind)],
            files=len(files),
            number=number,
        )
        await drafts.drop(session, me.id)
        return Added(incident.ref, number, len(files), len(people))
