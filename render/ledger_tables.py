"""The 台账 for printing: the period's records as tables, one per area (R7).

The same rows as the package's spreadsheet (render/ledger_rows.py), in the official-document
layout (render/docx_layout.py): incidents and information reports, event requests, each kind of
meeting, the lapses.
"""

from __future__ import annotations

from datetime import date

from bot.calendar.models import MeetingKind
from bot.i18n import N_
from bot.ledger.content import Content, FileRef
from bot.ledger.service import Ledger
from render import ledger_words as w
from render.docx_layout import Paper, layout_for
from render.ledger_rows import area_lines
from render.renderer import Renderer

AREAS = (
    ("incidents", N_("1. Incidents and information reports (L4, P1–P3)")),
    ("events", N_("2. Report meetings, seminars, lectures and forums (R6)")),
    (MeetingKind.DEDICATED, N_("3. Dedicated meetings (R2)")),
    (MeetingKind.STUDY, N_("4. Study sessions (R3, R8, P4)")),
    (MeetingKind.QUARTERLY_REVIEW, N_("5. Quarterly reviews (A1, A2)")),
    (MeetingKind.FORWARD_ANALYSIS, N_("6. Forward-looking analyses (A3)")),
    (MeetingKind.OTHER, N_("7. Other meetings (R7)")),
    ("lapses", N_("8. Lapses the records prove (C)")),
)


def _lines(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _day(r: Renderer, iso: str | None) -> str:
    """A date as the document writes it (2026年3月5日), from the ISO date a record keeps."""
    try:
        return r.t.date(date.fromisoformat(iso or ""))
    except ValueError:
        return iso or ""


def _files(r: Renderer, files: list[FileRef]) -> str:
    """The record's files as the package names them (its evidence folder)."""
    return r.items(f.path.removeprefix("evidence/") for f in files if f.packed)


def _incidents(r: Renderer, book: Ledger, content: Content | None) -> list[list[str]]:
    rows = []
    for i in book.incidents:
        c = content.incidents.get(i.id) if content else None
        kind = r.plain(w.INCIDENT_KINDS[i.kind])
        if i.severity:
            kind = r.aside(kind, r.plain(w.SEVERITY_NAMES[i.severity]))
        handled = [
            r.label(r.plain("Acknowledged at"), r.t.datetime(i.acknowledged_at, r.zone))
            if i.acknowledged_at
            else r.plain("not acknowledged"),
            r.label(r.plain("Reported upward to (P3)"), i.reported_upward_to or "")
            if i.reported_upward_at
            else "",
            r.label(r.plain("Closing summary"), c.closing_summary)
            if c and c.closing_summary
            else "",
            r.label(r.plain("Evidence files"), _files(r, c.files))
            if c and _files(r, c.files)
            else "",
        ]
        rows.append(
            [
                _lines(i.ref, kind),
                _lines(r.t.datetime(i.reported_at, r.zone), i.reporter),
                _lines(c.what, r.label(r.plain("Where"), c.location)) if c else "",
                c.actions_taken if c else "",
                _lines(*handled),
                r.plain(w.INCIDENT_STATUS.get(i.status, i.status)),
            ]
        )
    return rows


def _events(r: Renderer, book: Ledger, content: Content | None) -> list[list[str]]:
    rows = []
    for e in book.events:
        c = content.events.get(e.id) if content else None
        speakers = r.items(s.get("name", "") for s in c.speakers) if c else ""
        decision = r.plain(w.EVENT_STATUS.get(e.status, e.status))
        if c and c.decision_note:
            decision = r.label(decision, c.decision_note)
        filing = r.label(_day(r, c.filing_date), e.filing_ref) if c and e.filing_ref else ""
        outcome = r.plain(w.OUTCOMES[e.outcome]) if e.outcome in w.OUTCOMES else ""
        rows.append(
            [
                _lines(e.ref, r.plain(w.EVENT_TYPES[e.event_type])),
                _lines(e.title, c.outline if c else ""),
                _lines(e.organiser, speakers),
                _lines(r.t.datetime(e.starts_at, r.zone), c.venue if c else ""),
                _lines(decision, filing),
                outcome,
            ]
        )
    return rows


def _meetings(r: Renderer, book: Ledger, content: Content | None, kind: str) -> list[list[str]]:
    rows = []
    for m in book.meetings:
        if m.kind != kind:
            continue
        c = content.meetings.get(m.id) if content else None
        said = c.notes if c else ""
        if c and c.conclusions and content:
            said = _lines(area_lines(r, content, c.conclusions), said)
        materials = r.items(
            str(s.get("name" if r.locale.startswith("zh") else "name_en", "")) for s in m.studied
        )
        attendees = r.items(c.attendees) if c and c.attendees else str(m.attendees)
        rows.append(
            [
                r.t.date(m.held_on),
                _lines(m.title, materials),
                attendees,
                said,
                _files(r, c.files) if c else "",
            ]
        )
    return rows


HEADERS = {
    "incidents": (
        N_("Reference"),
        N_("Reported"),
        N_("What happened"),
        N_("Actions taken"),
        N_("Handling"),
        N_("Status"),
    ),
    "events": (
        N_("Reference"),
        N_("Title and outline"),
        N_("Organiser and speakers"),
        N_("Date and venue"),
        N_("Decision and filing"),
        N_("Outcome"),
    ),
    "meetings": (
        N_("Held on"),
        N_("Subject"),
        N_("Attendance"),
        N_("Conclusions and minutes"),
        N_("Minutes and other files"),
    ),
    "lapses": (N_("Limit"), N_("Clauses"), N_("Lapse")),
}


def tables_docx(book: Ledger, r: Renderer) -> bytes:
    """The period's 台账 in the reader's language."""
    paper = Paper(layout_for(r.locale))
    paper.title(
        r.plain("Ledger of ideological work: {period}", period=w.period_name(r, book.period))
    )
    paper.para(r.label(r.plain("Records shown"), r.plain(w.SCOPES[book.scope.level])))
    content = book.content
    for area, heading in AREAS:
        paper.heading(r.plain(heading), 1)
        if area == "incidents":
            headers, rows = HEADERS["incidents"], _incidents(r, book, content)
        elif area == "events":
            headers, rows = HEADERS["events"], _events(r, book, content)
        elif area == "lapses":
            headers = HEADERS["lapses"]
            rows = [
                [r.t.datetime(lp.due, r.zone), r.items(lp.clauses), w.lapse_text(r, lp)]
                for lp in book.lapses
            ]
        else:
            headers, rows = HEADERS["meetings"], _meetings(r, book, content, area)
        if rows:
            paper.table([r.plain(h) for h in headers], rows, small=True)
        else:
            paper.para(r.plain("None in this period."))
    return paper.save()
