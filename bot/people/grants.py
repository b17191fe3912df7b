"""Granting and revoking roles (R4): admins only, every change audited and announced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import freetext
from bot.audit.service import record
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people import authority, handover
from bot.people.models import Committee, Person, RoleGrant
from bot.people.roles import SINGLE_HOLDER, Role
from bot.people.service import (
    MEMBER_LISTERS,
    PersonView,
    TgUser,
    door,
    reload,
    require_admin,
    upsert,
    view,
)
from bot.people.view import ADMITTED


@dataclass(frozen=True)
class RoleChange:
    target: PersonView
    role: Role
    committee: str | None
    granted: bool  # False: revoked
    target_told: bool  # False: held until the person presses Start


async def _require_admin(session: AsyncSession, actor: TgUser, now: datetime) -> PersonView:
    return await require_admin(
        session, actor, now=now, refusal=N_("Only an administrator can change roles.")
    )


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
    """Grant or revoke one role. A repeated tap finds the change done and says so (rule 5)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await _require_admin(session, actor, now)
        target = await _person(session, person_id)
        committee = await _committee(session, role, committee_id)
        cid = committee.id if committee else None
        current = await _active_grant(session, target.id, role, cid)
        if grant:
            if not target.active:
                raise InvalidInput(
                    N_("{name} is deactivated. Reactivate them first."), name=target.display_name
                )
            if current is not None:
                raise AlreadyDone(N_("{name} already holds this role."), name=target.display_name)
            if role in SINGLE_HOLDER:
                holder = await session.scalar(
                    select(Person)
                    .join(RoleGrant, RoleGrant.person_id == Person.id)
                    .where(RoleGrant.role == role, RoleGrant.revoked_at.is_(None))
                )
                if holder is not None:
                    raise InvalidInput(
                        N_("{name} is the secretary now. Revoke that role first."),
                        name=holder.display_name,
                    )
            session.add(
                RoleGrant(
                    person_id=target.id,
                    role=role,
                    committee_id=cid,
                    granted_by_id=me.id,
                    granted_at=now,
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
        else:
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
        await session.flush()
        target = await reload(session, target.id)
        return RoleChange(
            target=view(target),
            role=role,
            committee=committee.name if committee else None,
            granted=grant,
            target_told=target.started_at is not None,
        )


async def list_committees(deps: Deps) -> list[tuple[int, str]]:
    async with deps.db.read() as session:
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


@dataclass(frozen=True)
class RoleCard:
    person: PersonView
    committees: list[tuple[int, str]]  # every committee, with the ones this person heads first
    headed: list[tuple[int, str]]
    can_edit: bool


async def role_card(deps: Deps, actor: TgUser, person_id: int) -> RoleCard:
    """A person's roles, to show; editable for admins, readable for the leadership."""
    async with deps.db.read() as session:
        person_me = await session.scalar(select(Person).where(Person.telegram_id == actor.id))
        me = view(person_me) if person_me else None
        can_edit = me is not None and authority.holds(me, Role.ADMIN)
        if me is None or not authority.holds(me, *MEMBER_LISTERS):
            raise NotAllowed(N_("Only an administrator can change roles."))
        person = await session.get(Person, person_id)
        if person is None:
            raise NotFound(N_("This person is not known to the bot."))
        headed = sorted(
            (g.committee.id, g.committee.name)
            for g in person.grants
            if g.role == Role.COMMITTEE_HEAD and g.committee is not None
        )
        rows = await session.execute(select(Committee.id, Committee.name).order_by(Committee.name))
        committees = [(int(r[0]), str(r[1])) for r in rows]
        return RoleCard(view(person), committees, headed, can_edit)


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


async def set_committee(
    deps: Deps, actor: TgUser, *, person_id: int, committee_id: int | None
) -> PersonView:
    """Make a person a member of a committee (R5), so its head sees their items (L3)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await _require_admin(session, actor, now)
        person = await _person(session, person_id)
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
