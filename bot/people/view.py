"""A person as handlers see them, and a Telegram user as services take them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.people.models import Person
from bot.people.roles import Role

# R4: a person's standing with the office (Person.admission).
PENDING, ADMITTED, REFUSED = "pending", "admitted", "refused"


@dataclass(frozen=True)
class TgUser:
    """The parts of a Telegram user a service needs; handlers build it from the update."""

    id: int
    first_name: str = ""
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True)
class PersonView:
    """A person as handlers see them: plain values, safe to use after the transaction."""

    id: int
    telegram_id: int
    name: str
    username: str | None
    locale: str | None
    started: bool
    roles: frozenset[Role]
    committees_headed: tuple[str, ...]
    committee: str | None
    committee_id: int | None = None  # the committee the person belongs to (L3: its head)
    active: bool = True  # False once deactivated: no roles, may not act (authority.py)
    admission: str = "admitted"  # R4: pending | admitted | refused

    @property
    def admitted(self) -> bool:
        return self.admission == ADMITTED

    @property
    def display_name(self) -> str:  # as Person's, so either can be shown on a card
        return self.name

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles


def view(person: Person) -> PersonView:
    """What handlers and services read of a person, detached from the session."""
    return PersonView(
        id=person.id,
        telegram_id=person.telegram_id,
        name=person.display_name,
        username=person.username,
        locale=person.locale,
        started=person.started_at is not None,
        roles=frozenset(Role(g.role) for g in person.grants),
        committees_headed=tuple(
            sorted(
                g.committee.name
                for g in person.grants
                if g.role == Role.COMMITTEE_HEAD and g.committee is not None
            )
        ),
        committee=person.committee.name if person.committee else None,
        committee_id=person.committee_id,
        active=person.deactivated_at is None,
        admission=person.admission,
    )
