"""/calendar: what is open now, what comes up in the next weeks, what is overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar import digest, obligations
from bot.calendar.models import Meeting, MeetingKind
from bot.calendar.runner import epoch
from bot.calendar.schedule import Period, dues_around, year
from bot.deps import Deps

LOOK_AHEAD_DAYS = 42
OVERDUE_WITHIN = timedelta(days=365)
OPENING = {"quarter_open", "study_open"}
LAPSE_OF = {"quarter_lapse": "quarter", "study_lapse": "study", "dedicated_lapse": "dedicated"}


@dataclass
class Overview:
    open: list[dict[str, Any]] = field(default_factory=list)
    upcoming: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[dict[str, Any]] = field(default_factory=list)
    dedicated: tuple[int, int] = (0, 2)  # held this year, minimum
    # The meetings held most recently, with their references (/record MTG-…, R7).
    recent: list[Held] = field(default_factory=list)


@dataclass(frozen=True)
class Held:
    id: int
    ref: str
    kind: str
    held_on: date
    title: str


RECENT = 5


async def _incomplete(
    session: AsyncSession, deps: Deps, period: Period, item: dict[str, Any]
) -> None:
    """A2: a review held without every area concluded is shown as held, incomplete."""
    if await obligations.held(session, MeetingKind.QUARTERLY_REVIEW, period):
        missing = await obligations.missing_areas(session, deps.policy, period)
        topics = deps.policy.calendar.quarterly_review.topics
        item["missing"] = [[t.name, t.name_en] for t in topics if t.key in missing]


async def overview(deps: Deps) -> Overview:
    """What /calendar shows now: the dedicated meetings of the year against the minimum (R2),
    what is open and what is overdue, the latest meetings held, what comes next."""
    now = deps.clock.now()
    since = await epoch(deps, now)
    today = now.astimezone(deps.zone).date()
    started = since.astimezone(deps.zone).date()
    dues = sorted(dues_around(deps.policy, deps.zone, today), key=lambda d: d.due_at)
    out = Overview()
    async with deps.db.read() as session:
        this_year = year(today)
        minimum = deps.policy.calendar.dedicated_meetings.minimum_per_year
        held = await obligations.held(session, MeetingKind.DEDICATED, this_year)
        out.dedicated = (held, minimum)
        for due in dues:
            item = digest.describe(due)
            sensitive = due.obligation == "sensitive"
            if (due.obligation in OPENING and due.period.contains(today)) or (
                sensitive and due.period.start <= today < due.period.end
            ):
                bucket = out.open
            elif (due.obligation in LAPSE_OF and due.period.end < today) or (
                sensitive and due.period.end <= today
            ):
                ended: date = due.period.end
                if not (today - ended <= OVERDUE_WITHIN) or (sensitive and ended < started):
                    continue
                item["obligation"] = LAPSE_OF.get(due.obligation, "sensitive")
                bucket = out.overdue
            else:
                continue
            if await obligations.needed(session, deps.policy, due):
                if due.obligation.startswith("quarter"):
                    await _incomplete(session, deps, due.period, item)
                bucket.append(item)
        latest = await session.scalars(
            select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(RECENT)
        )
        out.recent = [Held(m.id, m.ref, m.kind, m.held_on, m.title) for m in latest]
        opened = {(i["obligation"], i["start"]) for i in out.open}
        out.upcoming = [
            i
            for i in await digest.upcoming(session, deps, now, LOOK_AHEAD_DAYS)
            if (i["obligation"], i["start"]) not in opened
        ]
    return out
