"""Filing a report: one transaction writes the incident, its routing, its timeline, the audit
entry and every message it causes (rule 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.chats.service import Purpose, chat_for
from bot.db.refs import next_number, numbered
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.files import service as kept_files
from bot.i18n import N_
from bot.incidents.models import Incident, IncidentAttachment, IncidentHandler, TimelineEntry
from bot.incidents.rules import clean_text
from bot.outbox import service as outbox
from bot.outbox.service import Button
from bot.people.models import Person, RoleGrant
from bot.people.roles import Role
from bot.people.service import PersonView, TgUser, acting, people_with_role
from bot.policy.model import Kind, Severity
from bot.policy.worktime import add_working_minutes

# Clause per kind, for the audit trail and the ledger.
CLAUSE = {
    Kind.NETWORK_SECURITY: "L4",
    Kind.PUBLIC_OPINION: "P2",
    Kind.EVENT_INCIDENT: "R6",
    Kind.INFORMATION: "A1",
}


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


def timeline(
    session: AsyncSession, incident: Incident, *, at: datetime, kind: str,
    actor_id: int | None = None, text: str | None = None, **data: Any,
) -> None:  # fmt: skip
    session.add(
        TimelineEntry(
            incident_id=incident.id, at=at, actor_id=actor_id, kind=kind, text=text, data=data
        )
    )


def card_params(incident: Incident, reporter: Person | PersonView) -> dict[str, Any]:
    """What a handler's card shows; rendered in the handler's language at delivery."""
    return {
        "id": incident.id,
        "ref": incident.ref,
        "kind": incident.kind,
        "severity": incident.severity or "",
        "what": incident.what,
        "discovered_at": incident.discovered_at.isoformat(),
        "discovered_precision": incident.discovered_precision,
        "location": incident.location,
        "actions_taken": incident.actions_taken,
        "reporter": reporter.display_name,
        "ack_due_at": incident.ack_due_at.isoformat() if incident.ack_due_at else "",
    }


def card_buttons(incident_id: int, files: int = 0) -> list[list[Button]]:
    """The card's actions; Attachments when the reporter attached `files` (anyone who acts on
    the incident can have them sent, whenever they joined)."""

    def b(label: str, action: str) -> Button:
        return Button(label, f"1in:{action}:{incident_id}")

    last = [b(N_("Timeline"), "tl")] + ([b(N_("Attachments"), "at")] if files else [])
    return [
        [b(N_("Acknowledge"), "ak"), b(N_("Add update"), "up")],
        [b(N_("Escalate upward"), "hi"), b(N_("Pull in"), "pl")],
        [b(N_("Contain"), "ct"), b(N_("Close"), "cl")],
        last,
    ]


async def attachment_count(session: AsyncSession, incident_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(IncidentAttachment)
        .where(IncidentAttachment.incident_id == incident_id)
    )
    return int(count or 0)


def ack_due(deps: Deps, kind: Kind, severity: Severity | None, now: datetime) -> datetime:
    limit = deps.policy.incidents.acknowledge.for_(kind, severity)
    if limit.working_time:
        return add_working_minutes(now, limit.minutes, deps.zone, deps.policy.working_hours)
    return now + timedelta(minutes=limit.minutes)


async def file_report(deps: Deps, reporter: TgUser, draft: ReportDraft) -> Filed:
    """Submit: the incident exists; its handlers, the leadership and the group are told."""
    policy = deps.policy.incidents
    now = deps.clock.now()
    for text in (draft.what, draft.location, draft.actions_taken):
        clean_text(text, policy.max_text)
    if draft.kind == Kind.INFORMATION:
        draft.severity = None
    elif draft.severity is None:
        raise InvalidInput(N_("Please choose how serious it is."))
    if draft.discovered_at > now + timedelta(minutes=1):
        raise InvalidInput(N_("That moment is in the future. When was it discovered?"))

    async def write() -> Filed:  # again if a racing writer took the number
        async with deps.db.transaction() as session:
            # The reporter as acting() reads them (one SELECT): loading the Person and its
            # grants again cost two statements more on every Submit (issue 8).
            me = await acting(session, reporter, now=now)
            # Read before anything is added: each read after an add flushes first (issue 8).
            chosen = await handlers_for(session, deps, draft.kind, draft.severity, me.committee_id)
            attachments = draft.attachments[: policy.max_attachments]
            # The office keeps its own copy of each file (fetched after this commits).
            await kept_files.keep(session, deps, now=now, sender_id=me.id, attachments=attachments)
            year = now.astimezone(deps.zone).year
            number = await next_number(session, Incident, year)
            incident = Incident(
                year=year, number=number, kind=draft.kind, severity=draft.severity,
                status="open", reporter_id=me.id, what=draft.what,
                discovered_at=draft.discovered_at, discovered_precision=draft.discovered_precision,
                location=draft.location, actions_taken=draft.actions_taken, reported_at=now,
                ack_limit_at=(due := ack_due(deps, draft.kind, draft.severity, now)),
                ack_due_at=due,
                needs_secretary_ack=draft.severity in policy.escalation.secretary_ack_severities,
            )  # fmt: skip
            session.add(incident)
            await session.flush()
            for att in attachments:
                session.add(IncidentAttachment(incident_id=incident.id, file_id=att["file_id"],
                                               kind=att["kind"], name=att.get("name"),
                                               size=att.get("size")))  # fmt: skip
            timeline(session, incident, at=now, kind="filed", actor_id=me.id)
            files = [(att["file_id"], att["kind"]) for att in attachments]
            handlers = route(session, incident, me, chosen, now, files)
            record(
                session, at=now, actor_id=me.id, action="incident.filed", subject_type="incident",
                subject_id=incident.id, clause=CLAUSE[draft.kind], ref=incident.ref,
                kind=str(draft.kind), severity=str(draft.severity or ""), handlers=len(handlers),
            )  # fmt: skip
            await group_notice(session, deps, incident, now)
            await drafts.drop(session, me.id)  # in this transaction: never filed twice
            return Filed(incident.id, incident.ref, len(handlers))

    return await numbered(write)


async def handlers_for(
    session: AsyncSession,
    deps: Deps,
    kind: Kind,
    severity: Severity | None,
    committee_id: int | None,
) -> dict[int, tuple[Person, str]]:
    """Routing by kind and severity from the policy (L4, L5, L1, A1): who handles a report
    of a member of `committee_id`, each with the role they are routed by."""
    chosen: dict[int, tuple[Person, str]] = {}
    for role in deps.policy.incidents.routing.roles_for(kind, severity):
        for person in await people_with_role(session, role, committee_id, with_grants=False):
            chosen.setdefault(person.id, (person, role))
    if not chosen:
        # Nobody holds the routed roles yet: the office, else the admins, must still hear of it.
        for role in (Role.OFFICE, Role.ADMIN):
            for person in await people_with_role(session, role, with_grants=False):
                chosen.setdefault(person.id, (person, role))
            if chosen:
                break
    return chosen


def route(
    session: AsyncSession,
    incident: Incident,
    reporter: PersonView,
    chosen: dict[int, tuple[Person, str]],
    now: datetime,
    files: list[tuple[str, str]],
) -> list[Person]:
    """Each handler `chosen` (handlers_for) gets a card, then the report's `files`
    (file_id, kind), which the reporter attached."""
    params = card_params(incident, reporter)
    for person, role in chosen.values():
        session.add(
            IncidentHandler(
                incident_id=incident.id, person_id=person.id, reason="routed", role=role,
                added_at=now,
            )
        )  # fmt: skip
        outbox.notify_person(
            session, now=now, person=person, template="incident.card", params=params,
            buttons=card_buttons(incident.id, len(files)),
        )  # fmt: skip
        outbox.notify_files(
            session,
            now=now,
            person=person,
            ref=incident.ref,
            files=files,
        )
    timeline(
        session, incident, at=now, kind="routed",
        people=[p.display_name for p, _ in chosen.values()],
    )  # fmt: skip
    return [p for p, _ in chosen.values()]


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
        session, now=now, chat_id=chat_id, template="incident.group_notice",
        params={"severity": incident.severity, "reported_at": now.isoformat()},
    )  # fmt: skip


async def load_for(
    session: AsyncSession, incident_id: int, *, for_update: bool = False
) -> Incident:
    query = select(Incident).where(Incident.id == incident_id)
    if for_update:
        query = query.with_for_update()
    incident = await session.scalar(query)
    if incident is None:
        raise NotFound(N_("This report no longer exists."))
    return incident


async def may_handle(session: AsyncSession, incident: Incident, person_id: int) -> bool:
    """Its handlers, the deputy and the secretary may act on an incident (L1, L2, L5)."""
    if any(h.person_id == person_id for h in incident.handlers):
        return True
    leaders = await session.scalar(
        select(func.count())
        .select_from(RoleGrant)
        .where(
            RoleGrant.person_id == person_id,
            RoleGrant.role.in_([Role.SECRETARY, Role.DEPUTY]),
            RoleGrant.revoked_at.is_(None),
        )
    )
    return bool(leaders)


async def require_handler(session: AsyncSession, incident: Incident, person_id: int) -> None:
    if not await may_handle(session, incident, person_id):
        raise NotAllowed(N_("Only the handlers of this report and the leadership can do that."))
