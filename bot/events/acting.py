"""Acting approvers: the secretary names somebody to decide on events for a range of days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import InvalidInput
from bot.events.models import ActingApprover
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people import authority
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import PersonView, TgUser, acting


@dataclass(frozen=True)
class Acting:
    name: str
    first_day: str
    last_day: str


def today(deps: Deps, now: datetime) -> str:
    return now.astimezone(deps.zone).date().isoformat()


async def may_approve(session: AsyncSession, deps: Deps, me: PersonView, now: datetime) -> bool:
    """The secretary; the deputy where the policy allows (L2); an acting approver today —
    judged now, in one place (bot.people.authority)."""
    deputy = deps.policy.events.deputy_may_approve
    return await authority.approves(session, me, deputy=deputy, day=today(deps, now))


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
        me = await acting(session, actor, now=now)
        authority.require_role(
            me, (Role.SECRETARY,), N_("Only the secretary can name an acting approver.")
        )
        person = await session.get(Person, person_id)
        if person is None:
            raise InvalidInput(N_("This person is not known to the bot."))
        if not person.active:  # nobody who left decides
            raise InvalidInput(authority.NOT_PICKABLE, name=person.display_name)
        row = ActingApprover(
            person_id=person.id,
            first_day=first.isoformat(),
            last_day=last.isoformat(),
            named_by_id=me.id,
            named_at=now,
        )
        session.add(row)
        await session.flush()
        record(session, at=now, actor_id=me.id, action="event.acting_named",
               subject_type="person", subject_id=person.id, clause="R6",
               first_day=row.first_day, last_day=row.last_day)  # fmt: skip
        outbox.notify_person(
            session, now=now, person=person, template="event.acting",
            params={"by": me.name, "first_day": row.first_day, "last_day": row.last_day},
        )  # fmt: skip
        return Acting(person.display_name, row.first_day, row.last_day)
