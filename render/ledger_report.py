"""The yearly implementation report (意识形态工作责任制落实情况报告), drafted from the records (R7).

Per rule set of the regulation (R, L, A, P, C) the facts and figures the ledger holds for the
period — the meetings with their dates and subjects, the events approved and filed, the
incidents by kind with their times to acknowledge and their reports upward, the lapses and what
followed each — and, between them, the places the office writes itself, marked in brackets: the
bot states what its records prove and never judges (C).
"""

from __future__ import annotations

from typing import Any

from bot.calendar.models import MeetingKind
from bot.i18n import N_
from bot.ledger.content import Content
from bot.ledger.figures import durations
from bot.ledger.records import MeetingRow
from bot.ledger.service import Ledger
from render import ledger_words as w
from render.docx_layout import Paper, layout_for
from render.ledger_rows import area_lines
from render.renderer import Renderer

# The five rule sets, in the regulation's order, each with the heading the report gives it.
RULE_SETS = (
    ("R", N_("1. Implementing the responsibility (R1–R8)")),
    ("L", N_("2. Linked handling of incidents (L1–L5)")),
    ("A", N_("3. Regular analysis and review (A1–A4)")),
    ("P", N_("4. Platform management (P1–P4)")),
    ("C", N_("5. Accountability (C1–C12)")),
)
CLOSING = N_("6. Problems and next steps")
WRITE = {
    "intro": N_("[For the office to write: the year's work in outline and its main results.]"),
    "R": N_("[For the office to write: how the responsibility was carried out, and its effect.]"),
    "L": N_("[For the office to write: how incidents were handled and what was learnt.]"),
    "A": N_(
        "[For the office to write: the main findings of the analyses and how they were "
        "followed up.]"
    ),
    "P": N_("[For the office to write: how the platforms and channels were managed.]"),
    "C": N_(
        "[For the office to write: accountability cases under C1–C12 from the register, "
        "if any, and the measures taken.]"
    ),
    "closing": N_("[For the office to write: the problems found and next year's measures.]"),
    "signature": N_("[Name of the party group]"),
}


def plural(singular: str, plural_: str, n: int, r: Renderer, **values: Any) -> str:
    """A counted sentence in plain text (the document is not HTML)."""
    return r.t.ngettext(singular, plural_, n).format(n=r.t.number(n), **values)


def _dated(r: Renderer, meetings: list[MeetingRow]) -> list[str]:
    return [r.label(r.t.date(m.held_on), m.title or w.meeting_kind(r, m.kind)) for m in meetings]


def _of(book: Ledger, kind: MeetingKind) -> list[MeetingRow]:
    return [m for m in book.meetings if m.kind == kind]


def _held(book: Ledger, clause: str) -> tuple[int, int]:
    owed = [o for o in book.obligations if o.clause == clause]
    return sum(min(o.held, o.required) for o in owed), sum(o.required for o in owed)


def _figures(paper: Paper, r: Renderer, rows: list[tuple[str, object]]) -> None:
    paper.para(r.plain("The records show:"))
    paper.table(
        [r.plain("Figure"), r.plain("Value")],
        [[r.plain(label), str(value)] for label, value in rows],
    )


def _items(paper: Paper, r: Renderer, heading: str, lines: list[str]) -> None:
    paper.heading(r.plain(heading), 2)
    for line in lines or [r.plain("None in this period.")]:
        paper.para(line)


def _responsibility(paper: Paper, r: Renderer, book: Ledger) -> None:
    ev = book.event_figures
    held, required = _held(book, "R2")
    _figures(
        paper,
        r,
        [
            (N_("Dedicated meetings held (R2)"), held),
            (N_("Dedicated meetings required (R2)"), required),
            (N_("Study sessions held (R3)"), len(_of(book, MeetingKind.STUDY))),
            (N_("Events requested"), ev.requested),
            (N_("Events approved"), ev.steps["approved"]),
            (N_("Events rejected"), ev.steps["rejected"]),
            (N_("Events filed with the publicity department"), ev.steps["filed"]),
            (N_("Events held"), ev.held),
        ],
    )
    _items(paper, r, N_("Dedicated meetings (R2)"), _dated(r, _of(book, MeetingKind.DEDICATED)))
    _items(paper, r, N_("Study sessions (R3)"), _dated(r, _of(book, MeetingKind.STUDY)))
    events = []
    for e in book.events:
        if e.decided_at is None:
            continue
        status = r.plain(w.EVENT_STATUS.get(e.status, e.status))
        if e.filing_ref:
            status = r.plain("{status}; filing reference {ref}", status=status, ref=e.filing_ref)
        events.append(r.label(r.plain("{ref} {title}", ref=e.ref, title=e.title), status))
    _items(paper, r, N_("Events decided (R6)"), events)


