"""Who sees what in the ledger, decided in one place (R4, R5, L3).

Secretary, deputy and office see everything; a committee head sees the items of their
committee's members (L3, R5) and their own; everybody else sees their own items: the reports
they filed or handle, the events they requested or organise. The calendar's obligations (A2,
R2, R3, A3) are the organisation's and shown to all: the group hears their reminders anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, literal, or_, select, true

from bot.calendar.models import Meeting, MeetingAttendee
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

    def incidents(self, *, each: bool = False) -> ColumnElement[bool]:
        """The incidents this reader may count and read. `each`: the same, asked of each
        incident in turn (EXISTS, no list to start from), for a search that reads the
        incidents newest first (bot/search/service.py)."""
        if self.everything:
            return true()
        # Those they handle now (authority.standing): an assignment that ended with a role
        # or a departure no longer opens the record, as it no longer opens its card.
        handles = [IncidentHandler.person_id == self.person_id, authority.standing()]
        handled: ColumnElement[bool]
        if each:  # a LIMIT keeps PostgreSQL from hashing them all first (44 ms for 45,000)
            one = select(literal(1)).where(IncidentHandler.incident_id == Incident.id, *handles)
            handled = one.limit(1).scalar_subquery().is_not(None)
        else:
            handled = Incident.id.in_(select(IncidentHandler.incident_id).where(*handles))
        mine = [Incident.reporter_id == self.person_id, handled]
        if self.committees:
            members = select(Person.id).where(Person.committee_id.in_(self.committees))
            mine.append(Incident.reporter_id.in_(members))
        return or_(*mine)

    def events(self) -> ColumnElement[bool]:
        if self.everything:
            return true()
        mine = [
            EventRequest.requester_id == self.person_id,
            EventRequest.organiser_id == self.person_id,
        ]
        if self.committees:
            mine.append(EventRequest.committee_id.in_(self.committees))
        return or_(*mine)

    def _days(self, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
        if self.readable is None:
            return None
        first, last = self.readable
        return datetime.combine(first, time(), zone), datetime.combine(
            last + timedelta(days=1), time(), zone
        )

    def readable_incidents(self, zone: ZoneInfo, *, each: bool = False) -> ColumnElement[bool]:
        """The incidents this reader may open (/record, /find): an inspector's within the
        days the grant names (R7)."""
        days = self._days(zone)
        if days is None:
            return self.incidents(each=each)
        within = and_(Incident.reported_at >= days[0], Incident.reported_at < days[1])
        return and_(self.incidents(each=each), within)

    def readable_events(self, zone: ZoneInfo) -> ColumnElement[bool]:
        days = self._days(zone)
        if days is None:
            return self.events()
        within = or_(
            and_(EventRequest.requested_at >= days[0], EventRequest.requested_at < days[1]),
            and_(EventRequest.starts_at >= days[0], EventRequest.starts_at < days[1]),
        )
        return and_(self.events(), within)

    def readable_meetings(self) -> ColumnElement[bool]:
        """The meetings whose record this reader may open (/record, /find): that a meeting was
        held is the organisation's (the ledger counts them for all, R2, R3, A2, A3), but what
        it concluded, who attended and its minutes are the leadership's and the office's, and
        of those who attended or recorded it (a member sees their own items); an inspector's
        within the grant's period (R7)."""
        if self.readable is not None:
            return and_(Meeting.held_on >= self.readable[0], Meeting.held_on <= self.readable[1])
        if self.everything:
            return true()
        attended = select(MeetingAttendee.meeting_id).where(
            MeetingAttendee.person_id == self.person_id
        )
        return or_(Meeting.recorded_by_id == self.person_id, Meeting.id.in_(attended))

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
