"""Who a reminder goes to: the policy's targets, resolved to bound groups and people."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chats.service import Purpose, chat_for
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role

GROUPS = {"org_group": Purpose.ORG, "leadership_group": Purpose.LEADERSHIP}
# A group that is not set up: its reminders go privately to these roles instead.
FALLBACK = {"org_group": [Role.OFFICE], "leadership_group": [Role.SECRETARY, Role.DEPUTY]}


@dataclass
class Recipients:
    """The bound groups and the people (each once) a reminder goes to."""

    chats: list[int] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set, repr=False, compare=False)

    def add(self, people: list[Person]) -> None:
        for person in people:
            if person.id not in self._seen:
                self._seen.add(person.id)
                self.people.append(person)


async def resolve(
    session: AsyncSession, targets: list[str], person_ids: list[int] | None = None
) -> Recipients:
    """Where a reminder for the policy's `targets` (a group or a role) and `person_ids` goes:
    a group that is not set up, or removed the bot, falls back to its roles in private."""
    out = Recipients()
    for target in targets:
        if target not in GROUPS:
            out.add(await people_with_role(session, Role(target)))
            continue
        chat_id = await chat_for(session, GROUPS[target])  # None too when it removed the bot
        if chat_id is None:
            for role in FALLBACK[target]:
                out.add(await people_with_role(session, role))
        elif chat_id not in out.chats:
            out.chats.append(chat_id)
    for person_id in person_ids or []:
        found = await session.get(Person, person_id)
        if found is not None:
            out.add([found])
    return out