def _linked(paper: Paper, r: Renderer, book: Ledger) -> None:
    inc = book.incident_figures
    _figures(
        paper,
        r,
        [
            (N_("Incidents reported"), inc.total),
            (N_("Median time to acknowledge"), w.duration(r, inc.to_acknowledge.median)),
            (N_("Slowest acknowledgement"), w.duration(r, inc.to_acknowledge.slowest)),
            (N_("Escalated by themselves"), inc.escalated),
            (N_("Reported to the higher department"), inc.upward),
            (N_("Still open"), inc.open),
        ],
    )
    # By kind and severity, as the ledger counts them: a year of thousands of reports stays a
    # table of a few rows (each report is in the 台账).
    rows = []
    for (kind, severity), n in sorted(inc.by_kind.items()):
        name = r.plain(w.INCIDENT_KINDS[kind])
        if severity:
            name = r.aside(name, r.plain(w.SEVERITY_NAMES[severity]))
        these = [i for i in book.incidents if (i.kind, i.severity or "") == (kind, severity)]
        ack = durations([i.acknowledged_at - i.reported_at for i in these if i.acknowledged_at])
        upward = sum(1 for i in these if i.reported_upward_at)
        rows.append(
            [
                name,
                r.t.number(n),
                w.duration(r, ack.median),
                w.duration(r, ack.slowest),
                r.t.number(upward),
            ]
        )
    paper.heading(r.plain("By kind and severity"), 2)
    paper.table(
        [
            r.plain(h)
            for h in (
                N_("Kind"),
                N_("Reported"),
                N_("Median time to acknowledge"),
                N_("Slowest acknowledgement"),
                N_("Reported upward (P3)"),
            )
        ],
        rows,
    )


def _analysis(paper: Paper, r: Renderer, book: Ledger, content: Content | None) -> None:
    held, required = _held(book, "A2")
    reviews = _of(book, MeetingKind.QUARTERLY_REVIEW)
    _figures(
        paper,
        r,
        [
            (N_("Quarterly reviews held (A2)"), held),
            (N_("Quarterly reviews required (A2)"), required),
            (N_("Forward-looking analyses (A3)"), len(_of(book, MeetingKind.FORWARD_ANALYSIS))),
            (
                N_("Information reports (A1, P1)"),
                sum(1 for i in book.incidents if i.kind == "information"),
            ),
        ],
    )
    paper.heading(r.plain("Quarterly reviews (A2)"), 2)
    for m in reviews or []:
        paper.para(r.label(r.t.date(m.held_on), m.title))
        c = content.meetings.get(m.id) if content else None
        for line in area_lines(r, content, c.conclusions).split("\n") if content and c else []:
            if line:
                paper.para(line)
    if not reviews:
        paper.para(r.plain("None in this period."))
    incomplete = [o for o in book.obligations if o.clause == "A2" and o.missing]
    for o in incomplete:
        areas = r.items(zh if r.locale.startswith("zh") else en for zh, en in o.missing)
        paper.para(
            r.plain(
                "{quarter}: held, incomplete; without a conclusion: {areas}.",
                quarter=w.obligation_name(r, o),
                areas=areas,
            )
        )
    _items(
        paper,
        r,
        N_("Forward-looking analyses (A3)"),
        _dated(r, _of(book, MeetingKind.FORWARD_ANALYSIS)),
    )


def _platforms(paper: Paper, r: Renderer, book: Ledger) -> None:
    major = sum(1 for i in book.incidents if i.severity in ("major", "critical"))
    studied = [m for m in book.meetings if any("P4" in s.get("clauses", ()) for s in m.studied)]
    _figures(
        paper,
        r,
        [
            (
                N_("Information reports (A1, P1)"),
                sum(1 for i in book.incidents if i.kind == "information"),
            ),
            (N_("Major and critical incidents (P2)"), major),
            (N_("Reported to the higher department"), book.incident_figures.upward),
            (N_("Study sessions with model-figure materials (P4)"), len(studied)),
        ],
    )
    upward = [
        r.plain(
            "{ref}: reported to {to} on {date}.",
            ref=i.ref,
            to=i.reported_upward_to or "",
            date=r.t.date(i.reported_upward_at.astimezone(r.zone).date()),
        )
        for i in book.incidents
        if i.reported_upward_at
    ]
    _items(paper, r, N_("Reports to the higher department (P3)"), upward)


def _followed(r: Renderer, book: Ledger, subject: str) -> str:
    """What the records show after a lapse: where its incident or event stands now."""
    for i in book.incidents:
        if i.ref == subject:
            return r.plain(w.INCIDENT_STATUS.get(i.status, i.status))
    for e in book.events:
        if e.ref == subject:
            return r.plain(w.EVENT_STATUS.get(e.status, e.status))
    return r.plain("[For the office to write: what was done about it.]")


def _accountability(paper: Paper, r: Renderer, book: Ledger) -> None:
    _figures(paper, r, [(N_("Lapses"), len(book.lapses))])
    lines = [
        r.plain(
            "{lapse}. What followed: {followed}",
            lapse=w.lapse_text(r, lapse),
            followed=_followed(r, book, lapse.subject),
        )
        for lapse in book.lapses
    ]
    _items(paper, r, N_("Lapses the records prove, and what followed"), lines)


def report_docx(book: Ledger, r: Renderer) -> bytes:
    """The draft report for the ledger's period, in the reader's language."""
    paper = Paper(layout_for(r.locale))
    period = w.period_name(r, book.period)
    paper.title(
        r.plain(
            "Report on implementing the ideological work responsibility system in {period}",
            period=period,
        )
    )
    paper.placeholder(r.plain(WRITE["intro"]))
    sections = {
        "R": lambda: _responsibility(paper, r, book),
        "L": lambda: _linked(paper, r, book),
        "A": lambda: _analysis(paper, r, book, book.content),
        "P": lambda: _platforms(paper, r, book),
        "C": lambda: _accountability(paper, r, book),
    }
    for key, heading in RULE_SETS:
        paper.heading(r.plain(heading), 1)
        sections[key]()
        paper.placeholder(r.plain(WRITE[key]))
    paper.heading(r.plain(CLOSING), 1)
    paper.placeholder(r.plain(WRITE["closing"]))
    today = book.now.astimezone(r.zone).date()
    paper.signature([r.plain(WRITE["signature"]), r.t.date(today)])
    return paper.save()
