"""An incident's card for its handlers: what it shows and its buttons (the words are in
render/incident.py)."""

from __future__ import annotations

from typing import Any

from bot.i18n import N_
from bot.incidents.models import Incident
from bot.outbox.service import Button
from bot.people.models import Person
from bot.people.service import PersonView


def card_params(incident: Incident, reporter: Person | PersonView) -> dict[str, Any]:
    """What a handler's card shows; rendered in the handler's language at delivery."""
    return {
        "id": incident.id,
        "ref": incident.ref,
        "kind": incident.kind,
        "severity": incident.severity or "",
        "what": incident.what,
        "discovered_at": incident.discovered_at.isoformat(),
        "discovered_precision": incident.discovered_precision,
        "location": incident.location,
        "actions_taken": incident.actions_taken,
        "reporter": reporter.display_name,
        "ack_due_at": incident.ack_due_at.isoformat() if incident.ack_due_at else "",
    }


def card_buttons(
    incident_id: int,
    files: int = 0,
    *,
    acknowledge: bool = True,
    contain: bool = True,
    closed: bool = False,
    card: bool = False,
    rated: bool = False,
) -> list[list[Button]]:
    """The incident's buttons; a step already taken (acknowledged, contained, closed) has
    none. Attachments when the reporter attached `files`: anyone who acts on the incident can
    have them sent, whenever they joined. `card`: they sit under the card itself (marked
    ":c"), which a press turns into the card as it stands; under a relay or a reminder only the
    buttons change. `rated`: it has a severity, which its handlers may change (L4, R2); a
    closed one can be reopened (bot/incidents/changes.py)."""
    mark = ":c" if card else ""

    def b(label: str, action: str) -> Button:
        return Button(label, f"1in:{action}:{incident_id}{mark}")

    timeline = [b(N_("Timeline"), "tl")] + ([b(N_("Attachments"), "at")] if files else [])
    if closed:
        return [timeline, [b(N_("Reopen"), "ro")]]
    first = [b(N_("Acknowledge"), "ak")] if acknowledge else []
    last = [b(N_("Contain"), "ct")] if contain else []
    rows = [
        [*first, b(N_("Add update"), "up")],
        [b(N_("Escalate upward"), "hi"), b(N_("Pull in"), "pl")],
        [*last, b(N_("Close"), "cl")],
        *([[b(N_("Change severity"), "sv")]] if rated else []),
        timeline,
    ]
    return rows
