"""Leaving (R4): an admin deactivates a person who left or moved post, and may bring them back.

Deactivating ends every role they hold (each audited as a role change), moves the open work
they held to someone who can act (bot/people/handover.py) and ends an acting appointment; from
then on they can neither act nor be picked, and their name stays on every record. Blocking the
bot or deleting the Telegram account deactivates nobody: the office is told and decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.errors import AlreadyDone, InvalidInput, NotFound
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people import handover
from bot.people.models import Person, RoleGrant
from bot.people.roles import Role
from bot.people.service import reload, require_admin
from bot.people.view import PersonView, TgUser, view

REFUSAL = N_("Only an administrator can deactivate or reactivate people.")


@dataclass(frozen=True)
class Left:
    person: PersonView
    roles: int  # roles that ended
    incidents: int  # open incidents handed to the office
    events: int  # event requests moved on


async def _locked(session: AsyncSession, person_id: int) -> Person:
    person = await session.scalar(
        select(Person).where(Person.id == person_id).with_for_update(of=Person)
    )
    if person is None:
        raise NotFound(N_("This person is not known to the bot."))
    return person


async def check_may(deps: Deps, actor: TgUser, person_id: int) -> None:
    """Before asking to confirm: would deactivating be possible now? Reads only."""
    async with deps.db.transaction() as session:  # a refusal rolls back: nothing recorded
        me = await require_admin(session, actor, now=deps.clock.now(), refusal=REFUSAL)
        _refuse(deps, me, await _locked(session, person_id))


def _refuse(deps: Deps, me: PersonView, target: Person) -> None:
    if target.deactivated_at is not None:
        raise AlreadyDone(N_("{name} is already deactivated."), name=target.display_name)
    if target.id == me.id:
        raise InvalidInput(N_("You cannot deactivate yourself."))
    if target.telegram_id in deps.settings.admin_ids:
        # Configuration makes them an administrator again at every start.
        raise InvalidInput(
            N_(
                "{name} is an administrator named in the configuration and cannot be "
                "deactivated here."
            ),
            name=target.display_name,
        )


async def deactivate(deps: Deps, actor: TgUser, person_id: int) -> Left:
    """The person left: roles end, open work moves, they can no longer act or be picked.
    Two presses (or two admins) at once deactivate once: the row is locked and re-read."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await require_admin(session, actor, now=now, refusal=REFUSAL)
        target = await _locked(session, person_id)
        _refuse(deps, me, target)
        grants = list(
            await session.scalars(
                select(RoleGrant)
                .where(RoleGrant.person_id == target.id, RoleGrant.revoked_at.is_(None))
                .order_by(RoleGrant.id)
            )
        )
        roles = {Role(g.role) for g in grants}
        for grant in grants:
            grant.revoked_at, grant.revoked_by_id = now, me.id
            record(
                session,
                at=now,
                actor_id=me.id,
                action="role.revoke",
                subject_type="person",
                subject_id=target.id,
                clause="R4",
                role=grant.role,
                committee=grant.committee.name if grant.committee else None,
                why=handover.DEACTIVATED,
            )
        target.deactivated_at, target.deactivated_by_id, target.updated_at = now, me.id, now
        moved = await handover.incidents(
            session, target, now, by=me.id, grant_ids=None, why=handover.DEACTIVATED
        )
        was_acting = await handover.acting(session, deps, target, now, by=me.id)
        approver = (
            Role.SECRETARY in roles
            or (Role.DEPUTY in roles and deps.policy.events.deputy_may_approve)
            or was_acting
        )
        headed = {g.committee_id for g in grants if g.role == Role.COMMITTEE_HEAD}
        events = await handover.decisions(
            session,
            deps,
            target,
            now,
            by=me.id,
            approver=approver,
            committee_ids={c for c in headed if c is not None},
            left=True,
            deputy_only=Role.SECRETARY not in roles and not was_acting,
        )
        await drafts.drop(session, target.id)  # a conversation they began can no longer end
        record(
            session,
            at=now,
            actor_id=me.id,
            action="person.deactivated",
            subject_type="person",
            subject_id=target.id,
            clause="R4",
            roles=sorted(str(r) for r in roles),
            incidents=moved,
            events=events,
        )
        outbox.notify_person(
            session, now=now, person=target, template="person.deactivated", params={"by": me.name}
        )
        await session.flush()
        return Left(view(await reload(session, target.id)), len(grants), moved, events)


async def reactivate(deps: Deps, actor: TgUser, person_id: int) -> PersonView:
    """Back as a plain member: no role returns by itself (an admin grants what is needed)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await require_admin(session, actor, now=now, refusal=REFUSAL)
        target = await _locked(session, person_id)
        if target.deactivated_at is None:
            raise AlreadyDone(N_("{name} is an active member."), name=target.display_name)
        target.deactivated_at, target.deactivated_by_id, target.updated_at = None, None, now
        record(
            session,
            at=now,
            actor_id=me.id,
            action="person.reactivated",
            subject_type="person",
            subject_id=target.id,
            clause="R4",
        )
        outbox.notify_person(
            session, now=now, person=target, template="person.reactivated", params={"by": me.name}
        )
        await session.flush()
        return view(await reload(session, target.id))
