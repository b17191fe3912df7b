"""What a search asks of the records of each kind (bot/search/service.py runs it): a word
held by a record (its bigrams in the index, its order by a LIKE on the record's text), and a
search's references, people, kinds, statuses and period, with the reader's visibility (the
ledger's, bot/ledger/scope.py). Why each condition is asked of each record as a subquery:
docs/decisions/009-search.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, literal, or_, select

from bot.calendar.models import Meeting, MeetingAttendee
from bot.events.models import EventRequest
from bot.incidents.models import Incident, IncidentHandler
from bot.ledger.scope import Scope
from bot.search.index import fold
from bot.search.models import EVENT, INCIDENT, MEETING, SearchBigram, SearchText
from bot.search.query import Query


@dataclass(frozen=True)
class Part:
    """The records of one kind a search may find: their id and date columns, and what each
    must satisfy."""

    kind: str  # inc | evt | mtg
    id: Any
    at: Any
    conds: list[ColumnElement[bool]]


def _like(word: str) -> str:
    escaped = fold(word).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def grams(word: str) -> list[str]:
    """Bigrams that cover the word without overlapping (舆情处置: 舆情, 处置): every one must be
    in the record; the overlapping ones would only check the same records twice, nearly."""
    folded = fold(word)
    grams = {folded[i : i + 2] for i in range(0, len(folded) - 1, 2)} | {folded[-2:]}
    return sorted(g for g in grams if len(g) == 2 and not any(c.isspace() for c in g))


def matching(kind: str, word: str) -> Select[int]:
    """The ids of the records of `kind` whose text holds `word` (from the index alone)."""
    folded = fold(word)
    q = select(SearchText.record_id).where(SearchText.kind == kind)
    if len(folded) != 2:  # a two-character word is its one bigram: the index alone answers
        q = q.where(SearchText.text.like(_like(word), escape="\\"))
    for gram in grams(word):
        q = q.where(SearchText.record_id.in_(posting(kind, gram)))
    return q


def posting(kind: str, gram: str) -> Select[int]:
    """The records of `kind` whose texts hold the bigram `gram` (docs/decisions/009-search.md)."""
    return select(SearchBigram.record_id).where(
        SearchBigram.kind == kind, SearchBigram.bigram == gram
    )


def holds(kind: str, word: str, record: Any) -> list[ColumnElement[bool]]:
    """`record` (a record's id column) holds `word`: each bigram is one look-up in the index's
    primary key, and the LIKE on the record's own text (another) confirms the order of a
    longer word, or finds a one-character word. Asked of each record in turn, as a subquery
    the planner cannot turn into a join (PostgreSQL took the bigrams of a word as
    independent, expected 239 records where 33,000 matched, and joined them all before
    sorting; docs/decisions/009-search.md)."""
    found = [
        (SearchBigram.bigram == g, SearchBigram.kind == kind, SearchBigram.record_id == record)
        for g in grams(word)
    ]
    if len(fold(word)) != 2:
        found.append(
            (
                SearchText.kind == kind,
                SearchText.record_id == record,
                SearchText.text.like(_like(word), escape="\\"),
            )
        )
    return [select(literal(1)).where(*c).limit(1).scalar_subquery().is_not(None) for c in found]


def _moments(period: tuple[date, date], zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The period's days in the organisation's zone, as the moments stored."""
    first = datetime.combine(period[0], time(), zone)
    return first, datetime.combine(period[1] + timedelta(days=1), time(), zone)


def _numbered(q: Query, prefix: str, model: Any) -> list[ColumnElement[bool]]:
    """The references the search names of this kind (INC, EVT, MTG): one of them, if any."""
    refs = [(y, n) for kind, y, n in q.refs if kind == prefix]
    return [or_(*(and_(model.year == y, model.number == n) for y, n in refs))] if refs else []


def incident_part(q: Query, scope: Scope, people: list[int], zone: ZoneInfo) -> Part:
    """Every condition asked of each incident (no list to start from: _driver chooses it),
    so that the incidents can be read newest first."""
    # The words first: one look-up each, where the reader's check reads two (SQLite asks
    # the conditions in this order).
    conds = [c for w in q.words for c in holds(INCIDENT, w, Incident.id)]
    conds.append(scope.readable_incidents(zone, each=True))
    conds += _numbered(q, "INC", Incident)
    for pid in people:
        one = select(literal(1)).where(
            IncidentHandler.incident_id == Incident.id, IncidentHandler.person_id == pid
        )
        handled = one.limit(1).scalar_subquery().is_not(None)  # as in Scope.incidents(each=)
        conds.append(or_(Incident.reporter_id == pid, handled))
    if q.kinds:
        conds.append(Incident.kind.in_(sorted(q.kinds)))
    if q.severities:
        conds.append(Incident.severity.in_(sorted(q.severities)))
    if q.incident_statuses is not None:
        conds.append(Incident.status.in_(sorted(q.incident_statuses)))
    if q.period:
        first, end = _moments(q.period, zone)
        conds += [Incident.reported_at >= first, Incident.reported_at < end]
    return Part(INCIDENT, Incident.id, Incident.reported_at, conds)


def event_part(q: Query, scope: Scope, people: list[int], zone: ZoneInfo) -> Part:
    """What a search asks of event requests: every word held, and only those the searcher may
    read (R6, R7)."""
    conds = [c for w in q.words for c in holds(EVENT, w, EventRequest.id)]
    conds.append(scope.readable_events(zone))
    conds += _numbered(q, "EVT", EventRequest)
    for pid in people:
        conds.append(or_(EventRequest.requester_id == pid, EventRequest.organiser_id == pid))
    if q.event_types:
        conds.append(EventRequest.event_type.in_(sorted(q.event_types)))
    if q.event_statuses is not None:
        conds.append(EventRequest.status.in_(sorted(q.event_statuses)))
    if q.period:
        first, end = _moments(q.period, zone)
        conds += [EventRequest.requested_at >= first, EventRequest.requested_at < end]
    return Part(EVENT, EventRequest.id, EventRequest.requested_at, conds)


def meeting_part(q: Query, scope: Scope, people: list[int]) -> Part:
    """Meetings (R2, R3, A2, A3): by subject, conclusions, reference, kind, the day held, and
    a person who attended or recorded it."""
    conds = [c for w in q.words for c in holds(MEETING, w, Meeting.id)]
    conds.append(scope.readable_meetings())
    conds += _numbered(q, "MTG", Meeting)
    for pid in people:
        attended = select(MeetingAttendee.meeting_id).where(MeetingAttendee.person_id == pid)
        conds.append(or_(Meeting.recorded_by_id == pid, Meeting.id.in_(attended)))
    if q.meeting_kinds:
        conds.append(Meeting.kind.in_(sorted(q.meeting_kinds)))
    if q.period:
        conds += [Meeting.held_on >= q.period[0], Meeting.held_on <= q.period[1]]
    return Part(MEETING, Meeting.id, Meeting.held_on, conds)
