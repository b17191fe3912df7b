"""Acting approvers: the secretary names somebody to decide on events for a range of days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotFound
from bot.events.models import ActingApprover
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import ADMITTED, PersonView, TgUser


@dataclass(frozen=True)
class Acting:
    name: str
    first_day: str
    last_day: str


def today(deps: Deps, now: datetime) -> str:
    """The date of `now` in the organisation's time zone (YYYY-MM-DD): the day by which acting
    appointments (R6) are judged."""
    return now.astimezone(deps.zone).date().isoformat()


async def may_approve(session: AsyncSession, deps: Deps, me: PersonView, now: datetime) -> bool:
    """The secretary; the deputy where the policy allows (L2); an acting approver today —
    judged now, in one place (bot.people.authority)."""
    deputy = deps.policy.events.deputy_may_approve
    return await authority.approves(session, me, deputy=deputy, day=today(deps, now))


async def _secretary(session: AsyncSession, actor: TgUser, now: datetime) -> PersonView:
    """The acting person, who must be the secretary now: only she names and revokes (R6)."""
    me = await acting(session, actor, now=now)
    authority.require_role(
        me, (Role.SECRETARY,), N_("Only the secretary can name an acting approver.")
    )
    return me


async def acting_now(session: AsyncSession, deps: Deps, now: datetime) -> list[Person]:
    """Who may decide today besides the secretary and the deputy."""
    day = today(deps, now)
    rows = await session.scalars(
        select(Person)
        .join(ActingApprover, ActingApprover.person_id == Person.id)
        .where(
            Person.deactivated_at.is_(None),
            ActingApprover.revoked_at.is_(None),
            ActingApprover.first_day <= day,
            ActingApprover.last_day >= day,
        )
    )
    return list(rows.unique())


async def name_acting(
    deps: Deps, actor: TgUser, *, person_id: int, first_day: str, last_day: str
) -> Acting:
    """The secretary names an acting approver from `first_day` to `last_day` (inclusive)."""
    now = deps.clock.now()
    try:
        first, last = date.fromisoformat(first_day), date.fromisoformat(last_day)
    except ValueError:
        raise InvalidInput(
            N_("Please write the dates like {example}."), example=today(deps, now)
        ) from None
    if last < first or last.isoformat() < today(deps, now):
        raise InvalidInput(N_("The last day must not be before the first day, nor in the past."))
    async with deps.db.transaction() as session:
        me = await _secretary(session, actor, now)
        person = await session.get(Person, person_id)
        if person is None or person.admission != ADMITTED:
            raise InvalidInput(N_("This person is not known to the bot."))
        if not person.active:  # nobody who left decides
            raise InvalidInput(authority.NOT_PICKABLE, name=person.display_name)
        if person.id == me.id:  # R6, L2: an acting approver decides in the secretary's place
            raise InvalidInput(
                N_("You cannot name yourself: an acting approver decides in your place.")
            )
        row = ActingApprover(
            person_id=person.id,
            first_day=first.isoformat(),
            last_day=last.isoformat(),
            named_by_id=me.id,
            named_at=now,
            # Starting today: the naming itself tells them it starts.
            start_told_at=now if first.isoformat() <= today(deps, now) else None,
        )
        session.add(row)
        await session.flush()
        record(
            session,
            at=now,
            actor_id=me.id,
            action="event.acting_named",
            subject_type="person",
            subject_id=person.id,
            clause="R6",
            first_day=row.first_day,
            last_day=row.last_day,
        )
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template="event.acting",
            params={"by": me.name, "first_day": row.first_day, "last_day": row.last_day},
        )
        return Acting(person.display_name, row.first_day, row.last_day)


@dataclass(frozen=True)
class Appointment:
    id: int
    name: str
    first_day: str
    last_day: str
    current: bool  # in force today; else it starts later


async def appointments(deps: Deps, actor: TgUser) -> list[Appointment]:
    """/acting: the appointments in force today or starting later, not revoked."""
    now = deps.clock.now()
    day = today(deps, now)
    async with deps.db.transaction() as session:
        await _secretary(session, actor, now)
        rows = await session.execute(
            select(ActingApprover, Person)
            .join(Person, Person.id == ActingApprover.person_id)
            .where(ActingApprover.revoked_at.is_(None), ActingApprover.last_day >= day)
            .order_by(ActingApprover.first_day, ActingApprover.id)
        )
        return [
            Appointment(a.id, p.display_name, a.first_day, a.last_day, a.first_day <= day)
            for a, p in rows
        ]


async def revoke_acting(deps: Deps, actor: TgUser, appointment_id: int) -> Appointment:
    """The secretary ends an appointment before its last day: once (conditional update),
    audited, and the appointee is told."""
    now = deps.clock.now()
    day = today(deps, now)
    async with deps.db.transaction() as session:
        me = await _secretary(session, actor, now)
        result = await session.execute(
            update(ActingApprover)
            .where(
                ActingApprover.id == appointment_id,
                ActingApprover.revoked_at.is_(None),
                ActingApprover.last_day >= day,
            )
            .values(revoked_at=now, revoked_by_id=me.id, end_told_at=now)
        )
        row = await session.get(ActingApprover, appointment_id, populate_existing=True)
        person = await session.get(Person, row.person_id) if row is not None else None
        if row is None or person is None:
            raise NotFound(N_("This appointment no longer exists."))
        if not getattr(result, "rowcount", 0):
            raise AlreadyDone(N_("This appointment has already ended."))
        record(
            session,
            at=now,
            actor_id=me.id,
            action="event.acting_revoked",
            subject_type="person",
            subject_id=person.id,
            clause="R6",
            appointment=row.id,
            first_day=row.first_day,
            last_day=row.last_day,
        )
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template="event.acting_ended",
            params={"by": me.name, "first_day": row.first_day, "last_day": row.last_day},
        )
        return Appointment(row.id, person.display_name, row.first_day, row.last_day, False)


async def tell_appointees(session: AsyncSession, deps: Deps, now: datetime) -> int:
    """The events sweep: an appointee is told the morning an appointment starts (if it was
    named earlier) and the day after it ends; once each (stamps)."""
    day = today(deps, now)
    rows = list(
        await session.execute(
            select(ActingApprover, Person)
            .join(Person, Person.id == ActingApprover.person_id)
            .where(
                ActingApprover.revoked_at.is_(None),
                or_(
                    and_(
                        ActingApprover.start_told_at.is_(None),
                        ActingApprover.first_day <= day,
                        ActingApprover.last_day >= day,
                    ),
                    and_(ActingApprover.end_told_at.is_(None), ActingApprover.last_day < day),
                ),
            )
            .order_by(ActingApprover.id)
        )
    )
    for row, person in rows:
        params = {"first_day": row.first_day, "last_day": row.last_day}
        if row.last_day < day:
            row.start_told_at = row.start_told_at or now  # over before a sweep saw it start
            row.end_told_at = now
            template = "event.acting_over"
        else:
            row.start_told_at = now
            template = "event.acting_starts"
        outbox.notify_person(session, now=now, person=person, template=template, params=params)
    return len(rows)
