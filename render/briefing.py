"""The words of the briefing before a quarterly review (A1, A2): one message, in parts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.i18n import N_
from bot.ledger.lapses import Lapse
from render.calendar import day, period
from render.fitting import plain_text
from render.incident import KIND_NAMES, SEVERITY_NAMES, STATUS_NAMES
from render.ledger_words import lapse_text
from render.renderer import Notice, Renderer, esc

HEADINGS = {
    "information": N_("<b>Information reports collected for the review (A1): {n}</b>"),
    "other": N_("<b>Other incidents: {n}</b>"),
    "open": N_("<b>Incidents still open: {n}</b>"),
    "lapses": N_("<b>Lapses proven by the records this quarter: {n}</b>"),
}


def _heading(r: Renderer, line: list[Any]) -> str:
    if line[1] == "area":  # A2: an area with the incidents of its kinds
        name = line[2] if r.locale.startswith("zh") else line[3]
        return r("<b>{area}: {n}</b>", area=name, n=r.t.number(line[4]))
    return r(HEADINGS[line[1]], n=r.t.number(line[2]))


def _incident(r: Renderer, line: list[Any]) -> str:
    _, ref, kind, severity, status, what = line
    parts = [r.plain(KIND_NAMES.get(kind, kind))]
    if severity in SEVERITY_NAMES:
        parts.append(r.plain(SEVERITY_NAMES[severity]))
    parts.append(r.plain(STATUS_NAMES[status]) if status in STATUS_NAMES else status)
    return "· " + r("{ref} ({about}): {what}", ref=ref, about=r.items(parts), what=what)


def _lapse(r: Renderer, line: list[Any]) -> str:
    _, code, due, subject, late, params = line
    lapse = Lapse(
        code,
        datetime.fromisoformat(due),
        subject,
        timedelta(seconds=late) if late is not None else None,
        params,
    )
    return "· " + esc(lapse_text(r, lapse))


def _quarter_briefing(r: Renderer, p: dict[str, Any]) -> str:
    out = []
    if p["part"] == 1:
        out.append(
            r(
                "<b>Briefing for the quarterly review: {period}</b> (A1, A2)\nFor the "
                "office and the leadership, before the review; it must be held and "
                "recorded by {end}.",
                period=period(r, p),
                end=day(r, p["end"]),
            )
        )
    if p["parts"] > 1:
        out.append(r("Part {part} of {parts}", part=p["part"], parts=p["parts"]))
    for line in p["lines"]:
        if line[0] == "h":
            out.append(_heading(r, line))
        elif line[0] == "inc":
            out.append(_incident(r, line))
        else:
            out.append(_lapse(r, line))
    return "\n".join(out)


def title(r: Renderer, p: dict[str, Any]) -> str:
    """The briefing's title as plain text (its document's)."""
    return r.plain("Briefing for the quarterly review: {period}", period=plain_text(period(r, p)))


def document_lines(r: Renderer, lines: list[list[Any]]) -> list[tuple[bool, str]]:
    """Every line as plain text, for the briefing's document: (a heading?, its text)."""
    out = []
    for line in lines:
        if line[0] == "h":
            out.append((True, plain_text(_heading(r, line))))
        else:
            item = _incident(r, line) if line[0] == "inc" else _lapse(r, line)
            out.append((False, plain_text(item).removeprefix("· ")))
    return out


NOTICES: dict[str, Notice] = {"calendar.quarter_briefing": _quarter_briefing}
