"""Committees (R5): an admin names one while making somebody its head, and makes a person a
member of one, so its head sees their items (L3). Every change audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import freetext
from bot.audit.service import record
from bot.deps import Deps
from bot.errors import AlreadyDone, NotFound
from bot.i18n import N_
from bot.people.authority import ADMINS_ONLY
from bot.people.models import Committee
from bot.people.service import reload, require_admin
from bot.people.view import PersonView, TgUser, view


async def _require_admin(session: AsyncSession, actor: TgUser, now: datetime) -> PersonView:
    return await require_admin(session, actor, now=now, refusal=ADMINS_ONLY)


async def listed(session: AsyncSession) -> list[tuple[int, str]]:
    """Every committee, by name: its id and name."""
    rows = await session.execute(select(Committee.id, Committee.name).order_by(Committee.name))
    return [(int(r[0]), str(r[1])) for r in rows]


async def create_committee(deps: Deps, actor: TgUser, name: str) -> tuple[int, str]:
    """An admin names a new committee (R5) while making somebody its head."""
    clean = freetext.clean("committee", name, deps.policy)
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await _require_admin(session, actor, now)
        existing = await session.scalar(select(Committee).where(Committee.name == clean))
        if existing is not None:
            return existing.id, existing.name
        committee = Committee(name=clean, created_at=now)
        session.add(committee)
        await session.flush()
        record(
            session,
            at=now,
            actor_id=me.id,
            action="committee.create",
            subject_type="committee",
            subject_id=committee.id,
            clause="R5",
            name=clean,
        )
        return committee.id, committee.name


async def set_committee(
    deps: Deps, actor: TgUser, *, person_id: int, committee_id: int | None
) -> PersonView:
    """Make a person a member of a committee (R5), so its head sees their items (L3)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await _require_admin(session, actor, now)
        person = await reload(session, person_id)
        committee = await session.get(Committee, committee_id) if committee_id else None
        if committee_id and committee is None:
            raise NotFound(N_("This committee no longer exists."))
        if person.committee_id == committee_id:
            raise AlreadyDone(N_("Nothing changed."))
        old = person.committee_id
        person.committee_id, person.updated_at = committee_id, now
        record(
            session,
            at=now,
            actor_id=me.id,
            action="person.committee",
            subject_type="person",
            subject_id=person.id,
            clause="R5",
            old=old,
            new=committee_id,
        )
        await session.flush()
        return view(await reload(session, person.id))
