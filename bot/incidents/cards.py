"""An incident's card for its handlers: what it shows and its buttons (the words are in
render/incident.py)."""

from __future__ import annotations

from typing import Any

from bot.buttons.incidents import ON_CARD, IncidentAction, IncidentButton
from bot.i18n import N_
from bot.incidents.models import Incident
from bot.outbox.service import Button
from bot.people.models import Person
from bot.people.view import PersonView


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
    closed one can be reopened (bot/incidents/reopening.py)."""
    place = ON_CARD if card else ""
    a = IncidentAction

    def b(label: str, action: IncidentAction) -> Button:
        return Button(label, IncidentButton(action, incident_id, place).pack())

    timeline = [b(N_("Timeline"), a.TIMELINE)]
    timeline += [b(N_("Attachments"), a.ATTACHMENTS)] if files else []
    if closed:
        return [timeline, [b(N_("Reopen"), a.REOPEN)]]
    first = [b(N_("Acknowledge"), a.ACKNOWLEDGE)] if acknowledge else []
    last = [b(N_("Contain"), a.CONTAIN)] if contain else []
    rows = [
        [*first, b(N_("Add update"), a.ADD_UPDATE)],
        [b(N_("Escalate upward"), a.REPORT_UPWARD), b(N_("Pull in"), a.PULL_IN)],
        [*last, b(N_("Close"), a.CLOSE)],
        *([[b(N_("Change severity"), a.CHANGE_SEVERITY)]] if rated else []),
        timeline,
    ]
    return rows
