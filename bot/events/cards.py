"""What an event request's cards carry: the snapshot of a version, card parameters, buttons."""

from __future__ import annotations

from typing import Any

from bot.events.models import EventRequest, EventStatus
from bot.i18n import N_
from bot.outbox.service import Button
from bot.people.models import Person


def snapshot(event: EventRequest) -> dict[str, Any]:
    return {
        "event_type": event.event_type, "title": event.title,
        "starts_at": event.starts_at.isoformat(), "venue": event.venue,
        "audience": event.audience, "speakers": event.speakers, "outline": event.outline,
        "speakers_vetted": event.speakers_vetted, "attachments": event.attachments,
    }  # fmt: skip


def card_params(event: EventRequest, requester: Person, organiser: Person) -> dict[str, Any]:
    return {**snapshot(event), "id": event.id, "ref": event.ref, "version": event.version,
            "requester": requester.display_name, "organiser": organiser.display_name,
            "short_lead": event.short_lead}  # fmt: skip


def approver_buttons(event: EventRequest) -> list[list[Button]]:
    v = f"{event.id}:{event.version}"
    return [
        [Button(N_("Approve"), f"1ev:ap:{v}"), Button(N_("Reject"), f"1ev:rj:{v}")],
        [Button(N_("Request changes"), f"1ev:ch:{v}")],
    ]


def review_buttons(event: EventRequest) -> list[list[Button]]:
    v = f"{event.id}:{event.version}"
    return [[Button(N_("Forward"), f"1ev:fw:{v}"), Button(N_("Send back"), f"1ev:sb:{v}")]]


def resubmit_buttons(event: EventRequest) -> list[list[Button]] | None:
    if event.status != EventStatus.CHANGES_REQUESTED:
        return None
    return [[Button(N_("Edit and resubmit"), f"1ev:rs:{event.id}:{event.version}")]]
