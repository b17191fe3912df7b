"""/record: the whole record of one incident or event request, as far as the reader may see it.

Who sees what is the ledger's decision (bot.ledger.scope, bot.ledger.service.reader), made in
one place: a record outside the reader's scope is answered exactly as a reference that does not
exist, so a reference can't be probed (R4, L3). An inspector in office reads the records of
the period the grant names, and every such reading is audited as the ledger's are (R7, C).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, select

from bot.audit.service import record
from bot.calendar.models import (
    Meeting,
)
from bot.deps import Deps
from bot.errors import InvalidInput, NotFound
from bot.events.models import EventRequest
from bot.i18n import N_
from bot.incidents import evidence
from bot.incidents.models import Incident
from bot.ledger.scope import Scope
from bot.ledger.service import reader
from bot.people.view import TgUser
from bot.records.common import GONE, READ
from bot.records.events import EventRecord, event_record
from bot.records.incidents import IncidentRecord, incident_record, offered
from bot.records.meetings import MeetingRecord, meeting_record

_REF = re.compile(r"^\s*(INC|EVT|MTG)-(\d{4})-(\d{1,6})\s*$", re.IGNORECASE)
USAGE = N_(
    "Send /record and a reference, such as /record INC-2026-0012, /record EVT-2026-0007 "
    "or /record MTG-2026-0003."
)
# One answer for a reference that does not exist and for one the reader may not see.
UNKNOWN = N_("There is no record {ref}.")


Record = IncidentRecord | EventRecord | MeetingRecord
MODELS: dict[str, Any] = {"INC": Incident, "EVT": EventRequest, "MTG": Meeting}
SUBJECTS = {"INC": "incident", "EVT": "event", "MTG": "meeting"}


def parse(text: str) -> tuple[str, int, int]:
    """A typed reference: (prefix, year, number); InvalidInput when it is not one."""
    match = _REF.match(text or "")
    if match is None:
        raise InvalidInput(USAGE)
    return match.group(1).upper(), int(match.group(2)), int(match.group(3))


def _incidents(deps: Deps, scope: Scope) -> ColumnElement[bool]:
    """The incidents the reader's scope lets them read (the ledger's decision)."""
    return scope.readable_incidents(deps.zone)


def _events(deps: Deps, scope: Scope) -> ColumnElement[bool]:
    return scope.readable_events(deps.zone)


async def read(deps: Deps, actor: TgUser, text: str) -> Record:
    """The record a typed reference names, if the reader may see it."""
    prefix, year, number = parse(text)
    model = MODELS[prefix]
    return await _read(
        deps,
        actor,
        prefix,
        (model.year == year) & (model.number == number),
        f"{prefix}-{year}-{number:04d}",
    )


async def read_by_id(deps: Deps, actor: TgUser, prefix: str, record_id: int) -> Record:
    """The record behind a Details button (it carries the id): the same visibility."""
    model = MODELS[prefix]
    return await _read(deps, actor, prefix, model.id == record_id, None)


async def _read(
    deps: Deps, actor: TgUser, prefix: str, which: ColumnElement[bool], ref: str | None
) -> Record:
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        scope = await reader(session, actor, now)
        found: Record | None
        if prefix == "INC":
            incident = await session.scalar(select(Incident).where(which, _incidents(deps, scope)))
            found = await incident_record(session, incident) if incident is not None else None
            if found is not None and incident is not None and not scope.inspector:
                found = await offered(session, actor, now, incident, found)
        elif prefix == "EVT":
            event = await session.scalar(select(EventRequest).where(which, _events(deps, scope)))
            found = await event_record(session, event) if event is not None else None
        else:
            meeting = await session.scalar(select(Meeting).where(which, scope.readable_meetings()))
            found = await meeting_record(session, deps, meeting) if meeting is not None else None
        if found is None:
            raise NotFound(UNKNOWN, ref=ref) if ref else NotFound(GONE)
        if scope.inspector:  # C: every reading by an inspector is on record
            record(
                session,
                at=now,
                actor_id=scope.person_id,
                action=READ,
                subject_type=SUBJECTS[prefix],
                subject_id=found.id,
                clause="R7",
                ref=found.ref,
            )
        return found


async def send_attachments(deps: Deps, actor: TgUser, incident_id: int) -> evidence.Evidence:
    """The files of an incident whose record the reader may see, sent to them (audited)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        scope = await reader(session, actor, now)
        incident = await session.scalar(
            select(Incident).where(Incident.id == incident_id, _incidents(deps, scope))
        )
        if incident is None:
            raise NotFound(GONE)
        return await evidence.dispatch(
            session, now=now, person_id=scope.person_id, incident=incident
        )
