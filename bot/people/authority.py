"""Who may do what, judged at the moment of the action from what the person holds then (R4,
rule 5): role grants not revoked, incident assignments that still stand, the committee they
head, an acting period that covers today. Every service asks here, so no two kinds of
authority can disagree and nobody keeps a power through a card received earlier.

`member` is the first question of all (a person who may act at all); every other answer
starts from it, so a rule about who counts as a member (deactivation here; admission may add
its own) holds for every action at once.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotAllowed
from bot.events.models import ActingApprover
from bot.i18n import N_
from bot.incidents.models import IncidentHandler as H
from bot.people.models import Person, RoleGrant
from bot.people.roles import Role
from bot.people.view import PersonView

# Who may act on every incident whether assigned or not (L1, L2).
LEADERSHIP = (Role.SECRETARY, Role.DEPUTY)

NOT_A_MEMBER = N_(
    "You are no longer a member here, so you cannot do this. If that is a mistake, please "
    "ask the office."
)
ADMINS_ONLY = N_("Only an administrator can change roles.")
NOT_PICKABLE = N_("{name} has been deactivated and cannot be picked.")
NOT_A_HANDLER = N_("Only the handlers of this report and the leadership can do that.")


def member(me: PersonView) -> bool:
    """May this person act at all? Not when deactivated (they left or moved post)."""
    return me.active


def require_member(me: PersonView) -> PersonView:
    """`me`, when they may act at all; NotAllowed otherwise."""
    if not member(me):
        raise NotAllowed(NOT_A_MEMBER)
    return me


def holds(me: PersonView, *roles: Role) -> bool:
    """A member holding one of `roles` now (the view carries only grants not revoked)."""
    return member(me) and me.has(*roles)


def require_role(me: PersonView, roles: tuple[Role, ...], refusal: str) -> PersonView:
    """`me`, if they hold one of `roles` (and may act at all); NotAllowed(`refusal`) otherwise."""
    if not holds(me, *roles):
        raise NotAllowed(refusal)
    return me


async def heads(session: AsyncSession, me: PersonView, committee_id: int | None) -> bool:
    """Does `me` head committee `committee_id` now (L3)?"""
    if committee_id is None or not holds(me, Role.COMMITTEE_HEAD):
        return False
    return bool(
        await session.scalar(
            select(
                exists().where(
                    RoleGrant.person_id == me.id,
                    RoleGrant.role == Role.COMMITTEE_HEAD,
                    RoleGrant.committee_id == committee_id,
                    RoleGrant.revoked_at.is_(None),
                )
            )
        )
    )


async def approves(session: AsyncSession, me: PersonView, *, deputy: bool, day: str) -> bool:
    """May `me` decide on event requests today (R6)? The secretary; the deputy where the
    policy allows (`deputy`, L2); an acting approver whose period covers `day`; and while
    nobody is any of these, the admins, who are the ones asked then (events.approvers)."""
    if not member(me):
        return False
    if me.has(Role.SECRETARY) or (deputy and me.has(Role.DEPUTY)):
        return True
    if await session.scalar(
        select(exists().where(_acting(day), ActingApprover.person_id == me.id))
    ):
        return True
    return me.has(Role.ADMIN) and not await _anyone_approves(session, deputy=deputy, day=day)


def _acting(day: str) -> ColumnElement[bool]:
    return and_(
        ActingApprover.revoked_at.is_(None),
        ActingApprover.first_day <= day,
        ActingApprover.last_day >= day,
    )


async def _anyone_approves(session: AsyncSession, *, deputy: bool, day: str) -> bool:
    roles = [Role.SECRETARY, Role.DEPUTY] if deputy else [Role.SECRETARY]
    holder = exists().where(
        RoleGrant.role.in_(roles),
        RoleGrant.revoked_at.is_(None),
        RoleGrant.person_id == Person.id,
        Person.deactivated_at.is_(None),
    )
    stand_in = exists().where(
        _acting(day), ActingApprover.person_id == Person.id, Person.deactivated_at.is_(None)
    )
    return bool(await session.scalar(select(or_(holder, stand_in))))


def standing() -> ColumnElement[bool]:
    """An incident assignment that still gives authority: not ended, and when it came from a
    role, that grant not revoked (judged here even if a hand-over never ran)."""
    grant = exists().where(RoleGrant.id == H.grant_id, RoleGrant.revoked_at.is_(None))
    return and_(H.ended_at.is_(None), or_(H.grant_id.is_(None), grant))


async def handles(session: AsyncSession, incident_id: int, me: PersonView) -> bool:
    """May `me` act on incident `incident_id` now? The leadership (L1, L2), and whoever holds
    an assignment to it that still stands (L5): one routed to them by a role they still hold,
    escalated to them, or a pull-in or hand-over that was not ended."""
    if not member(me):
        return False
    if me.has(*LEADERSHIP):
        return True
    return bool(
        await session.scalar(
            select(exists().where(H.incident_id == incident_id, H.person_id == me.id, standing()))
        )
    )


async def require_handler(session: AsyncSession, incident_id: int, me: PersonView) -> None:
    """NotAllowed unless `me` may act on this incident (handles: L1, L2, L5)."""
    if not await handles(session, incident_id, me):
        raise NotAllowed(NOT_A_HANDLER)


NOT_THE_REPORTER = N_("Only the person who filed this report can add to it.")
NOT_A_REOPENER = N_(
    "Only the handlers of this report, the leadership and the office can reopen it."
)


def require_reporter(me: PersonView, reporter_id: int) -> None:
    """Additions to a report are its reporter's own (R7: the record grows by who knew it)."""
    if not member(me) or me.id != reporter_id:
        raise NotAllowed(NOT_THE_REPORTER)


async def reopens(session: AsyncSession, incident_id: int, me: PersonView) -> bool:
    """May `me` reopen a closed incident? Whoever may act on it (handles: its standing handlers
    and the leadership, L1, L2), and the office, which keeps the records (R4, R7)."""
    return holds(me, Role.OFFICE) or await handles(session, incident_id, me)


async def require_reopener(session: AsyncSession, incident_id: int, me: PersonView) -> None:
    """NotAllowed unless `me` may reopen this incident (reopens: R4, R7)."""
    if not await reopens(session, incident_id, me):
        raise NotAllowed(NOT_A_REOPENER)
