"""The buttons of records that grow where other conversations show them: the reporter's receipt
of a report and /record (handlers/growth.py answers them)."""

from __future__ import annotations

from bot.buttons.incidents import IncidentAction, IncidentButton
from render.renderer import Renderer


def add_button(r: Renderer, incident_id: int) -> tuple[str, str]:
    """The reporter's button on the receipt of a filed report and in /record."""
    return r.plain("Add to this report"), IncidentButton(IncidentAction.ADD, incident_id).pack()


def reopen_button(r: Renderer, incident_id: int) -> tuple[str, str]:
    """Reopen a closed incident, in /record (bot/incidents/reopening.py)."""
    return r.plain("Reopen"), IncidentButton(IncidentAction.REOPEN, incident_id).pack()
