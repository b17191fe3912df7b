"""/find over incidents, event requests and meetings, as far as the reader may see (L3, R4,
R5; an inspector in office: the grant's period, every search audited, R7).

Visibility is the ledger's (bot/ledger/scope.py) and applied inside the query, so a page and its
count never include a record the reader may not open. A word is found by its bigrams (each must
be in the record) and confirmed by a LIKE on the record's text (a two-character word is its one
bigram and needs no LIKE); a one-character word by the LIKE alone. Each kind of record is read
from the fewest records it could start from, or newest first, and no further than CAP + 1
matches (docs/decisions/009-search.md: 200,000 incidents).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.audit.service import record
from bot.deps import Deps
from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from bot.incidents.models import Incident, IncidentHandler
from bot.ledger.scope import Scope
from bot.ledger.service import reader
from bot.people.models import Person
from bot.people.view import TgUser
from bot.search.conditions import (
    Part,
    event_part,
    grams,
    incident_part,
    meeting_part,
    posting,
)
from bot.search.hits import Hit, hits_of
from bot.search.models import INCIDENT, SavedSearch
from bot.search.query import Query, parse

PAGE = 10
CAP = 200  # matches counted; beyond, "more than 200": narrow the search
DENSE = 2000  # more records than this to start from: read newest first instead
SEARCHED = "record.find"  # the audit action of an inspector's search (R7, C)


@dataclass(frozen=True)
class Page:
    search_id: int
    query: str
    hits: list[Hit]
    total: int  # counted no further than CAP of each kind
    page: int
    more: bool = False  # more than CAP records of a kind match

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE))

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages or (self.more and len(self.hits) == PAGE)


async def _people(session: AsyncSession, usernames: list[str]) -> list[int]:
    ids = []
    for name in usernames:
        pid = await session.scalar(select(Person.id).where(Person.username == name))
        if pid is None:
            raise InvalidInput(
                N_("Nobody with the username @{username} is known to the bot."), username=name
            )
        ids.append(pid)
    return ids


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
    build: dict[str, Callable[[], Part]] = {
        "INC": lambda: incident_part(q, scope, people, zone),
        "EVT": lambda: event_part(q, scope, people, zone),
        "MTG": lambda: meeting_part(q, scope, people),
    }
    page = max(page, 0)
    found: list[Any] = []
    total, more = 0, False
    for prefix, make in build.items():
        if not q.wants(prefix):
            continue
        part = make()
        drive = await _driver(session, part, _starts(q, scope, people, part))
        if drive is False:  # nothing to start from: nothing can match
            continue
        conds = [*part.conds, *([drive] if drive is not None else [])]
        # The newest CAP + 1 matches, in one reading: the page is among them, and their
        # number is the count; a count that read every match cost its time at 200,000
        # records (docs/decisions/009-search.md), and "more than 200" says to narrow it.
        newest = (
            select(literal(part.kind).label("rk"), part.id.label("rid"), part.at.label("at"))
            .where(*conds)
            .order_by(part.at.desc(), part.id.desc())
            .limit(max(CAP, (page + 1) * PAGE) + 1)
        )
        rows = list(await session.execute(newest))
        total, more = total + min(len(rows), CAP), more or len(rows) > CAP
        found += rows
    last = max(0, -(-total // PAGE) - 1)
    if page > last and not more:  # past the end: the last page
        return await run(session, scope, text, last, now=now, zone=zone, search_id=search_id)
    found.sort(key=lambda r: (_moment(r.at, zone), r.rk, r.rid), reverse=True)
    shown = found[page * PAGE : (page + 1) * PAGE]
    return Page(search_id, text, await hits_of(session, shown, zone), total, page, more)


def _few(ids: Any) -> Any:
    """How many rows `ids` has, counting no further than DENSE + 1."""
    return select(func.count()).select_from(ids.limit(DENSE + 1).subquery()).scalar_subquery()


def _starts(q: Query, scope: Scope, people: list[int], part: Part) -> list[Any]:
    """The ids a search of this part could start from: each bigram's records; for incidents
    also the reader's own (a reader who does not see everything), a named person's, and
    those of a status (open incidents are few)."""
    starts: list[Any] = [posting(part.kind, g) for w in q.words for g in grams(w)]
    if part.kind != INCIDENT:
        return starts
    owners = list(people) + ([] if scope.everything or scope.committees else [scope.person_id])
    for pid in owners:
        handled = select(IncidentHandler.incident_id).where(IncidentHandler.person_id == pid)
        starts.append(union_all(select(Incident.id).where(Incident.reporter_id == pid), handled))
    if q.incident_statuses:
        starts.append(select(Incident.id).where(Incident.status.in_(sorted(q.incident_statuses))))
    return starts


async def _driver(session: AsyncSession, part: Part, starts: list[Any]) -> Any:
    """What this part's search starts from: the fewest of `starts`, when they are few enough
    to read them all (DENSE), as a list the database reads first; None when all are many,
    so the records are read newest first and each is asked every condition (an early stop
    where matches are common); False when one is empty, so nothing can match."""
    if not starts:
        return None
    sizes = (await session.execute(select(*(_few(ids) for ids in starts)))).one()
    n, fewest = min(zip(sizes, range(len(starts)), strict=True))  # one reading for them all
    if n > DENSE:
        return None
    return False if n == 0 else part.id.in_(starts[fewest])


def _moment(at: date | datetime, zone: ZoneInfo) -> datetime:
    return at if isinstance(at, datetime) else datetime.combine(at, time(), zone)


async def find(deps: Deps, actor: TgUser, text: str) -> Page:
    """The first page of a new search; the search is kept so its page buttons carry an id."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput(
            N_(
                "What should I look for? Send /find followed by words, a "
                "reference, @username, a status or a period."
            )
        )
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        scope = await reader(session, actor, now)  # R4: members; R7: an inspector in office
        saved = SavedSearch(person_id=scope.person_id, query=text[:500], at=now)
        session.add(saved)
        await session.flush()
        found = await run(
            session, scope, saved.query, 0, now=now, zone=deps.zone, search_id=saved.id
        )
        _audit(session, scope, found, now)
        return found


async def page(deps: Deps, actor: TgUser, search_id: int, number: int) -> Page:
    """Another page of a kept search: only its author's (a forwarded button reads nothing)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        scope = await reader(session, actor, now)
        saved = await session.get(SavedSearch, search_id)
        if saved is None or saved.person_id != scope.person_id:
            raise NotFound(N_("This search is no longer available. Please send /find again."))
        found = await run(
            session, scope, saved.query, number, now=now, zone=deps.zone, search_id=saved.id
        )
        _audit(session, scope, found, now)
        return found


def _audit(session: AsyncSession, scope: Scope, found: Page, now: datetime) -> None:
    """C, R7: an inspector's every search is on record like their other readings: what they
    asked, which page, and the references it showed them."""
    if scope.inspector:
        record(
            session,
            at=now,
            actor_id=scope.person_id,
            action=SEARCHED,
            subject_type="search",
            subject_id=found.search_id,
            clause="R7",
            query=found.query,
            page=found.page + 1,
            total=found.total,
            refs=[h.ref for h in found.hits],
        )
