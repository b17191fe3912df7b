"""The words of records that grow: additions, changes of severity, reopenings (gettext)."""

from __future__ import annotations

from typing import Any

from bot.i18n import N_
from render.incident import facts, severity
from render.renderer import Notice, Renderer

# The timeline's names of these steps (handlers.incidents.TIMELINE_NAMES takes them).
TIMELINE_NAMES = {
    "addition": N_("Added by the reporter"),
    "severity_changed": N_("Severity changed"),
    "reopened": N_("Reopened"),
}
ADD_PROMPT = N_(
    "What do you want to add to {ref}? Send the new facts as text, and photos or documents "
    "if you have any; then press Done. The report as filed stays as it was."
)


def received(r: Renderer, texts: int, files: int) -> str:
    """How much of an addition has arrived so far."""
    parts = []
    if texts:
        parts.append(r.plural("{n} text received.", "{n} texts received.", texts))
    if files:
        parts.append(r.plural("{n} file received.", "{n} files received.", files))
    parts.append(r("Send more, or press Done."))
    return "\n".join(parts)


def _addition(r: Renderer, p: dict[str, Any]) -> str:
    lines = [r("{name} added to the report {ref}:", name=p["by"], ref=p["ref"])]
    if p.get("text"):
        lines.append(r("“{text}”", text=p["text"]))
    if p.get("files"):
        lines.append(
            r.plural(
                "{n} file came with it; press Attachments to have it sent.",
                "{n} files came with it; press Attachments to have them sent.",
                int(p["files"]),
            )
        )
    return "\n".join(lines)


def _severity_changed(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "{name} changed the severity of {ref} from {old} to {new}. Reason: {reason}",
        name=p["by"],
        ref=p["ref"],
        old=severity(r, p["from"]),
        new=severity(r, p["to"]),
        reason=p["reason"],
    )


def _reopened(r: Renderer, p: dict[str, Any]) -> str:
    head = r(
        "{name} reopened {ref}. Reason: {reason}",
        name=p["reopened_by"],
        ref=p["ref"],
        reason=p["reason"],
    )
    ask = r("It needs acknowledging again.")
    return head + "\n" + ask + "\n\n" + facts(r, p)


NOTICES: dict[str, Notice] = {
    "incident.addition": _addition,
    "incident.severity_changed": _severity_changed,
    "incident.reopened": _reopened,
    "incident.reopened_reporter": lambda r, p: r(
        "Your report {ref} has been reopened. Reason: {reason}", ref=p["ref"], reason=p["reason"]
    ),
}
