"""The inspector (R7, C): a member of an inspection group reads the ledger, for a limited time
and optionally only a limited period of records; nothing else.

An inspector need not be a member (R4): the admission gate lets them through to the ledger
alone while a grant is valid. The grant ends by itself — every reading checks the time — and
every reading is audited (`ledger.read`, by whom, which period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people.models import InspectorGrant, Person
from bot.people.roles import Role
from bot.people.service import acting
from bot.people.view import TgUser

GRANTERS = (Role.SECRETARY, Role.ADMIN)
SAYS = N_(
    "As an inspector you may only read the ledger and its records: send /ledger, /record or /find."
)


@dataclass(frozen=True)
class Inspection:
    name: str
    first_day: str  # valid from this day …
    last_day: str  # … to this day, inclusive
    period_first: str | None  # the records they may read; None: all
    period_last: str | None


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(N_("Please write the dates like 2026-12-01.")) from None


async def grant(
    deps: Deps,
    actor: TgUser,
    *,
    person_id: int,
    first_day: str,
    last_day: str,
    period_first: str | None = None,
    period_last: str | None = None,
) -> Inspection:
    """The secretary or an administrator lets somebody read the ledger from `first_day` to
    `last_day` (inclusive), optionally only the records of `period_first`–`period_last`."""
    now = deps.clock.now()
    first, last = _day(first_day), _day(last_day)
    today = now.astimezone(deps.zone).date()
    if last < first or last < today:
        raise InvalidInput(N_("The last day must not be before the first day, nor in the past."))
    if (period_first is None) != (period_last is None):
        raise InvalidInput(N_("Give both the first and the last day of the readable period."))
    if period_first and period_last and _day(period_last) < _day(period_first):
        raise InvalidInput(N_("The readable period ends before it begins."))
    async with deps.db.transaction() as session:
        me = await acting(session, actor, now=now)
        if not me.has(*GRANTERS):
            raise NotAllowed(N_("Only the secretary or an administrator can appoint an inspector."))
        person = await session.get(Person, person_id)
        if person is None:
            raise NotFound(N_("This person is not known to the bot."))
        row = InspectorGrant(
            person_id=person.id,
            granted_by_id=me.id,
            granted_at=now,
            valid_from=datetime.combine(first, time(), deps.zone),
            valid_until=datetime.combine(last + timedelta(days=1), time(), deps.zone),
            period_first=period_first,
            period_last=period_last,
        )
        session.add(row)
        await session.flush()
        params = {
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
            "period_first": period_first or "",
            "period_last": period_last or "",
        }
        record(
            session,
            at=now,
            actor_id=me.id,
            action="inspector.granted",
            subject_type="person",
            subject_id=person.id,
            clause="R7",
            **params,
        )
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template="inspector.granted",
            params={"by": me.name, **params},
        )
        return Inspection(
            person.display_name, first.isoformat(), last.isoformat(), period_first, period_last
        )


async def valid(session: AsyncSession, person_id: int, now: datetime) -> InspectorGrant | None:
    """The person's inspector grant in force at `now`, if any."""
    return await session.scalar(
        select(InspectorGrant)
        .where(
            InspectorGrant.person_id == person_id,
            InspectorGrant.revoked_at.is_(None),
            InspectorGrant.valid_from <= now,
            InspectorGrant.valid_until > now,
        )
        .order_by(InspectorGrant.id.desc())
        .limit(1)
    )


async def inspecting(deps: Deps, telegram_id: int) -> bool:
    """Whether this Telegram user holds an inspector grant in force now (the gate asks)."""
    now = deps.clock.now()
    async with deps.db.read() as session:
        person_id = await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))
        return person_id is not None and await valid(session, person_id, now) is not None


async def in_office(deps: Deps, telegram_id: int) -> Inspection | None:
    """The inspection this Telegram user holds now, if any (what /help tells them)."""
    now = deps.clock.now()
    async with deps.db.read() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        row = await valid(session, person.id, now) if person is not None else None
        if person is None or row is None:
            return None
        last = (row.valid_until.astimezone(deps.zone) - timedelta(days=1)).date()
        first = row.valid_from.astimezone(deps.zone).date()
        return Inspection(
            person.display_name,
            first.isoformat(),
            last.isoformat(),
            row.period_first,
            row.period_last,
        )
