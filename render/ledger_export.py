"""The ledger as a spreadsheet for the inspection package (R7): one sheet per area with each
record's content (render/ledger_rows.py), the lapses, the evidence per clause and the evidence
files; headers in the reader's language, times in the organisation's zone.

Pure and synchronous: it runs in a worker thread (handlers/ledger_package.py), so tens of
thousands of rows never hold up other people's updates. openpyxl's write-only mode streams them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bot.i18n import N_
from bot.ledger.evidence import CLAUSE_IDS
from bot.ledger.service import Ledger
from render import ledger_rows as rows
from render import ledger_words as w
from render.ledger_rows import Link, hours
from render.renderer import Renderer

Progress = Callable[[float], None]
MAX_WIDTH = 60
STAMP = "yyyy-mm-dd hh:mm"
DAY = "yyyy-mm-dd"
LINK = Font(color="0563C1", underline="single")


def _width(value: object) -> int:
    """Display width: a Chinese character takes two columns (of a cell's longest line)."""
    if isinstance(value, Link):
        value = value.text
    if isinstance(value, str) and "\n" in value:
        return max(_width(line) for line in value.split("\n"))
    text = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Sheets:
    def __init__(self, r: Renderer) -> None:
        self.r = r
        self.book = Workbook(write_only=True)

    def local(self, moment: datetime | None) -> datetime | None:
        """Excel has no time zones: the organisation's wall-clock time, as written on paper."""
        return moment.astimezone(self.r.zone).replace(tzinfo=None) if moment else None

    def sheet(self, title: str, headers: Sequence[str], rows: list[list[Any]]) -> None:
        # Any: the stubs miss the write-only sheet's column_dimensions, freeze_panes, auto_filter.
        ws: Any = self.book.create_sheet(self.r.plain(title)[:31])
        names = [self.r.plain(h) for h in headers]
        widths = [_width(n) for n in names]
        for row in rows[:2000]:  # enough to size the columns; the rest streams through
            for i, value in enumerate(row):
                widths[i] = max(widths[i], _width(value) if value is not None else 0)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(width + 2, MAX_WIDTH)
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(rows) + 1}"
        bold = Font(bold=True)
        header = []
        for name in names:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            ws.append([self._cell(ws, v, wrap) for v in row])

    def _cell(self, ws: Any, value: Any, wrap: Alignment) -> Any:
        if isinstance(value, datetime):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = STAMP
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(ws, value=value)  # type: ignore[arg-type]  # dates are fine
            cell.number_format = DAY
            return cell
        if isinstance(value, Link):  # R7: opens the evidence file beside the spreadsheet
            cell = WriteOnlyCell(ws, value=value.text)
            cell.hyperlink = value.target
            cell.font = LINK
            return cell
        if isinstance(value, str) and (len(value) > MAX_WIDTH or "\n" in value):
            cell = WriteOnlyCell(ws, value=value)
            cell.alignment = wrap
            return cell
        return value

    def save(self) -> bytes:
        out = BytesIO()
        self.book.save(out)
        return out.getvalue()


def _summary(s: Sheets, book: Ledger) -> list[list[Any]]:
    r, inc, ev = s.r, book.incident_figures, book.event_figures
    rows: list[list[Any]] = [
        [r.plain("Period"), w.period_name(r, book.period)],
        [r.plain("From"), book.period.first],
        [r.plain("To"), book.period.last],
        [r.plain("Records shown"), r.plain(w.SCOPES[book.scope.level])],
        [r.plain("As of"), s.local(book.now)],
        [r.plain("Incidents reported"), inc.total],
        [r.plain("Still open"), inc.open],
    ]
    for (kind, severity), n in sorted(book.incident_figures.by_kind.items()):
        name = r.plain(w.INCIDENT_KINDS[kind])
        if severity:
            name = r.aside(name, r.plain(w.SEVERITY_NAMES[severity]))
        rows.append([name, n])
    rows += [
        [r.plain("Median time to acknowledge (hours)"), hours(inc.to_acknowledge.median)],
        [r.plain("Slowest acknowledgement (hours)"), hours(inc.to_acknowledge.slowest)],
        [r.plain("Median time to close (hours)"), hours(inc.to_close.median)],
        [r.plain("Slowest closing (hours)"), hours(inc.to_close.slowest)],
        [r.plain("Escalated by themselves"), inc.escalated],
        [r.plain("Reported to the higher department"), inc.upward],
        [r.plain("Reopenings"), inc.reopened],
        [r.plain("Events requested"), ev.requested],
    ]
    rows += [[r.plain(EVENT_STEP_NAMES[name]), n] for name, n in ev.steps.items()]
    rows += [
        [r.plain("Events dated in the period"), ev.dated],
        [r.plain("Events held"), ev.held],
        [r.plain("Requested at short notice"), ev.short_lead],
        [r.plain("Median notice (days)"), ev.lead_days[0] if ev.lead_days else None],
        [r.plain("Shortest notice (days)"), ev.lead_days[1] if ev.lead_days else None],
        [r.plain("Lapses"), len(book.lapses)],
    ]
    return rows


EVENT_STEP_NAMES = {
    "approved": N_("Events approved"),
    "rejected": N_("Events rejected"),
    "sent_back": N_("Events sent back for changes"),
    "withdrawn": N_("Events withdrawn"),
    "filed": N_("Events filed with the publicity department"),
    "cancelled": N_("Events cancelled"),
}


def workbook(book: Ledger, r: Renderer, progress: Progress = lambda _f: None) -> bytes:
    """The ledger as an .xlsx workbook: the summary, a sheet per kind of record, the
    obligations, the lapses, the evidence by clause and the evidence files; `progress` is told
    the share done."""
    s = Sheets(r)
    loc = s.local
    s.sheet(N_("Summary"), (N_("Figure"), N_("Value")), _summary(s, book))
    progress(0.1)
    content = book.content
    rows.incidents(s, book, content)
    progress(0.35)
    rows.events(s, book, content)
    progress(0.55)
    rows.meetings(s, book, content)
    s.sheet(
        N_("Obligations"),
        (
            N_("Clause"),
            N_("Obligation"),
            N_("From"),
            N_("To"),
            N_("Held"),
            N_("Required"),
            N_("State"),
        ),
        [
            [
                o.clause,
                w.obligation_name(r, o),
                o.start,
                o.end,
                o.held,
                o.required,
                r.plain(w.STATES[o.state]),
            ]
            for o in book.obligations
        ],
    )
    s.sheet(
        N_("Lapses"),
        (N_("Limit"), N_("Clauses"), N_("Lapse"), N_("Late by (hours)")),
        [
            [loc(lp.due), r.items(lp.clauses), w.lapse_text(r, lp), hours(lp.late_by)]
            for lp in book.lapses
        ],
    )
    progress(0.7)
    evidence: list[list[Any]] = []
    for clause in CLAUSE_IDS:
        for e in book.evidence(clause):
            when = e.at.astimezone(r.zone).date() if e.whole_day else loc(e.at)
            evidence.append(
                [
                    clause,
                    when,
                    r.plain(w.SOURCES[e.source]),
                    w.evidence_what(r, e),
                    w.evidence_subject(r, e),
                    e.actor or "",
                ]
            )
    s.sheet(
        N_("Evidence by clause"),
        (N_("Clause"), N_("When"), N_("Source"), N_("What"), N_("Subject"), N_("By")),
        evidence,
    )
    if content is not None:
        rows.evidence_files(s, content)
    progress(0.9)
    data = s.save()
    progress(1.0)
    return data
