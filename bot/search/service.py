"""/find over incidents and event requests, as far as the reader may see (L3, R4, R5).

Visibility is the ledger's (bot/ledger/scope.py) and applied inside the query, so a page and its
count never include a record the reader may not open. A word is found by its bigrams (each must
be in the record) and confirmed by a LIKE on the record's text (a two-character word is its one
bigram and needs no LIKE); a one-character word by the LIKE alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.deps import Deps
from bot.errors import InvalidInput, NotFound
from bot.events.models import EventRequest
from bot.i18n import N_
from bot.incidents.models import Incident, IncidentHandler
from bot.ledger.scope import Scope, scope_of
from bot.people.models import Person
from bot.people.service import TgUser, admitted, reload, upsert, view
from bot.search.index import fold
from bot.search.models import EVENT, INCIDENT, SavedSearch, SearchBigram, SearchText
from bot.search.query import Query, parse

PAGE = 10
EXCERPT = 40  # characters of the record's first text on its line


@dataclass(frozen=True)
class Hit:
    kind: str  # inc | evt
    id: int
    ref: str
    at: datetime
    category: str  # incident kind, event type
    severity: str | None
    status: str
    excerpt: str


@dataclass(frozen=True)
class Page:
    search_id: int
    query: str
    hits: list[Hit]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE))


def _like(word: str) -> str:
    escaped = fold(word).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matching(kind: str, word: str) -> Select[int]:
    """The ids of the records of `kind` whose text holds `word`."""
    folded = fold(word)
    if len(folded) == 2:  # the word is its one bigram: the index alone answers
        return select(SearchBigram.record_id).where(
            SearchBigram.kind == kind, SearchBigram.bigram == folded
        )
    q = select(SearchText.record_id).where(
        SearchText.kind == kind, SearchText.text.like(_like(word), escape="\\")
    )
    # Bigrams that cover the word without overlapping (舆情处置: 舆情, 处置): every one of them
    # must be in the record, and the LIKE confirms the whole word; the overlapping ones would
    # only read twice the postings for the same candidates, nearly.
    grams = {folded[i : i + 2] for i in range(0, len(folded) - 1, 2)} | {folded[-2:]}
    grams = {g for g in grams if len(g) == 2 and not any(c.isspace() for c in g)}
    # One IN per bigram rather than GROUP BY … HAVING count(*) = n: PostgreSQL cannot
    # estimate the HAVING (it guessed 33 rows for 3,441 and chose a nested loop of 1,000,000
    # comparisons), while each bigram's frequency is in its statistics.
    for gram in sorted(grams):
        q = q.where(SearchText.record_id.in_(select(SearchBigram.record_id).where(
            SearchBigram.kind == kind, SearchBigram.bigram == gram)))  # fmt: skip
    return q


def _moments(period: tuple[date, date], zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The period's days in the organisation's zone, as the moments stored."""
    first = datetime.combine(period[0], time(), zone)
    return first, datetime.combine(period[1] + timedelta(days=1), time(), zone)


def _incidents(
    q: Query, scope: Scope, people: list[int], zone: ZoneInfo
) -> Select[str, int, datetime]:
    conds: list[ColumnElement[bool]] = [scope.incidents()]
    conds += [Incident.id.in_(_matching(INCIDENT, w)) for w in q.words]
    refs = [ref for ref in q.refs if ref[0] == "INC"]
    if refs:
        conds.append(or_(*(and_(Incident.year == y, Incident.number == n) for _, y, n in refs)))
    for pid in people:
        handled = select(IncidentHandler.incident_id).where(IncidentHandler.person_id == pid)
        conds.append(or_(Incident.reporter_id == pid, Incident.id.in_(handled)))
    if q.kinds:
        conds.append(Incident.kind.in_(sorted(q.kinds)))
    if q.severities:
        conds.append(Incident.severity.in_(sorted(q.severities)))
    if q.incident_statuses is not None:
        conds.append(Incident.status.in_(sorted(q.incident_statuses)))
    if q.period:
        first, end = _moments(q.period, zone)
        conds += [Incident.reported_at >= first, Incident.reported_at < end]
    return select(
        literal(INCIDENT).label("rk"), Incident.id.label("rid"),
        Incident.reported_at.label("at"),
    ).where(*conds)  # fmt: skip


def _events(
    q: Query, scope: Scope, people: list[int], zone: ZoneInfo
) -> Select[str, int, datetime]:
    conds: list[ColumnElement[bool]] = [scope.events()]
    conds += [EventRequest.id.in_(_matching(EVENT, w)) for w in q.words]
    refs = [ref for ref in q.refs if ref[0] == "EVT"]
    if refs:
        conds.append(
            or_(*(and_(EventRequest.year == y, EventRequest.number == n) for _, y, n in refs))
        )
    for pid in people:
        conds.append(or_(EventRequest.requester_id == pid, EventRequest.organiser_id == pid))
    if q.event_types:
        conds.append(EventRequest.event_type.in_(sorted(q.event_types)))
    if q.event_statuses is not None:
        conds.append(EventRequest.status.in_(sorted(q.event_statuses)))
    if q.period:
        first, end = _moments(q.period, zone)
        conds += [EventRequest.requested_at >= first, EventRequest.requested_at < end]
    return select(
        literal(EVENT).label("rk"), EventRequest.id.label("rid"),
        EventRequest.requested_at.label("at"),
    ).where(*conds)  # fmt: skip


