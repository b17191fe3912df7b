"""The spreadsheet's record sheets (incidents, events, meetings) with what each record says, and
its evidence files linked by relative paths that open from the unzipped package (R7).

Without the records' content (a ledger not built for an export) the sheets hold the figures'
columns alone, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.calendar.models import MEETING_CLAUSES, MeetingKind
from bot.i18n import N_
from bot.ledger.content import Content, FileRef
from bot.ledger.service import Ledger
from render import ledger_words as w
from render.renderer import Renderer

if TYPE_CHECKING:
    from render.ledger_export import Sheets


@dataclass(frozen=True)
class Link:
    """A cell that opens a file of the package: `target` is relative to the spreadsheet."""

    text: str
    target: str


def hours(value: timedelta | None) -> float | None:
    """A duration in hours, two decimals; None stays empty."""
    return round(value.total_seconds() / 3600, 2) if value is not None else None


def yes(r: Renderer, value: bool) -> str:
    """ "yes" or "no" in the reader's language."""
    return r.plain("yes") if value else r.plain("no")


def files_cell(r: Renderer, files: list[FileRef]) -> Link | str:
    """The record's files: linked to the first kept one, the others named beside it (the
    "Evidence files" sheet links each)."""
    kept = [f for f in files if f.packed]
    if not kept:
        return _left_out(r, files[0]) if files else ""
    names = r.items(f.path.removeprefix("evidence/") for f in kept)
    return Link(names, kept[0].path)


def _left_out(r: Renderer, f: FileRef) -> str:
    return r.plain("too large for the package") if f.too_big else r.plain("not kept")


def _found(s: Sheets, moment: datetime, precision: str) -> Any:
    local = s.local(moment)
    return local.date() if local is not None and precision == "day" else local


def incidents(s: Sheets, book: Ledger, content: Content | None) -> None:
    """The incidents and information reports sheet: one row per incident."""
    r, loc = s.r, s.local
    headers = [
        N_("Reference"),
        N_("Kind"),
        N_("Severity"),
        N_("Status"),
        N_("Reported by"),
        N_("Reported at"),
        N_("Limit to acknowledge (L4)"),
        N_("Acknowledged at"),
        N_("Hours to acknowledge"),
        N_("Needs the secretary (R2)"),
        N_("Secretary acknowledged at"),
        N_("Escalated by itself"),
        N_("Reported upward at (P3)"),
        N_("Reported upward to (P3)"),
        N_("Contained at"),
        N_("Closed at"),
        N_("Hours to close"),
        N_("Limit to acknowledge by the severity in force (L4)"),
        N_("Times reopened"),
    ]
    if content is not None:
        headers += [
            N_("What happened"),
            N_("Where"),
            N_("Discovered at"),
            N_("Actions taken"),
            N_("Closing summary"),
            N_("Evidence files"),
        ]
    rows = []
    for i in book.incidents:
        row: list[Any] = [
            i.ref,
            r.plain(w.INCIDENT_KINDS[i.kind]),
            r.plain(w.SEVERITY_NAMES[i.severity]) if i.severity else "",
            r.plain(w.INCIDENT_STATUS.get(i.status, i.status)),
            i.reporter,
            loc(i.reported_at),
            loc(i.ack_limit_at),
            loc(i.acknowledged_at),
            hours(i.acknowledged_at - i.reported_at) if i.acknowledged_at else None,
            yes(r, i.needs_secretary_ack),
            loc(i.secretary_ack_at),
            yes(r, i.escalation_level > 0),
            loc(i.reported_upward_at),
            i.reported_upward_to or "",
            loc(i.contained_at),
            loc(i.closed_at),
            hours(i.closed_at - i.reported_at) if i.closed_at else None,
            loc(i.ack_limit_in_force_at),
            i.reopen_count,
        ]
        if content is not None and (c := content.incidents.get(i.id)) is not None:
            row += [
                c.what,
                c.location,
                _found(s, c.discovered_at, c.discovered_precision),
                c.actions_taken,
                c.closing_summary or "",
                files_cell(r, c.files),
            ]
        rows.append(row)
    s.sheet(N_("Incidents"), headers, rows)


def _speakers(r: Renderer, speakers: list[dict[str, str]]) -> str:
    return r.items(
        (
            r.aside(p.get("name", ""), p["affiliation"])
            if p.get("affiliation")
            else p.get("name", "")
        )
        for p in speakers
    )


