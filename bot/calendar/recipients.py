"""Who a reminder goes to: the policy's targets, resolved to bound groups and people."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chats.service import Purpose, chat_for
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.service import people_with_role

GROUPS = {"org_group": Purpose.ORG, "leadership_group": Purpose.LEADERSHIP}
# A group that is not set up: its reminders go privately to these roles instead.
FALLBACK = {"org_group": [Role.OFFICE], "leadership_group": [Role.SECRETARY, Role.DEPUTY]}


@dataclass
class Recipients:
    chats: list[int] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


async def resolve(
    session: AsyncSession, targets: list[str], person_ids: list[int] | None = None
) -> Recipients:
    out = Recipients()
    seen: set[int] = set()

    def add(person: Person) -> None:
        if person.id not in seen:
            seen.add(person.id)
            out.people.append(person)

    for target in targets:
        if target in GROUPS:
            chat_id = await chat_for(session, GROUPS[target])  # None too when it removed the bot
            if chat_id is not None:
                if chat_id not in out.chats:
                    out.chats.append(chat_id)
                continue
            for role in FALLBACK[target]:
                for person in await people_with_role(session, role):
                    add(person)
        else:
            for person in await people_with_role(session, Role(target)):
                add(person)
    for person_id in person_ids or []:
        found = await session.get(Person, person_id)
        if found is not None:
            add(found)
    return out