async def _scope(session: AsyncSession, actor: TgUser, now: datetime) -> Scope:
    person = await reload(session, (await upsert(session, actor, now=now, started=False)).id)
    admitted(view(person))  # R4: only members search
    return scope_of(person)


async def _people(session: AsyncSession, usernames: list[str]) -> list[int]:
    ids = []
    for name in usernames:
        pid = await session.scalar(select(Person.id).where(Person.username == name))
        if pid is None:
            raise InvalidInput(N_("Nobody with the username @{username} is known to the bot."),
                               username=name)  # fmt: skip
        ids.append(pid)
    return ids


async def _hits(session: AsyncSession, rows: list[Any]) -> list[Hit]:
    inc_ids = [r.rid for r in rows if r.rk == INCIDENT]
    evt_ids = [r.rid for r in rows if r.rk == EVENT]
    incidents = {i.id: i for i in await session.scalars(
        select(Incident).where(Incident.id.in_(inc_ids)))} if inc_ids else {}  # fmt: skip
    events = {e.id: e for e in await session.scalars(
        select(EventRequest).where(EventRequest.id.in_(evt_ids)))} if evt_ids else {}  # fmt: skip
    hits = []
    for r in rows:
        if r.rk == INCIDENT:
            i = incidents[r.rid]
            hits.append(Hit(INCIDENT, i.id, i.ref, i.reported_at, i.kind, i.severity, i.status,
                            _excerpt(i.what)))  # fmt: skip
        else:
            e = events[r.rid]
            hits.append(Hit(EVENT, e.id, e.ref, e.requested_at, e.event_type, None, e.status,
                            _excerpt(e.title)))  # fmt: skip
    return hits


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[: EXCERPT - 1] + "…"


async def run(
    session: AsyncSession,
    scope: Scope,
    text: str,
    page: int,
    *,
    now: datetime,
    zone: ZoneInfo,
    search_id: int = 0,
) -> Page:
    """One page of what `text` finds within `scope` (the bench measures this)."""
    try:
        q = parse(text, now.astimezone(zone).date())
    except dates.Unreadable:
        raise InvalidInput(N_("That date does not exist. Please check it.")) from None
    people = await _people(session, q.people)
    parts = []
    if q.incidents_wanted():
        parts.append(_incidents(q, scope, people, zone))
    if q.events_wanted():
        parts.append(_events(q, scope, people, zone))
    if not parts:
        return Page(search_id, text, [], 0, 0)
    found = union_all(*parts).subquery()
    # The count rides along with the page (one query where two read every match); only a
    # page past the end asks for the count alone, then shows the last page.
    listing = select(found.c.rk, found.c.rid, func.count().over().label("total")).order_by(
        found.c.at.desc(), found.c.rid.desc()
    )
    page = max(page, 0)
    rows = list(await session.execute(listing.limit(PAGE).offset(page * PAGE)))
    if not rows and page > 0:
        total = await session.scalar(select(func.count()).select_from(found)) or 0
        page = max(0, -(-total // PAGE) - 1)
        rows = list(await session.execute(listing.limit(PAGE).offset(page * PAGE)))
    total = rows[0].total if rows else 0
    return Page(search_id, text, await _hits(session, rows), total, page)


async def find(deps: Deps, actor: TgUser, text: str) -> Page:
    """The first page of a new search; the search is kept so its page buttons carry an id."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput(N_("What should I look for? Send /find followed by words, a "
                              "reference, @username, a status or a period."))  # fmt: skip
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        scope = await _scope(session, actor, now)
        saved = SavedSearch(person_id=scope.person_id, query=text[:500], at=now)
        session.add(saved)
        await session.flush()
        return await run(session, scope, saved.query, 0, now=now, zone=deps.zone,
                         search_id=saved.id)  # fmt: skip


async def page(deps: Deps, actor: TgUser, search_id: int, number: int) -> Page:
    """Another page of a kept search: only its author's (a forwarded button reads nothing)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        scope = await _scope(session, actor, now)
        saved = await session.get(SavedSearch, search_id)
        if saved is None or saved.person_id != scope.person_id:
            raise NotFound(N_("This search is no longer available. Please send /find again."))
        return await run(session, scope, saved.query, number, now=now, zone=deps.zone,
                         search_id=saved.id)  # fmt: skip
