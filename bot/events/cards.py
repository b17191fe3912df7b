"""What an event request's cards carry: the snapshot of a version, card parameters, buttons."""

from __future__ import annotations

from typing import Any

from bot.buttons import EventAction, EventButton
from bot.events.models import EventRequest, EventStatus
from bot.i18n import N_
from bot.outbox.service import Button
from bot.people.models import Person


def snapshot(event: EventRequest) -> dict[str, Any]:
    """What the requester submitted, as stored for each version (EventVersion): the request's
    fields, the speakers and their vetting (R6) included."""
    return {
        "event_type": event.event_type,
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "venue": event.venue,
        "audience": event.audience,
        "speakers": event.speakers,
        "outline": event.outline,
        "speakers_vetted": event.speakers_vetted,
        "attachments": event.attachments,
    }


def card_params(event: EventRequest, requester: Person, organiser: Person) -> dict[str, Any]:
    """The parameters of an event card: the snapshot plus id, reference, version, requester,
    the organiser who is responsible (R6) and whether it comes at short notice."""
    return {
        **snapshot(event),
        "id": event.id,
        "ref": event.ref,
        "version": event.version,
        "requester": requester.display_name,
        "organiser": organiser.display_name,
        "short_lead": event.short_lead,
    }


def event_button(label: str, action: EventAction, event: EventRequest) -> Button:
    """A button that does `action` to this version of `event` (bot/buttons.EventButton)."""
    return Button(label, EventButton(action, event.id, event.version).pack())


def approver_buttons(event: EventRequest) -> list[list[Button]]:
    """Approve, Reject, Request changes: the decision in advance that R6 requires."""
    return [
        [
            event_button(N_("Approve"), EventAction.APPROVE, event),
            event_button(N_("Reject"), EventAction.REJECT, event),
        ],
        [event_button(N_("Request changes"), EventAction.REQUEST_CHANGES, event)],
    ]


def review_buttons(event: EventRequest) -> list[list[Button]]:
    """Forward or Send back: the committee head reviews a request from their committee (L3)."""
    return [
        [
            event_button(N_("Forward"), EventAction.FORWARD, event),
            event_button(N_("Send back"), EventAction.SEND_BACK, event),
        ]
    ]


def resubmit_buttons(event: EventRequest) -> list[list[Button]] | None:
    """Edit and resubmit, while changes are requested (R6); otherwise no buttons."""
    if event.status != EventStatus.CHANGES_REQUESTED:
        return None
    return [[event_button(N_("Edit and resubmit"), EventAction.RESUBMIT, event)]]