def events(s: Sheets, book: Ledger, content: Content | None) -> None:
    """The event requests sheet: one row per event request (R6)."""
    r, loc = s.r, s.local
    headers = [
        N_("Reference"),
        N_("Type"),
        N_("Title"),
        N_("Organiser (responsible)"),
        N_("Requested by"),
        N_("Requested at"),
        N_("Date and time"),
        N_("Notice (days)"),
        N_("Short notice"),
        N_("Status"),
        N_("Decided at"),
        N_("Filed at"),
        N_("Filing reference"),
        N_("Outcome"),
    ]
    if content is not None:
        headers += [
            N_("Venue"),
            N_("Speakers"),
            N_("Topic outline"),
            N_("Decided by"),
            N_("Decision and reason"),
            N_("Filing date"),
            N_("Evidence files"),
        ]
    rows = []
    for e in book.events:
        row: list[Any] = [
            e.ref,
            r.plain(w.EVENT_TYPES[e.event_type]),
            e.title,
            e.organiser,
            e.requester,
            loc(e.requested_at),
            loc(e.starts_at),
            round((e.starts_at - e.requested_at).total_seconds() / 86400, 1),
            yes(r, e.short_lead),
            r.plain(w.EVENT_STATUS.get(e.status, e.status)),
            loc(e.decided_at),
            loc(e.filed_at),
            e.filing_ref or "",
            r.plain(w.OUTCOMES[e.outcome]) if e.outcome in w.OUTCOMES else "",
        ]
        if content is not None and (c := content.events.get(e.id)) is not None:
            decision = r.plain(w.EVENT_STATUS.get(e.status, e.status)) if e.decided_at else ""
            if decision and c.decision_note:
                decision = r.label(decision, c.decision_note)
            row += [
                c.venue,
                _speakers(r, c.speakers),
                c.outline,
                c.decided_by or "",
                decision,
                c.filing_date or "",
                files_cell(r, c.files),
            ]
        rows.append(row)
    s.sheet(N_("Events"), headers, rows)


def area_lines(r: Renderer, content: Content, conclusions: dict[str, dict[str, str]]) -> str:
    """A2: each area with its conclusion, or the reason it was not discussed, one a line."""
    names = {key: zh if r.locale.startswith("zh") else en for key, zh, en in content.areas}
    lines = []
    for key, answer in conclusions.items():
        name = names.get(key, key)
        if "conclusion" in answer:
            lines.append(r.label(name, answer["conclusion"]))
        else:
            reason = r.plain("Not discussed: {reason}", reason=answer.get("not_discussed", ""))
            lines.append(r.label(name, reason))
    return "\n".join(lines)


def meetings(s: Sheets, book: Ledger, content: Content | None) -> None:
    """The meetings sheet: one row per recorded meeting."""
    r = s.r
    headers = [
        N_("Reference"),
        N_("Held on"),
        N_("Meeting"),
        N_("Clause"),
        N_("Subject"),
        N_("Attendees"),
        N_("Recorded by"),
    ]
    if content is not None:
        headers += [
            N_("Areas and conclusions (A2)"),
            N_("Attendees by name"),
            N_("Minutes"),
            N_("Evidence files"),
        ]
    rows = []
    for m in book.meetings:
        row: list[Any] = [
            m.ref,
            m.held_on,
            w.meeting_kind(r, m.kind),
            MEETING_CLAUSES[MeetingKind(m.kind)],
            m.title,
            m.attendees,
            m.recorded_by,
        ]
        if content is not None:  # R4: the content only for a reader who may see it
            c = content.meetings.get(m.id)
            if c is None:
                row += ["", "", "", ""]
            else:
                row += [
                    area_lines(r, content, c.conclusions),
                    r.items(c.attendees),
                    c.notes,
                    files_cell(r, c.files),
                ]
        rows.append(row)
    s.sheet(N_("Meetings"), headers, rows)


def evidence_files(s: Sheets, content: Content) -> None:
    """One row per file: the record, the file in the package (linked), its SHA-256."""
    r = s.r
    rows: list[list[Any]] = []
    for f in content.files():
        where: Link | str = Link(f.path, f.path) if f.packed else _left_out(r, f)
        rows.append([f.ref, where, f.name, f.size, f.sha256 or ""])
    s.sheet(
        N_("Evidence files"),
        (
            N_("Reference"),
            N_("File in the package"),
            N_("Name as sent"),
            N_("Bytes"),
            N_("SHA-256"),
        ),
        rows,
    )
