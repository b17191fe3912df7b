"""The ledger's figures: pure functions of the period's rows (records.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from bot.ledger.period import LedgerPeriod
from bot.ledger.records import EventRow, IncidentRow

SEVERITIES = ("critical", "major", "general", "")  # "": an information report has none


@dataclass(frozen=True)
class Durations:
    count: int
    median: timedelta | None
    slowest: timedelta | None


def durations(values: list[timedelta]) -> Durations:
    """How many, the median and the slowest of these durations."""
    if not values:
        return Durations(0, None, None)
    seconds = median(v.total_seconds() for v in values)
    return Durations(len(values), timedelta(seconds=round(seconds)), max(values))


def _since(rows: list[IncidentRow], end: str) -> list[timedelta]:
    return [moment - row.reported_at for row in rows if (moment := getattr(row, end)) is not None]


@dataclass(frozen=True)
class IncidentFigures:
    total: int
    by_kind: dict[tuple[str, str], int]  # (kind, severity or "") → how many
    open: int
    to_acknowledge: Durations
    to_close: Durations
    escalated: int  # by themselves: nobody acknowledged in time (L2, L1)
    upward: int  # reported to the higher department (P3)
    reopened: int = 0  # reopenings (an incident reopened twice counts twice)


def incident_figures(rows: list[IncidentRow]) -> IncidentFigures:
    """The period's incident figures: by kind and severity, still open, time to acknowledge
    (L4) and to close, escalated, reported upward (P3), reopened."""
    return IncidentFigures(
        total=len(rows),
        by_kind=dict(Counter((r.kind, r.severity or "") for r in rows)),
        open=sum(1 for r in rows if r.closed_at is None),
        to_acknowledge=durations(_since(rows, "acknowledged_at")),
        to_close=durations(_since(rows, "closed_at")),
        escalated=sum(1 for r in rows if r.escalation_level > 0),
        upward=sum(1 for r in rows if r.reported_upward_at is not None),
        reopened=sum(r.reopen_count for r in rows),
    )


# The audited event steps counted (bot/events: decisions, after, service).
EVENT_STEPS = {
    "approved": ("event.approve",),
    "rejected": ("event.reject",),
    "sent_back": ("event.changes", "event.sent_back"),
    "withdrawn": ("event.withdrawn",),
    "filed": ("event.filed",),
    "cancelled": ("event.cancelled",),
}


@dataclass(frozen=True)
class EventFigures:
    requested: int
    steps: dict[str, int]  # approved, rejected, sent_back, withdrawn, filed, cancelled
    dated: int  # events whose date fell within the period
    held: int  # of those, held as their organiser reported
    short_lead: int
    lead_days: tuple[float, float] | None  # median and shortest notice, in days


def event_figures(
    rows: list[EventRow], steps: dict[str, int], period: LedgerPeriod
) -> EventFigures:
    """The period's event figures (R6): requested, each step taken, held, short lead time, and
    the lead time's median and shortest in days."""
    requested = [r for r in rows if period.holds(r.requested_at)]
    dated = [r for r in rows if period.holds(r.starts_at)]
    leads = [(r.starts_at - r.requested_at).total_seconds() / 86400 for r in requested]
    return EventFigures(
        requested=len(requested),
        steps={name: sum(steps.get(a, 0) for a in acts) for name, acts in EVENT_STEPS.items()},
        dated=len(dated),
        held=sum(1 for r in dated if r.outcome == "held"),
        short_lead=sum(1 for r in requested if r.short_lead),
        lead_days=(round(median(leads), 1), round(min(leads), 1)) if leads else None,
    )


def months(period: LedgerPeriod) -> list[tuple[int, int]]:
    """The (year, month) pairs the period touches: the chart's x axis."""
    out, (y, m) = [], (period.first.year, period.first.month)
    while (y, m) <= (period.last.year, period.last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_of(moment: datetime, period: LedgerPeriod) -> tuple[int, int]:
    """The (year, month) of `moment` in the period's time zone."""
    local = moment.astimezone(period.zone)
    return local.year, local.month
