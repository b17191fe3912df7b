"""Who sees what in the ledger, decided in one place (R4, R5, L3).

Secretary, deputy and office see everything; a committee head sees the items of their
committee's members (L3, R5) and their own; everybody else sees their own items: the reports
they filed or handle, the events they requested or organise. The calendar's obligations (A2,
R2, R3, A3) are the organisation's and shown to all: the group hears their reminders anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, false, or_, select, true

from bot.events.models import EventRequest
from bot.incidents.models import Incident, IncidentHandler
from bot.people import authority
from bot.people.models import Person
from bot.people.roles import Role

EVERYTHING = frozenset({Role.SECRETARY, Role.DEPUTY, Role.OFFICE})


@dataclass(frozen=True)
class Scope:
    person_id: int
    everything: bool
    committees: frozenset[int]  # the committees the reader heads
    # An inspector in office (R7, C): reads everything, each reading audited, within these
    # days when the grant names a period.
    inspector: bool = False
    readable: tuple[date, date] | None = None

    @property
    def level(self) -> str:
        """all | committee | own: said at the top of the ledger, so nobody mistakes a partial
        view for the whole."""
        if self.everything:
            return "all"
        return "committee" if self.committees else "own"

    def incidents(self) -> ColumnElement[bool]:
        """The incidents this reader may count and read."""
        if self.everything:
            return true()
        # Those they handle now (authority.standing): an assignment that ended with a role
        # or a departure no longer opens the record, as it no longer opens its card.
        handled = select(IncidentHandler.incident_id).where(
            IncidentHandler.person_id == self.person_id, authority.standing()
        )
        mine = [Incident.reporter_id == self.person_id, Incident.id.in_(handled)]
        if self.committees:
            members = select(Person.id).where(Person.committee_id.in_(self.committees))
            mine.append(Incident.reporter_id.in_(members))
        return or_(*mine)

    def events(self) -> ColumnElement[bool]:
        if self.everything:
            return true()
        mine = [EventRequest.requester_id == self.person_id,
                EventRequest.organiser_id == self.person_id]  # fmt: skip
        if self.committees:
            mine.append(EventRequest.committee_id.in_(self.committees))
        return or_(*mine)

    def others(self) -> ColumnElement[bool]:
        """Records about neither an incident nor an event (roles, policy, chats): the
        leadership's."""
        return true() if self.everything else false()


def scope_of(person: Person) -> Scope:
    """From the person's active grants (Person.grants holds only unrevoked ones)."""
    roles = {g.role for g in person.grants}
    headed = frozenset(
        g.committee_id
        for g in person.grants
        if g.role == Role.COMMITTEE_HEAD and g.committee_id is not None
    )
    return Scope(person.id, bool(roles & EVERYTHING), headed)
