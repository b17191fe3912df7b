"""An entry of the accountability register (C1–C12) as it is shown: the facts with the records
they name (linked, or not found), its line in the list, and the entry in full with its chain
of corrections. Reads only; the register's use cases are in service.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.refs import reference
from bot.events.models import EventRequest
from bot.incidents.models import Incident
from bot.people.models import Person
from bot.register import rules
from bot.register.models import AccountabilityCase


@dataclass(frozen=True)
class Facts:
    """The facts as they will be kept, and the references in them: linked, or not found."""

    text: str
    incidents: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CaseLine:
    id: int
    decided_on: date
    person: str
    clause: str
    grade: str
    corrected_by: int | None


@dataclass(frozen=True)
class CasesPage:
    cases: list[CaseLine]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class CaseView:
    id: int
    person_id: int
    person: str
    clause: str
    facts: Facts
    grade: str
    measures: list[str]
    decided_on: date
    recorded_by: str
    recorded_at: datetime
    corrects: int | None
    corrected_by: int | None
    chain: list[int]  # every entry of its chain of corrections, oldest first


async def link(session: AsyncSession, text: str) -> tuple[Facts, list[int], list[int]]:
    """The records the facts name, by their references; those not found are reported."""
    found: dict[str, list[tuple[str, int]]] = {"INC": [], "EVT": []}
    missing = []
    for kind, year, number in rules.references(text):
        model = Incident if kind == "INC" else EventRequest
        record_id = await session.scalar(
            select(model.id).where(model.year == year, model.number == number)
        )
        ref = reference(kind, year, number)
        if record_id is None:
            missing.append(ref)
        else:
            found[kind].append((ref, record_id))
    facts = Facts(text, [r for r, _ in found["INC"]], [r for r, _ in found["EVT"]], missing)
    return facts, [i for _, i in found["INC"]], [i for _, i in found["EVT"]]


async def corrected_by(session: AsyncSession, case_id: int) -> int | None:
    """The entry that corrects this one, if any (at most one: a chain)."""
    return await session.scalar(
        select(AccountabilityCase.id).where(AccountabilityCase.corrects_id == case_id)
    )


async def view_of(session: AsyncSession, c: AccountabilityCase) -> CaseView:
    """The entry in full: names, the records its facts name (linked, or not found) and its
    chain of corrections."""
    names = {
        p.id: p.display_name
        for p in await session.scalars(
            select(Person).where(Person.id.in_({c.person_id, c.recorded_by_id}))
        )
    }
    incidents = sorted(
        i.ref
        for i in await session.scalars(select(Incident).where(Incident.id.in_(c.incident_ids)))
    )
    events = sorted(
        e.ref
        for e in await session.scalars(select(EventRequest).where(EventRequest.id.in_(c.event_ids)))
    )
    named = [reference(*ref) for ref in rules.references(c.facts)]
    missing = [ref for ref in named if ref not in incidents and ref not in events]
    later = await corrected_by(session, c.id)
    return CaseView(
        id=c.id,
        person_id=c.person_id,
        person=names[c.person_id],
        clause=c.clause,
        facts=Facts(c.facts, incidents, events, missing),
        grade=c.grade,
        measures=list(c.measures),
        decided_on=c.decided_on,
        recorded_by=names[c.recorded_by_id],
        recorded_at=c.recorded_at,
        corrects=c.corrects_id,
        corrected_by=later,
        chain=await _chain(session, c.id, c.corrects_id, later),
    )


async def _chain(
    session: AsyncSession, case_id: int, corrects: int | None, later: int | None
) -> list[int]:
    """The entries before this one (what it corrects, and so on) and after it."""
    before: list[int] = []
    while corrects is not None:
        before.insert(0, corrects)
        corrects = await session.scalar(
            select(AccountabilityCase.corrects_id).where(AccountabilityCase.id == corrects)
        )
    after: list[int] = []
    while later is not None:
        after.append(later)
        later = await corrected_by(session, later)
    return [*before, case_id, *after]
