"""The summary a meeting's record shows before it is saved (/meeting, R2, R3, A2, A3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from render.calendar import areas, kind_name, named
from render.renderer import Renderer


def summary(r: Renderer, d: dict[str, Any]) -> str:
    """A meeting's draft as the recorder checks it before it is kept: kind, date, areas and
    their conclusions (A2), what was studied (R3), subject, attendees, files, minutes."""
    lines = [
        r("<b>Please check the record.</b>"),
        r("Meeting: {kind}", kind=kind_name(r, d["kind"])),
        r("Held on: {date}", date=r.t.date(date.fromisoformat(d["held_on"]))),
    ]
    if d.get("topics_named"):
        names = d["topics_named"][r.locale[:2]]
        lines.append(r("Areas covered: {areas}", areas=r.items(names)))
    for zh, en, answer in d.get("answers_named", []):  # A2: per area
        area = zh if r.locale.startswith("zh") else en
        if "conclusion" in answer:
            lines.append(r("{area}: {text}", area=area, text=answer["conclusion"]))
        else:
            lines.append(
                r("{area}: not discussed ({reason})", area=area, reason=answer["not_discussed"])
            )
    left = sum(1 for *_, answer in d.get("answers_named", []) if "not_discussed" in answer)
    if left:
        lines.append(
            r.plural(
                "{n} area has no conclusion: the review will be recorded as held, incomplete.",
                "{n} areas have no conclusion: the review will be recorded as held, incomplete.",
                left,
            )
        )
    if d.get("studied_named"):  # R3: what was studied (R8, P4)
        lines.append(r("Studied: {materials}", materials=areas(r, d["studied_named"])))
    if d.get("sensitive_name"):
        lines.append(r("Prepares for: {name}", name=named(r, d["sensitive_name"])))
    lines += [
        r("Subject: {text}", text=d.get("subject", "")),
        r.plural("{n} attendee", "{n} attendees", len(d.get("attendees", []))),
        r.plural("{n} file", "{n} files", len(d.get("files", []))),
    ]
    if d.get("notes"):
        lines.append(r("Minutes: {text}", text=d["notes"]))
    return "\n".join(lines)
