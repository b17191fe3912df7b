"""A quarterly review recorded through the service."""

from __future__ import annotations

from datetime import date

from bot.calendar.meetings import MeetingDraft
from bot.calendar.models import MeetingKind


def review(held_on: date, concluded: list[str], not_discussed: dict[str, str]) -> MeetingDraft:
    return MeetingDraft(
        MeetingKind.QUARTERLY_REVIEW,
        held_on,
        title="四季度分析研判",
        conclusions={k: f"{k}：总体平稳" for k in concluded},
        not_discussed=not_discussed,
    )
