"""Whether an obligation is met, from the meetings recorded (what stops its reminders)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.models import Meeting, MeetingKind, Occurrence
from bot.calendar.schedule import Due, Period
from bot.policy.schema import Policy

KIND_OF = {
    "quarter_open": MeetingKind.QUARTERLY_REVIEW,
    "quarter_briefing": MeetingKind.QUARTERLY_REVIEW,
    "quarter_reminder": MeetingKind.QUARTERLY_REVIEW,
    "quarter_lapse": MeetingKind.QUARTERLY_REVIEW,
    "dedicated_reminder": MeetingKind.DEDICATED,
    "dedicated_lapse": MeetingKind.DEDICATED,
    "study_open": MeetingKind.STUDY,
    "study_reminder": MeetingKind.STUDY,
    "study_lapse": MeetingKind.STUDY,
    "sensitive": MeetingKind.FORWARD_ANALYSIS,
}


async def held(session: AsyncSession, kind: MeetingKind, period: Period) -> int:
    """How many meetings of `kind` were held within the period."""
    count = await session.scalar(
        select(func.count(Meeting.id)).where(
            Meeting.kind == kind, Meeting.held_on >= period.start, Meeting.held_on <= period.end
        )
    )
    return int(count or 0)


async def missing_areas(session: AsyncSession, policy: Policy, period: Period) -> list[str]:
    """A2: the areas of the policy that no quarterly review of the period concluded (all of
    them when none was held). A review that leaves some out is held, incomplete."""
    rows = await session.scalars(
        select(Meeting.topics).where(
            Meeting.kind == MeetingKind.QUARTERLY_REVIEW,
            Meeting.held_on >= period.start,
            Meeting.held_on <= period.end,
        )
    )
    covered = {key for topics in rows for key in topics}
    return [t.key for t in policy.calendar.quarterly_review.topics if t.key not in covered]


async def analysed(session: AsyncSession, key: str, on: date) -> bool:
    """A3: a forward-looking analysis was recorded for this sensitive date."""
    count = await session.scalar(
        select(func.count(Meeting.id)).where(
            Meeting.kind == MeetingKind.FORWARD_ANALYSIS,
            Meeting.sensitive_key == key,
            Meeting.sensitive_on == on,
        )
    )
    return bool(count)


async def reminded(session: AsyncSession, due: Due) -> bool:
    """Whether the calendar announced or reminded anything of this period. A lapse is only
    claimed for what the bot itself asked for: not for a period before it was running."""
    prefix = due.key.removesuffix("lapse")
    count = await session.scalar(
        select(func.count(Occurrence.id)).where(
            Occurrence.key.startswith(prefix, autoescape=True), Occurrence.key != due.key
        )
    )
    return bool(count)


async def needed(session: AsyncSession, policy: Policy, due: Due) -> bool:
    """Whether this occurrence still has something to say (False once the meeting is recorded)."""
    if due.obligation == "digest":
        return True
    if due.obligation.endswith("_lapse") and not await reminded(session, due):
        return False
    if due.obligation == "sensitive":
        return not await analysed(
            session, due.extra["date_key"], date.fromisoformat(due.extra["on"])
        )
    if due.obligation.startswith("quarter_"):  # A2: until every area has a conclusion
        return bool(await missing_areas(session, policy, due.period))
    count = await held(session, KIND_OF[due.obligation], due.period)
    if due.obligation == "dedicated_reminder":
        return count < int(due.extra["below"])
    if due.obligation == "dedicated_lapse":
        return count < policy.calendar.dedicated_meetings.minimum_per_year
    return count == 0
