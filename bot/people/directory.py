"""Finding people (R4): the member list of /members and the pickers, a look-up by @username
or id, and who holds a role now. Only admitted people are listed; nobody deactivated is picked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from bot.deps import Deps
from bot.errors import NotAllowed, NotFound
from bot.freetext import normalise
from bot.i18n import N_
from bot.people import authority
from bot.people.models import Person, RoleGrant
from bot.people.roles import Role
from bot.people.view import ADMITTED, PersonView, TgUser, view

PAGE_SIZE = 8
MEMBER_LISTERS = (Role.ADMIN, Role.SECRETARY, Role.DEPUTY, Role.OFFICE)


@dataclass(frozen=True)
class PeoplePage:
    people: list[PersonView]
    page: int
    pages: int
    total: int


async def list_people(
    deps: Deps, actor: TgUser, page: int, *, pickable: bool = False
) -> PeoplePage:
    """/members: everybody the bot knows, for admins (to assign roles) and the leadership.
    `pickable`: only those who can be picked (attendees): nobody deactivated."""
    async with deps.db.read() as session:
        me = await session.scalar(select(Person).where(Person.telegram_id == actor.id))
        if me is None or not authority.holds(view(me), *MEMBER_LISTERS):
            raise NotAllowed(N_("Only an administrator or the leadership can see the members."))
        # R4: only members are listed, picked and counted; the pending and refused are not;
        # nobody deactivated is picked.
        which = and_(
            Person.admission == ADMITTED, Person.deactivated_at.is_(None) if pickable else true()
        )
        total = int(await session.scalar(select(func.count(Person.id)).where(which)) or 0)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        rows = await session.scalars(
            select(Person)
            .where(which)
            .order_by(Person.first_name, Person.id)
            .offset(page * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
        return PeoplePage([view(p) for p in rows], page, pages, total)


async def find_person(
    deps: Deps,
    *,
    username: str | None = None,
    person_id: int | None = None,
    member: bool = False,
) -> PersonView:
    """Look a person up by @username or id; NotFound with advice when unknown. `member`: only
    an admitted person will do (R4: an organiser, an acting approver)."""
    async with deps.db.read() as session:
        if username is not None:
            # As typed: cleaned (a NUL would stop PostgreSQL), then only what a Telegram
            # username can be is looked up.
            name = normalise(username, multiline=False).lstrip("@").lower()
            person = (
                await session.scalar(select(Person).where(Person.username == name))
                if re.fullmatch(r"[a-z0-9_]{1,64}", name)
                else None
            )
            if person is None:
                raise NotFound(
                    N_(
                        "I do not know @{username} yet. Ask them to open a private chat with "
                        "me and press Start, or reply to one of their messages in the group "
                        "with /role."
                    ),
                    username=name,
                )
        else:
            person = await session.get(Person, person_id)
            if person is None:
                raise NotFound(N_("This person is not known to the bot."))
        if member and person.admission != ADMITTED:
            raise NotFound(
                N_("{name} is not a member: the office has not admitted them."),
                name=person.display_name,
            )
        return view(person)


async def people_with_role(
    session: AsyncSession, role: str, committee_id: int | None = None, *, with_grants: bool = True
) -> list[Person]:
    """Who holds `role` now (a committee head: of `committee_id`). `with_grants=False` for
    people who are only written to: their grants are not loaded (one statement less,
    docs/decisions/006-performance.md)
    and reading them raises instead of silently loading."""
    pairs = await role_holders(session, role, committee_id, with_grants=with_grants)
    return list(dict.fromkeys(person for person, _grant in pairs))


async def role_holders(
    session: AsyncSession, role: str, committee_id: int | None = None, *, with_grants: bool = True
) -> list[tuple[Person, int]]:
    """people_with_role, each with the id of the grant they hold it by: an assignment made
    because of the role names that grant, and stands only while it does (authority.py)."""
    query = (
        select(Person, RoleGrant.id)
        .join(RoleGrant, RoleGrant.person_id == Person.id)
        .where(
            RoleGrant.role == role,
            RoleGrant.revoked_at.is_(None),
            Person.deactivated_at.is_(None),  # nobody who left is picked (their grants ended)
        )
        .order_by(Person.id, RoleGrant.id)
    )
    if not with_grants:
        query = query.options(raiseload(Person.grants))
    if role == Role.COMMITTEE_HEAD:
        if committee_id is None:
            return []
        query = query.where(RoleGrant.committee_id == committee_id)
    rows = (await session.execute(query)).unique().all()
    return [(person, int(grant_id)) for person, grant_id in rows]
