"""An incident's timeline as its reader sees it: one line per step, with its text below (the
Timeline button of the card, and /record)."""

from __future__ import annotations

from bot.i18n import N_
from bot.incidents import queries as incidents
from render.fitting import free
from render.growth import TIMELINE_NAMES as GROWTH_NAMES
from render.incident import STATUS_NAMES, attachment_lines, kind, moment, severity
from render.renderer import Renderer, esc

TIMELINE_NAMES = {
    "filed": N_("Filed"),
    "routed": N_("Sent to the handlers"),
    "acknowledged": N_("Acknowledged"),
    "secretary_acknowledged": N_("Acknowledged by the secretary"),
    "update": N_("Update"),
    "reported_upward": N_("Reported to the higher department"),
    "pulled_in": N_("Pulled in"),
    "handed_over": N_("Handed over"),
    "escalated": N_("Escalated"),
    "reminded": N_("Reminded"),
    "update_reminded": N_("Update reminder"),
    "update_escalated": N_("No update: leadership told"),
    "secretary_reminded": N_("Secretary reminded"),
    "contained": N_("Contained"),
    "closed": N_("Closed"),
    **GROWTH_NAMES,
}

# L4: the step that acknowledged an incident nobody had acknowledged yet.
ACKNOWLEDGED_BY = {
    "update": N_("with a progress update"),
    "contained": N_("on marking it contained"),
    "closed": N_("on closing it"),
}


def timeline_text(r: Renderer, view: incidents.TimelineView) -> str:
    """The Timeline button's message: the incident, its status, its steps and files."""
    head = f"<b>{esc(view.ref)}</b> · {esc(kind(r, view.kind))}"
    if view.severity:
        head += f" · {esc(severity(r, view.severity))}"
    lines = [head, r("Status: {status}", status=r.plain(STATUS_NAMES[view.status]))]
    lines += timeline_lines(r, view.entries)
    if view.attachments:
        lines.append(r("Attachments:"))
        lines.extend(attachment_lines(r, view.attachments))
    return "\n".join(lines)


def timeline_lines(r: Renderer, entries: list[incidents.Entry]) -> list[str]:
    """One line per step (with its text below): the timeline of a card and of /record."""
    lines = []
    for at, step, who, text, data in entries:
        line = f"{esc(moment(r, at.isoformat()))} · {esc(r.plain(TIMELINE_NAMES.get(step, step)))}"
        if who:
            line += f" · {esc(who)}"
        if step == "acknowledged" and data.get("by") in ACKNOWLEDGED_BY:
            line += " · " + esc(r.plain(ACKNOWLEDGED_BY[data["by"]]))
        if step == "severity_changed" and data.get("to"):  # the severity before and after
            line += " · " + esc(f"{severity(r, data.get('from'))} → {severity(r, data['to'])}")
        if step == "addition" and data.get("files"):
            line += " · " + esc(r.plural("{n} file", "{n} files", int(data["files"])))
        if step == "reported_upward" and data.get("to"):  # P3: to whom, then what
            line += "\n    " + r("Reported to: {to}", to=data["to"])
        if text:
            line += f"\n    {free(esc(text))}"
        lines.append(line)
    return lines
