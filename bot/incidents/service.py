"""Filing a report and routing it: one transaction writes the incident, its routing, its
timeline, the audit entry and every message it causes (rule 4). Who handles a report (L4, L5,
L1, A1) is chosen here too, for a report filed and for work that must find a new holder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.chats.service import Purpose, chat_for
from bot.db.refs import next_number, numbered
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.errors import InvalidInput
from bot.files import service as kept_files
from bot.freetext import clean
from bot.i18n import N_
from bot.incidents.cards import card_buttons, card_params
from bot.incidents.models import Incident, IncidentHandler
from bot.incidents.rules import check_discovered
from bot.incidents.store import CLAUSE, ack_due, attach, timeline
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.authority import standing
from bot.people.directory import role_holders
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import PersonView, TgUser
from bot.policy.schema import Kind, Severity
from bot.search import index as search


@dataclass
class ReportDraft:
    """What the member entered, step by step (kept in the drafts table between steps)."""

    kind: Kind
    severity: Severity | None
    what: str
    discovered_at: datetime
    discovered_precision: str
    location: str
    actions_taken: str
    attachments: list[dict[str, Any]]


@dataclass(frozen=True)
class Filed:
    incident_id: int
    ref: str
    handlers: int  # how many people were notified to handle it


async def file_report(deps: Deps, reporter: TgUser, draft: ReportDraft) -> Filed:
    """Submit: the incident exists; its handlers, the leadership and the group are told."""
    policy = deps.policy.incidents
    now = deps.clock.now()
    draft.what = clean("what", draft.what, deps.policy)
    draft.location = clean("where", draft.location, deps.policy)
    draft.actions_taken = clean("done", draft.actions_taken, deps.policy)
    if draft.kind == Kind.INFORMATION:
        draft.severity = None
    elif draft.severity is None:
        raise InvalidInput(N_("Please choose how serious it is."))
    if draft.discovered_at > now + timedelta(minutes=1):
        raise InvalidInput(N_("That moment is in the future. When was it discovered?"))
    check_discovered(draft.discovered_at, now, deps.zone)

    async def write() -> Filed:  # again if a racing writer took the number
        async with deps.db.transaction() as session:
            # The reporter as acting() reads them (one SELECT): loading the Person and its
            # grants again cost two statements more on every Submit
            # (docs/decisions/006-performance.md).
            me = authority.require_member(await acting(session, reporter, now=now))
            # Read before anything is added: each read after an add flushes first
            # (docs/decisions/006-performance.md).
            chosen = await handlers_for(session, deps, draft.kind, draft.severity, me.committee_id)
            attachments = draft.attachments[: policy.max_attachments]
            # The office keeps its own copy of each file (fetched after this commits).
            await kept_files.keep(session, deps, now=now, sender_id=me.id, attachments=attachments)
            year = now.astimezone(deps.zone).year
            number = await next_number(session, Incident, year)
            incident = Incident(
                year=year,
                number=number,
                kind=draft.kind,
                severity=draft.severity,
                status="open",
                reporter_id=me.id,
                what=draft.what,
                discovered_at=draft.discovered_at,
                discovered_precision=draft.discovered_precision,
                location=draft.location,
                actions_taken=draft.actions_taken,
                reported_at=now,
                ack_limit_at=(due := ack_due(deps, draft.kind, draft.severity, now)),
                ack_due_at=due,
                ack_limit_in_force_at=due,
                filed_severity=draft.severity,
                needs_secretary_ack=draft.severity in policy.escalation.secretary_ack_severities,
            )
            session.add(incident)
            await session.flush()
            attach(session, incident.id, attachments)
            timeline(session, incident, at=now, kind="filed", actor_id=me.id)
            await search.index_incident(
                session, incident.id, draft.what, draft.location, draft.actions_taken, new=True
            )
            files = [(att["file_id"], att["kind"]) for att in attachments]
            handlers = route(session, incident, me, chosen, now, files)
            record(
                session,
                at=now,
                actor_id=me.id,
                action="incident.filed",
                subject_type="incident",
                subject_id=incident.id,
                clause=CLAUSE[draft.kind],
                ref=incident.ref,
                kind=str(draft.kind),
                severity=str(draft.severity or ""),
                handlers=len(handlers),
            )
            await group_notice(session, deps, incident, now)
            await drafts.drop(session, me.id)  # in this transaction: never filed twice
            return Filed(incident.id, incident.ref, len(handlers))

    return await numbered(write)


# Who is routed, each with the role and the grant of it they are routed by.
Chosen = dict[int, tuple[Person, str, int]]


async def handlers_for(
    session: AsyncSession,
    deps: Deps,
    kind: Kind,
    severity: Severity | None,
    committee_id: int | None,
) -> Chosen:
    """Routing by kind and severity from the policy (L4, L5, L1, A1): who handles a report
    of a member of `committee_id`, each with the role (and grant) they are routed by."""
    chosen: Chosen = {}
    for role in deps.policy.incidents.routing.roles_for(kind, severity):
        for person, grant in await role_holders(session, role, committee_id, with_grants=False):
            chosen.setdefault(person.id, (person, role, grant))
    return chosen or await fallback(session)


async def fallback(session: AsyncSession, *, besides: int | None = None) -> Chosen:
    """The office, else the admins: whoever must hear of work nobody else holds (a report
    nobody is routed to; the open work of somebody who lost the role or left)."""
    chosen: Chosen = {}
    for role in (Role.OFFICE, Role.ADMIN):
        for person, grant in await role_holders(session, role, with_grants=False):
            if person.id != besides:
                chosen.setdefault(person.id, (person, role, grant))
        if chosen:
            break
    return chosen


async def assign(
    session: AsyncSession,
    incident_id: int,
    person_id: int,
    now: datetime,
    *,
    reason: str,
    role: str | None = None,
    grant_id: int | None = None,
    by: int | None = None,
) -> bool:
    """Give `person_id` an assignment to the incident: why (routed, escalated, pulled_in,
    handed_over) and, when a role is the reason, the grant it stands on. An ended assignment is
    renewed in place (one row per person and incident). False when one already stands."""
    row = await session.scalar(
        select(IncidentHandler).where(
            IncidentHandler.incident_id == incident_id, IncidentHandler.person_id == person_id
        )
    )
    if row is not None and await session.scalar(
        select(exists().where(IncidentHandler.id == row.id, standing()))
    ):
        return False
    if row is None:
        row = IncidentHandler(incident_id=incident_id, person_id=person_id, added_at=now)
        session.add(row)
    row.reason, row.role, row.grant_id, row.added_by_id = reason, role, grant_id, by
    row.added_at, row.ended_at, row.ended_reason = now, None, None
    return True


def route(
    session: AsyncSession,
    incident: Incident,
    reporter: PersonView,
    chosen: Chosen,
    now: datetime,
    files: list[tuple[str, str]],
) -> list[Person]:
    """Each handler `chosen` (handlers_for) gets a card, then the report's `files`
    (file_id, kind), which the reporter attached."""
    params = card_params(incident, reporter)
    for person, role, grant in chosen.values():
        session.add(
            IncidentHandler(
                incident_id=incident.id,
                person_id=person.id,
                reason="routed",
                role=role,
                grant_id=grant,
                added_at=now,
            )
        )
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template="incident.card",
            params=params,
            buttons=card_buttons(
                incident.id, len(files), card=True, rated=incident.severity is not None
            ),
        )
        outbox.notify_files(
            session,
            now=now,
            person=person,
            ref=incident.ref,
            files=files,
        )
    timeline(
        session,
        incident,
        at=now,
        kind="routed",
        people=[p.display_name for p, _, _ in chosen.values()],
    )
    return [p for p, _, _ in chosen.values()]


async def group_notice(
    session: AsyncSession, deps: Deps, incident: Incident, now: datetime
) -> None:
    """The organisation group hears only that a serious incident is being handled (no content)."""
    if incident.severity not in deps.policy.incidents.group_notice.severities:
        return
    chat_id = await chat_for(session, Purpose.ORG)
    if chat_id is None:
        return
    outbox.enqueue(
        session,
        now=now,
        chat_id=chat_id,
        template="incident.group_notice",
        params={"severity": incident.severity, "reported_at": now.isoformat()},
    )
