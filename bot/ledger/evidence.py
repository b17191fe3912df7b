"""The per-clause view: for one clause, the evidence in the records, dated ("show me A2").

Meetings held under the clause, audited steps that cite it (decisions, filings, incidents),
the reminders the calendar sent for it, and its lapses — oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from bot.calendar.models import MEETING_CLAUSES, MeetingKind
from bot.ledger.lapses import Lapse
from bot.ledger.period import LedgerPeriod
from bot.ledger.records import MeetingRow, Reminder, Step

CLAUSE_IDS = (
    *(f"R{n}" for n in range(1, 9)),
    *(f"L{n}" for n in range(1, 6)),
    *(f"A{n}" for n in range(1, 5)),
    *(f"P{n}" for n in range(1, 5)),
    *(f"C{n}" for n in range(1, 13)),
)
# Clauses the records cite directly, offered as buttons (any other can be typed: /ledger C5).
OFFERED = ("R2", "R3", "R6", "A2", "A3", "L1", "L2", "L3", "L4", "L5", "P2", "P3", "C2", "C8")
# Accountability clauses whose evidence is a step recorded under another clause: the secretary's
# own acknowledgement (R2) answers C2; the report to the higher department (P3) answers C8.
ALSO: dict[str, tuple[str, str]] = {
    "C2": ("R2", "incident.acknowledged"),
    "C8": ("P3", "incident.reported_upward"),
}


def known(clause: str) -> str | None:
    """The clause ID as written in docs/clauses.md (upper case), or None."""
    clause = clause.strip().upper()
    return clause if clause in CLAUSE_IDS else None


@dataclass(frozen=True)
class Evidence:
    at: datetime
    source: str  # meeting | step | reminder | lapse
    what: str  # the meeting's kind, the step's action, the reminder's obligation, the lapse code
    subject: str  # a reference, a meeting's title, a period
    actor: str | None = None
    whole_day: bool = False  # a meeting is recorded by its date
    params: dict[str, str] = field(default_factory=dict)
    lapse: Lapse | None = None


def wanted(clause: str, step: Step) -> bool:
    """Whether the recorded step is evidence for `clause` (directly, or through ALSO)."""
    if step.clause == clause:
        return True
    also = ALSO.get(clause)
    return also is not None and (step.clause, step.action) == also


def _step_params(step: Step) -> dict[str, str]:
    """What a step's evidence names beside its kind: to whom a report upward went (P3, C8)."""
    to = step.data.get("to") if step.action == "incident.reported_upward" else None
    return {"to": str(to)} if to else {}


def evidence(
    clause: str,
    period: LedgerPeriod,
    meetings: list[MeetingRow],
    steps: list[Step],
    reminders: list[Reminder],
    lapses: list[Lapse],
) -> list[Evidence]:
    """The ledger's evidence for one clause in the period, in time order: the meetings held for
    it, the steps recorded under it, the reminders sent and the lapses it touches."""
    out = [
        Evidence(
            datetime.combine(m.held_on, time(), period.zone),
            "meeting",
            m.kind,
            m.title,
            m.recorded_by,
            True,
            {"attendees": str(m.attendees), "ref": m.ref},
        )
        for m in meetings
        if (
            MEETING_CLAUSES[MeetingKind(m.kind)] == clause
            or any(clause in s.get("clauses", ()) for s in m.studied)
        )  # R8, P4: its materials
        and period.first <= m.held_on <= period.last
    ]
    out += [
        Evidence(s.at, "step", s.action, s.subject, s.actor, params=_step_params(s))
        for s in steps
        if wanted(clause, s) and s.action != "meeting.record"  # the meeting is listed itself
    ]
    out += [
        Evidence(r.at, "reminder", r.obligation, r.key) for r in reminders if r.clause == clause
    ]
    out += [
        Evidence(lapse.due, "lapse", lapse.code, lapse.subject, params=lapse.params, lapse=lapse)
        for lapse in lapses
        if clause in lapse.clauses
    ]
    return sorted(out, key=lambda e: (e.at, e.source != "meeting"))
