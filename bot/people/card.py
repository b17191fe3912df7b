"""A person's role card (R4, R5): their roles and the committees to choose from; editable for
administrators, readable for the leadership."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.deps import Deps
from bot.errors import NotAllowed, NotFound
from bot.i18n import N_
from bot.people import authority, committees
from bot.people.authority import ADMINS_ONLY
from bot.people.directory import MEMBER_LISTERS
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.view import PersonView, TgUser, view


@dataclass(frozen=True)
class RoleCard:
    """What the card shows: the person, the committees, which they head, whether it edits."""

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
            raise NotAllowed(ADMINS_ONLY)
        person = await session.get(Person, person_id)
        if person is None:
            raise NotFound(N_("This person is not known to the bot."))
        headed = sorted(
            (g.committee.id, g.committee.name)
            for g in person.grants
            if g.role == Role.COMMITTEE_HEAD and g.committee is not None
        )
        return RoleCard(view(person), await committees.listed(session), headed, can_edit)
