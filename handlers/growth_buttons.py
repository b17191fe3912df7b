"""The buttons of records that grow where other conversations show them: the reporter's receipt
of a report and /record (handlers/growth.py answers them)."""

from __future__ import annotations

from handlers import callback_data as cd
from render.renderer import Renderer


def add_button(r: Renderer, incident_id: int) -> tuple[str, str]:
    """The reporter's button on the receipt of a filed report and in /record."""
    return r.plain("Add to this report"), cd.encode("in", "ad", incident_id)


def reopen_button(r: Renderer, incident_id: int) -> tuple[str, str]:
    return r.plain("Reopen"), cd.encode("in", "ro", incident_id)
