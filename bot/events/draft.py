"""What a requester fills in (R6), and the plain-sense checks it must pass before submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.deps import Deps
from bot.errors import InvalidInput
from bot.freetext import clean
from bot.i18n import N_

EVENT_TYPES = ("report_meeting", "seminar", "lecture", "forum")


@dataclass
class EventDraft:
    event_type: str
    title: str
    starts_at: datetime
    venue: str
    audience: int
    speakers: list[dict[str, str]]
    outline: str
    speakers_vetted: bool
    attachments: list[dict[str, Any]] = field(default_factory=list)
    organiser_id: int | None = None  # None: the requester organises it


# R6 asks for approval in advance, not years in advance: 2099 is a typing slip.
AHEAD = timedelta(days=365)


def check_date(deps: Deps, starts_at: datetime, now: datetime) -> None:
    """A future moment within the next year (the last day named in the answer)."""
    if starts_at <= now:
        raise InvalidInput(N_("That date has passed. When will the event take place?"))
    last = (now + AHEAD).astimezone(deps.zone).date()
    if starts_at.astimezone(deps.zone).date() > last:
        raise InvalidInput(
            N_(
                "That is more than a year ahead. A request is for an event within the next "
                "year, until {last}. When will it take place?"
            ),
            last=last.isoformat(),
        )


def validate(deps: Deps, draft: EventDraft, now: datetime) -> EventDraft:
    """R6 and plain sense: a future date, a real audience, vetted speakers, sane lengths."""
    policy = deps.policy.events
    if draft.event_type not in EVENT_TYPES:
        raise InvalidInput(N_("Please choose the type of event."))
    title = clean("title", draft.title, deps.policy)
    check_date(deps, draft.starts_at, now)
    if not 1 <= draft.audience <= policy.max_audience:
        raise InvalidInput(
            N_("Please give the expected audience as a number from 1 to {max}."),
            max=policy.max_audience,
        )
    if not 1 <= len(draft.speakers) <= policy.max_speakers:
        raise InvalidInput(
            N_("An event needs between 1 and {max} speakers."), max=policy.max_speakers
        )
    speakers = [
        {
            "name": clean("speaker_name", s.get("name"), deps.policy),
            "affiliation": clean("speaker_affiliation", s.get("affiliation"), deps.policy),
        }
        for s in draft.speakers
    ]
    if not draft.speakers_vetted:
        # R6: no speaker with clearly deviant political leanings may be invited.
        raise InvalidInput(N_("Please confirm that the speakers were vetted."))
    return EventDraft(
        draft.event_type,
        title,
        draft.starts_at,
        clean("venue", draft.venue, deps.policy),
        draft.audience,
        speakers,
        clean("outline", draft.outline, deps.policy),
        True,
        draft.attachments,
        draft.organiser_id,
    )
