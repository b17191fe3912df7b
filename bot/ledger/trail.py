"""The audit trail and the calendar's sends a ledger is computed from: each clause-citing step
with the clause it served, the reminders and lapse notices sent, and how often each event step
was taken. Read once for a period and a reader's scope, like the records (records.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.audit.models import AuditEntry
from bot.calendar.models import Occurrence
from bot.db.refs import reference
from bot.events.models import EventRequest
from bot.incidents.models import Incident
from bot.ledger.period import LedgerPeriod
from bot.ledger.records import full_name, stream
from bot.ledger.scope import Scope
from bot.people.models import Person
from bot.register.service import SUBJECT as REGISTER

# Never in the ledger: the accountability register is seen only through /register (C), where
# every reading is audited.
HIDDEN_SUBJECTS = (REGISTER,)


@dataclass(frozen=True)
class Step:
    """One audited step with the clause it served."""

    at: datetime
    action: str
    clause: str
    subject_type: str
    subject: str  # the incident's or event's reference, else ""
    actor: str | None  # None: the bot itself
    data: dict[str, Any]


@dataclass(frozen=True)
class Reminder:
    """A reminder or lapse notice the calendar sent, with its obligation and clause."""

    at: datetime
    key: str
    obligation: str
    clause: str


async def steps(
    session: AsyncSession, period: LedgerPeriod, scope: Scope, clauses: tuple[str, ...] = ()
) -> list[Step]:
    """Audited steps that cite a clause (these clauses, or any), within the period and the
    scope."""
    actor = aliased(Person)
    query = (
        select(
            AuditEntry.at,
            AuditEntry.action,
            AuditEntry.clause,
            AuditEntry.subject_type,
            Incident.year,
            Incident.number,
            EventRequest.year,
            EventRequest.number,
            actor.first_name,
            actor.last_name,
            AuditEntry.data,
        )
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .outerjoin(
            Incident,
            and_(AuditEntry.subject_type == "incident", Incident.id == AuditEntry.subject_id),
        )
        .outerjoin(
            EventRequest,
            and_(AuditEntry.subject_type == "event", EventRequest.id == AuditEntry.subject_id),
        )
        .where(
            AuditEntry.at >= period.start,
            AuditEntry.at < period.end,
            AuditEntry.clause.is_not(None),
            AuditEntry.subject_type.not_in(HIDDEN_SUBJECTS),
            or_(
                and_(AuditEntry.subject_type == "incident", scope.incidents()),
                and_(AuditEntry.subject_type == "event", scope.events()),
                and_(AuditEntry.subject_type.not_in(("incident", "event")), scope.others()),
            ),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    if clauses:
        query = query.where(AuditEntry.clause.in_(clauses))
    out = []
    async for at, action, cl, kind, iy, inum, ey, enum, first, last, data in stream(session, query):
        subject = reference("INC", iy, inum) if iy else reference("EVT", ey, enum) if ey else ""
        out.append(Step(at, action, cl or "", kind, subject, full_name(first, last) or None, data))
    return out


async def reminders(session: AsyncSession, period: LedgerPeriod) -> list[Reminder]:
    """Reminders and lapse notices the calendar sent within the period (A2, R2, R3, A3)."""
    rows = await session.execute(
        select(Occurrence.fired_at, Occurrence.key, Occurrence.obligation, Occurrence.clause)
        .where(
            Occurrence.fired_at >= period.start,
            Occurrence.fired_at < period.end,
            Occurrence.outcome == "sent",
            Occurrence.obligation != "digest",
        )
        .order_by(Occurrence.fired_at, Occurrence.id)
    )
    return [Reminder(*row) for row in rows]


async def event_steps(session: AsyncSession, period: LedgerPeriod, scope: Scope) -> dict[str, int]:
    """How many times each event step (approve, reject, file, …) was taken within the period."""
    rows = await session.execute(
        select(AuditEntry.action, func.count())
        .join(EventRequest, EventRequest.id == AuditEntry.subject_id)
        .where(
            AuditEntry.subject_type == "event",
            AuditEntry.at >= period.start,
            AuditEntry.at < period.end,
            scope.events(),
        )
        .group_by(AuditEntry.action)
    )
    return {action: count for action, count in rows}
