"""Meetings held against what the regulation requires, period by period (A2, R2, R3, A3).

Pure: the policy's rhythm (bot.calendar.schedule) and the meetings recorded. An obligation
whose period ended before the calendar began keeping the records is "unkept", never a lapse:
the records cannot prove what happened before the bot was there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.models import MeetingKind
from bot.calendar.schedule import Period, dues_of_year, periods_of_year
from bot.ledger.period import LedgerPeriod
from bot.ledger.records import MeetingRow
from bot.policy.schema import Policy

MET, OPEN, SHORT, UNKEPT = "met", "open", "short", "unkept"


@dataclass(frozen=True)
class Obligation:
    clause: str
    kind: MeetingKind
    key: str  # 2026-Q1, 2026, 2026-03, 2026-W09; a sensitive date: national_day:2026-10-01
    start: date
    end: date  # inclusive: the last day the obligation can be met
    required: int
    held: int
    state: str  # met | open (not over yet) | short (a lapse) | unkept (before the records)
    names: dict[str, str] = field(default_factory=dict)  # a sensitive date's names
    on: date | None = None  # a sensitive date itself
    # A2: areas (zh, en) no review of the quarter concluded, when one was held: held, incomplete
    missing: tuple[tuple[str, str], ...] = ()

    @property
    def belongs(self) -> date:
        """The day that places the obligation in a ledger period: its period's last day, or the
        sensitive date it prepares for."""
        return self.on or self.end

    @property
    def lapse(self) -> bool:
        return self.state == SHORT


def _state(held: int, required: int, end: date, today: date, kept: date | None) -> str:
    if held >= required:
        return MET
    if end >= today:
        return OPEN
    if kept is None or end < kept:
        return UNKEPT
    return SHORT


def _overlapping(unit: str, period: LedgerPeriod) -> list[Period]:
    found: dict[str, Period] = {}
    for y in range(period.first.year - 1, period.last.year + 1):
        for p in periods_of_year(unit, y):
            if p.start <= period.last and p.end >= period.first:
                found[p.key] = p
    return sorted(found.values(), key=lambda p: p.start)


def window(policy: Policy, period: LedgerPeriod) -> tuple[date, date]:
    """The days whose meetings decide the obligations overlapping the period."""
    starts, ends = [period.first], [period.last]
    for unit in ("quarter", "year", policy.calendar.study_sessions.every):
        spans = _overlapping(unit, period)
        starts.append(spans[0].start)
        ends.append(spans[-1].end)
    return min(starts), max(ends)


def _missing(policy: Policy, held: list[MeetingRow], p: Period) -> tuple[tuple[str, str], ...]:
    covered = {
        k
        for m in held
        if m.kind == MeetingKind.QUARTERLY_REVIEW and p.start <= m.held_on <= p.end
        for k in m.topics
    }
    return tuple(
        (t.name, t.name_en) for t in policy.calendar.quarterly_review.topics if t.key not in covered
    )


def obligations(
    policy: Policy,
    zone: ZoneInfo,
    period: LedgerPeriod,
    held: list[MeetingRow],
    today: date,
    kept: date | None,
) -> list[Obligation]:
    """Every obligation whose period overlaps the ledger's, with the meetings that met it."""
    cal = policy.calendar
    out: list[Obligation] = []

    def count(kind: MeetingKind, p: Period) -> int:
        return sum(1 for m in held if m.kind == kind and p.start <= m.held_on <= p.end)

    rhythm = (
        (MeetingKind.QUARTERLY_REVIEW, cal.quarterly_review.clause, "quarter", 1),
        (
            MeetingKind.DEDICATED,
            cal.dedicated_meetings.clause,
            "year",
            cal.dedicated_meetings.minimum_per_year,
        ),
        (MeetingKind.STUDY, cal.study_sessions.clause, cal.study_sessions.every, 1),
    )
    for kind, clause, unit, required in rhythm:
        for p in _overlapping(unit, period):
            n = count(kind, p)
            missing = _missing(policy, held, p) if kind == MeetingKind.QUARTERLY_REVIEW else ()
            # A2: a review that leaves areas without a conclusion never meets the quarter.
            state = _state(0 if missing else n, required, p.end, today, kept)
            out.append(
                Obligation(
                    clause,
                    kind,
                    p.key,
                    p.start,
                    p.end,
                    required,
                    n,
                    state,
                    missing=missing if n else (),
                )
            )
    for y in range(period.first.year, period.last.year + 1):
        for due in dues_of_year(policy, zone, y):
            on = date.fromisoformat(due.extra.get("on", "1970-01-01"))
            if due.obligation != "sensitive" or not period.first <= on <= period.last:
                continue
            key = due.extra["date_key"]
            n = sum(
                1
                for m in held
                if m.kind == MeetingKind.FORWARD_ANALYSIS
                and m.sensitive_key == key
                and m.sensitive_on == on
            )
            # A3: the analysis comes before the date; on the day itself it is too late.
            last = on - timedelta(days=1)
            names = {
                "name": due.extra["name"],
                "name_en": due.extra["name_en"],
                "on": on.isoformat(),
            }
            out.append(
                Obligation(
                    cal.sensitive_dates.clause,
                    MeetingKind.FORWARD_ANALYSIS,
                    f"{key}:{on.isoformat()}",
                    due.period.start,
                    last,
                    1,
                    n,
                    _state(n, 1, last, today, kept),
                    names,
                    on,
                )
            )
    return out
