"""Granting and revoking roles (R4): admins only, every change audited and announced; the
administrators named in the configuration; the person a /role reply is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotFound
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people import handover
from bot.people.authority import ADMINS_ONLY
from bot.people.models import Committee, Person, RoleGrant
from bot.people.roles import SINGLE_HOLDER, Role
from bot.people.service import door, reload, require_admin, upsert
from bot.people.view import ADMITTED, PersonView, TgUser, view


@dataclass(frozen=True)
class RoleChange:
    """What a grant or revocation did, for the admin's answer."""

    target: PersonView
    role: Role
    committee: str | None
    granted: bool  # False: revoked
    target_told: bool  # False: held until the person presses Start


async def _require_admin(session: AsyncSession, actor: TgUser, now: datetime) -> PersonView:
    return await require_admin(session, actor, now=now, refusal=ADMINS_ONLY)


async def _active_grant(
    session: AsyncSession, person_id: int, role: Role, committee_id: int | None
) -> RoleGrant | None:
    return await session.scalar(
        select(RoleGrant).where(
            RoleGrant.person_id == person_id,
            RoleGrant.role == role,
            RoleGrant.committee_id.is_(None)
            if committee_id is None
            else RoleGrant.committee_id == committee_id,
            RoleGrant.revoked_at.is_(None),
        )
    )


async def _person(session: AsyncSession, person_id: int) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("This person is not known to the bot."))
    return person


async def _committee(
    session: AsyncSession, role: Role, committee_id: int | None
) -> Committee | None:
    if role != Role.COMMITTEE_HEAD:
        return None
    if committee_id is None:
        raise InvalidInput(N_("Choose the committee this person will head."))
    committee = await session.get(Committee, committee_id)
    if committee is None:
        raise NotFound(N_("This committee no longer exists."))
    return committee


async def change_role(
    deps: Deps,
    actor: TgUser,
    *,
    person_id: int,
    role: Role,
    grant: bool,
    committee_id: int | None = None,
) -> RoleChange:
    """Grant or revoke one role (R4), audited and announced to the person. A repeated tap
    finds the change done and says so (rule 5)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await _require_admin(session, actor, now)
        target = await _person(session, person_id)
        committee = await _committee(session, role, committee_id)
        cid = committee.id if committee else None
        current = await _active_grant(session, target.id, role, cid)
        if grant:
            await _grant(session, me, target, role, cid, current=current, now=now)
        else:
            await _revoke(session, deps, me, target, role, cid, current=current, now=now)
        _announce(session, me, target, role, committee, grant=grant, now=now)
        await session.flush()
        target = await reload(session, target.id)
        return RoleChange(
            target=view(target),
            role=role,
            committee=committee.name if committee else None,
            granted=grant,
            target_told=target.started_at is not None,
        )


async def _grant(
    session: AsyncSession,
    me: PersonView,
    target: Person,
    role: Role,
    cid: int | None,
    *,
    current: RoleGrant | None,
    now: datetime,
) -> None:
    if not target.active:
        raise InvalidInput(
            N_("{name} is deactivated. Reactivate them first."), name=target.display_name
        )
    if current is not None:
        raise AlreadyDone(N_("{name} already holds this role."), name=target.display_name)
    if role in SINGLE_HOLDER:
        await _nobody_else_holds(session, role)
    session.add(
        RoleGrant(
            person_id=target.id, role=role, committee_id=cid, granted_by_id=me.id, granted_at=now
        )
    )
    if target.admission != ADMITTED:  # R4: whoever holds a role is a member
        target.admission, target.updated_at = ADMITTED, now
        record(
            session,
            at=now,
            actor_id=me.id,
            action="person.admitted",
            subject_type="person",
            subject_id=target.id,
            clause="R4",
            rule="role",
        )


async def _nobody_else_holds(session: AsyncSession, role: Role) -> None:
    """L1: one secretary at a time, so the first responsible person is never ambiguous."""
    holder = await session.scalar(
        select(Person)
        .join(RoleGrant, RoleGrant.person_id == Person.id)
        .where(RoleGrant.role == role, RoleGrant.revoked_at.is_(None))
    )
    if holder is not None:
        raise InvalidInput(
            N_("{name} is the secretary now. Revoke that role first."), name=holder.display_name
        )


async def _revoke(
    session: AsyncSession,
    deps: Deps,
    me: PersonView,
    target: Person,
    role: Role,
    cid: int | None,
    *,
    current: RoleGrant | None,
    now: datetime,
) -> None:
    if current is None:
        raise AlreadyDone(N_("{name} does not hold this role."), name=target.display_name)
    if role == Role.ADMIN and target.id == me.id:
        # An organisation must not lock itself out by a slip of the finger.
        raise InvalidInput(N_("You cannot revoke your own administrator role."))
    current.revoked_at = now
    current.revoked_by_id = me.id
    # Authority ends with the role: its assignments end, its open work moves on.
    await handover.incidents(
        session, target, now, by=me.id, grant_ids=[current.id], why=handover.ROLE_REVOKED
    )
    approver = role == Role.SECRETARY or (
        role == Role.DEPUTY and deps.policy.events.deputy_may_approve
    )
    await handover.decisions(
        session,
        deps,
        target,
        now,
        by=me.id,
        approver=approver,
        committee_ids={cid} if cid else set(),
        left=False,
        deputy_only=role == Role.DEPUTY,
    )


def _announce(
    session: AsyncSession,
    me: PersonView,
    target: Person,
    role: Role,
    committee: Committee | None,
    *,
    grant: bool,
    now: datetime,
) -> None:
    """The change in the audit log, and a message to the person (held until they Start)."""
    record(
        session,
        at=now,
        actor_id=me.id,
        action="role.grant" if grant else "role.revoke",
        subject_type="person",
        subject_id=target.id,
        clause="R4",
        role=str(role),
        committee=committee.name if committee else None,
    )
    outbox.notify_person(
        session,
        now=now,
        person=target,
        template="role.granted" if grant else "role.revoked",
        params={
            "role": str(role),
            "committee": committee.name if committee else "",
            "by": me.name,
        },
    )


async def ensure_bootstrap_admins(deps: Deps) -> int:
    """DUTYDESK_ADMIN_IDS are admins from the first start; returns how many were granted now."""
    now = deps.clock.now()
    granted = 0
    async with deps.db.transaction() as session:
        for telegram_id in deps.settings.admin_ids:
            person = await upsert(session, TgUser(id=telegram_id), now=now, started=False)
            if person.admission != ADMITTED:  # R4: configured administrators are always members
                person.admission, person.updated_at = ADMITTED, now
                record(
                    session,
                    at=now,
                    action="person.admitted",
                    subject_type="person",
                    subject_id=person.id,
                    clause="R4",
                    rule="DUTYDESK_ADMIN_IDS",
                )
            if await _active_grant(session, person.id, Role.ADMIN, None) is not None:
                continue
            session.add(RoleGrant(person_id=person.id, role=Role.ADMIN, granted_at=now))
            record(
                session,
                at=now,
                action="role.grant",
                subject_type="person",
                subject_id=person.id,
                clause="R4",
                role=str(Role.ADMIN),
                source="DUTYDESK_ADMIN_IDS",
            )
            granted += 1
    return granted


async def register_target(deps: Deps, actor: TgUser, target: TgUser) -> PersonView:
    """An admin replied /role to somebody's group message: make sure the bot knows them."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        await _require_admin(session, actor, now)
        # R4: somebody met in a group is not a member until admitted (or given a role).
        person = await upsert(
            session, target, now=now, started=False, admission=door(deps, target.id)
        )
        return view(await reload(session, person.id))
