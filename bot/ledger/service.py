"""The ledger of a period for one reader: read in one transaction, computed by pure functions."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import NotAllowed
from bot.i18n import N_
from bot.ledger import content as contents
from bot.ledger import records, trail
from bot.ledger.evidence import ALSO, Evidence, evidence
from bot.ledger.figures import EventFigures, IncidentFigures, event_figures, incident_figures
from bot.ledger.lapses import Lapse, lapses
from bot.ledger.obligations import Obligation, obligations, window
from bot.ledger.period import LedgerPeriod
from bot.ledger.scope import Scope, scope_of
from bot.people import inspectors
from bot.people.service import admitted, reload, upsert
from bot.people.view import TgUser, view


@dataclass(frozen=True)
class Ledger:
    period: LedgerPeriod
    scope: Scope
    now: datetime
    incidents: list[records.IncidentRow]  # reported within the period
    events: list[records.EventRow]  # requested or dated within the period
    meetings: list[records.MeetingRow]  # held within the period
    obligations: list[Obligation]
    lapses: list[Lapse]
    incident_figures: IncidentFigures
    event_figures: EventFigures
    steps: list[trail.Step]  # every clause-citing step: only when built for an export
    reminders: list[trail.Reminder]
    content: contents.Content | None = None  # what the records say: only for an export

    def evidence(self, clause: str) -> list[Evidence]:
        return evidence(clause, self.period, self.meetings, self.steps, self.reminders, self.lapses)


async def reader(session: AsyncSession, actor: TgUser, now: datetime) -> Scope:
    """What this reader may see, decided here once for the ledger and for /record."""
    person = await reload(session, (await upsert(session, actor, now=now, started=False)).id)
    grant = await inspectors.valid(session, person.id, now)
    if grant is not None:  # R7, C: an inspector in office reads everything (of the period)
        readable = None
        if grant.period_first and grant.period_last:
            readable = (
                date.fromisoformat(grant.period_first),
                date.fromisoformat(grant.period_last),
            )
        return Scope(person.id, True, frozenset(), inspector=True, readable=readable)
    admitted(view(person))  # R4: only members read the ledger, besides inspectors
    return scope_of(person)


def _within(scope: Scope, period: LedgerPeriod) -> None:
    """An inspector reads only the period the grant names."""
    if scope.readable is not None and not (
        scope.readable[0] <= period.first and period.last <= scope.readable[1]
    ):
        raise NotAllowed(
            N_("As an inspector you may read the ledger of {first} to {last} only."),
            first=scope.readable[0].isoformat(),
            last=scope.readable[1].isoformat(),
        )


async def reader_scope(deps: Deps, actor: TgUser) -> Scope:
    """What the reader may see, without reading the ledger (a page that only names it)."""
    async with deps.db.transaction() as session:
        return await reader(session, actor, deps.clock.now())


async def build(
    deps: Deps,
    actor: TgUser,
    period: LedgerPeriod,
    *,
    clause: str | None = None,
    export: bool = False,
) -> Ledger:
    """The ledger the reader may see. `clause` loads that clause's steps (the per-clause
    view); `export` loads every clause's steps (the spreadsheet's evidence sheet) and leaves
    an audit entry (R7: the inspection file was taken, by whom, for which period)."""
    now = deps.clock.now()
    zone = deps.policy.working_hours.zone
    today = now.astimezone(zone).date()
    async with deps.db.transaction() as session:
        scope = await reader(session, actor, now)
        _within(scope, period)
        if scope.inspector:  # C: every reading by an inspector is on record
            record(
                session,
                at=now,
                actor_id=scope.person_id,
                action="ledger.read",
                subject_type="ledger",
                subject_id=None,
                clause="R7",
                period=period.key,
                clause_read=clause,
                export=export,
            )
        incidents = await records.incidents(session, period, scope)
        events = await records.events(session, period, scope)
        first, last = window(deps.policy, period)
        around = await records.meetings(session, first, last)
        kept = await records.kept_since(session)
        kept_day: date | None = kept.astimezone(zone).date() if kept else None
        # Steps and reminders are evidence: read only for a clause's view or an export.
        steps: list[trail.Step] = []
        reminders: list[trail.Reminder] = []
        if export or clause is not None:
            wanted = () if export or clause is None else (clause, *ALSO.get(clause, ())[:1])
            steps = await trail.steps(session, period, scope, wanted)
            reminders = await trail.reminders(session, period)
        counted = await trail.event_steps(session, period, scope)
        content = None
        if export:  # R7: the package's spreadsheet holds the records' words and files
            areas = [
                (t.key, t.name, t.name_en) for t in deps.policy.calendar.quarterly_review.topics
            ]
            # A meeting's minutes, attendees and conclusions are the leadership's (like its
            # audited steps: scope.others()); its date, kind and subject are everyone's.
            held = [
                m.id
                for m in around
                if period.first <= m.held_on <= period.last and scope.everything
            ]
            refs = {i.id: i.ref for i in incidents}
            content = await contents.read(session, period, scope, refs, held, areas)
            record(
                session,
                at=now,
                actor_id=scope.person_id,
                action="ledger.exported",
                subject_type="ledger",
                subject_id=None,
                clause="R7",
                period=period.key,
                scope=scope.level,
            )

    def assemble() -> Ledger:  # pure, and for a large period not quick: off the event loop
        owed = obligations(deps.policy, zone, period, around, today, kept_day)
        return Ledger(
            period=period,
            scope=scope,
            now=now,
            incidents=incidents,
            events=events,
            meetings=[m for m in around if period.first <= m.held_on <= period.last],
            obligations=owed,
            lapses=lapses(period, deps.policy, now, incidents, events, owed),
            incident_figures=incident_figures(incidents),
            event_figures=event_figures(events, counted, period),
            steps=steps,
            reminders=reminders,
            content=content,
        )

    return await asyncio.to_thread(assemble)
