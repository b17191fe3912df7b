"""Lapses: what the records prove was not done in time, each tagged with its clause.

Pure functions of the rows (records.py) and the obligations (obligations.py). A lapse is
claimed only when its limit has passed by `now`; "still not done" and "done late" are told
apart, because an inspector weighs them differently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bot.calendar.models import MeetingKind
from bot.ledger.obligations import Obligation
from bot.ledger.period import LedgerPeriod
from bot.ledger.records import EventRow, IncidentRow
from bot.policy.schema import Policy

# code → the clauses it touches (docs/clauses.md). The first is the one it is listed under.
CLAUSES: dict[str, tuple[str, ...]] = {
    "ack_late": ("L4",),
    "ack_missing": ("L4",),
    # L4 by the severity in force: its limit moved by a change of severity or a reopening
    "ack_late_in_force": ("L4",),
    "ack_missing_in_force": ("L4",),
    "secretary_ack_missing": ("R2", "C2"),
    "upward_late": ("C8", "P3"),
    "upward_missing": ("C8", "P3"),
    "event_uncleared": ("R6",),
    "quarter_without_review": ("A2",),
    "quarter_review_incomplete": ("A2",),
    "dedicated_short": ("R2",),
    "study_missing": ("R3",),
    "analysis_missing": ("A3",),
}
OBLIGATION_CODES = {
    MeetingKind.QUARTERLY_REVIEW: "quarter_without_review",
    MeetingKind.DEDICATED: "dedicated_short",
    MeetingKind.STUDY: "study_missing",
    MeetingKind.FORWARD_ANALYSIS: "analysis_missing",
}


@dataclass(frozen=True)
class Lapse:
    code: str
    due: datetime  # the limit that passed (UTC)
    subject: str  # INC-…, EVT-…, or the obligation's period key
    late_by: timedelta | None  # None: still not done
    params: dict[str, str] = field(default_factory=dict)

    @property
    def clauses(self) -> tuple[str, ...]:
        return CLAUSES[self.code]


def _late(
    code: str, due: datetime, done: datetime | None, now: datetime, subject: str, **params: str
) -> list[Lapse]:
    if done is None:
        return (
            [Lapse(code.replace("_late", "_missing"), due, subject, None, params)]
            if (due <= now)
            else []
        )
    return [Lapse(code, due, subject, done - due, params)] if done > due else []


def of_incident(row: IncidentRow, policy: Policy, now: datetime) -> list[Lapse]:
    """The lapses an incident's record proves by `now`: acknowledged late or never (L4, as
    filed and by the severity in force), the secretary's own acknowledgement missing (R2, C2),
    the report upward late (C8, P3)."""
    out: list[Lapse] = []
    kind = {"kind": row.kind, "severity": row.severity or ""}
    if row.ack_limit_at is not None:  # L4: acknowledged within its limit, as filed
        out += _late("ack_late", row.ack_limit_at, row.acknowledged_at, now, row.ref, **kind)
    in_force = row.ack_limit_in_force_at
    if in_force is not None and in_force != row.ack_limit_at:  # L4 by the severity in force
        out += _late("ack_late_in_force", in_force, row.acknowledged_now_at, now, row.ref, **kind)
    # R2, C2: the secretary's own acknowledgement (needed by the severity in force), once the
    # incident's limit has passed or it was closed without it.
    if row.needs_secretary_ack and row.secretary_ack_at is None:
        limit = in_force or row.ack_limit_at or row.reported_at
        if row.closed_at is not None or limit <= now:
            out.append(Lapse("secretary_ack_missing", limit, row.ref, None, kind))
    due = _upward_due(row, policy)  # C8, P3
    if due is not None:
        out += _late("upward_late", due, row.reported_upward_at, now, row.ref, **kind)
    return out


def _upward_due(row: IncidentRow, policy: Policy) -> datetime | None:
    """C8, P3 by the severity in force at the time: due from the filing when it was filed at a
    severity that asks for it (and still has it, or lost it only after the limit passed), else
    from the moment a change of severity made it one."""
    upward = policy.incidents.report_upward
    within = timedelta(hours=upward.within_hours)
    filed = row.filed_severity if row.severity_since is not None else row.severity
    if filed in upward.severities:
        due = row.reported_at + within
        if row.severity in upward.severities or (
            row.severity_since is not None and row.severity_since > due
        ):
            return due
    if row.severity in upward.severities and row.severity_since is not None:
        return row.severity_since + within
    return None


def of_event(row: EventRow, now: datetime) -> list[Lapse]:
    """R6: an event whose date came without approval and filing. Withdrawn, rejected or
    cancelled before its date is no lapse; filed after its date is one."""
    if row.starts_at > now:
        return []
    if row.closed_at is not None and row.closed_at <= row.starts_at:
        return []
    if row.filed_at is not None and row.filed_at <= row.starts_at:
        return []
    late = row.filed_at - row.starts_at if row.filed_at is not None else None
    return [
        Lapse(
            "event_uncleared",
            row.starts_at,
            row.ref,
            late,
            {"title": row.title, "status": row.status},
        )
    ]


def of_obligation(item: Obligation, period: LedgerPeriod) -> list[Lapse]:
    """A period that ended short, listed in the ledger period its deadline fell in."""
    if not item.lapse or not period.first <= item.belongs <= period.last:
        return []
    due = datetime.combine(item.end + timedelta(days=1), time(), period.zone)
    params = {"held": str(item.held), "required": str(item.required), **item.names}
    code = OBLIGATION_CODES[item.kind]
    if item.missing:  # A2: held, incomplete; the areas left without a conclusion
        code = "quarter_review_incomplete"
        params["missing"] = json.dumps(item.missing, ensure_ascii=False)
    return [Lapse(code, due, item.key, None, params)]


def lapses(
    period: LedgerPeriod,
    policy: Policy,
    now: datetime,
    incidents: list[IncidentRow],
    events: list[EventRow],
    obligations: list[Obligation],
) -> list[Lapse]:
    """Every lapse of the period, oldest limit first."""
    out = [lapse for row in incidents for lapse in of_incident(row, policy, now)]
    out += [lapse for row in events if period.holds(row.starts_at) for lapse in of_event(row, now)]
    out += [lapse for item in obligations for lapse in of_obligation(item, period)]
    return sorted(out, key=lambda lapse: (lapse.due, lapse.subject, lapse.code))
