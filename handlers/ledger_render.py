"""/ledger in the chat: the summary of a period, its lapses and the evidence per clause (HTML)."""

from __future__ import annotations

from bot.calendar.models import MeetingKind
from bot.ledger.evidence import Evidence
from bot.ledger.period import LedgerPeriod
from bot.ledger.service import Ledger
from render import ledger_words as w
from render.renderer import Renderer, esc

PAGE = 10  # lapses or evidence lines per message: well inside 4,096 characters


def _met(r: Renderer, kind: MeetingKind, met: int, due: int) -> str:
    """How many of the periods (or sensitive dates) due were met, counted in words."""
    m = r.t.number(met)
    if kind == MeetingKind.QUARTERLY_REVIEW:
        return r.plural(
            "Quarterly reviews (A2): {met} of {n} quarter",
            "Quarterly reviews (A2): {met} of {n} quarters",
            due,
            met=m,
        )
    if kind == MeetingKind.STUDY:
        return r.plural(
            "Study sessions (R3): {met} of {n} period",
            "Study sessions (R3): {met} of {n} periods",
            due,
            met=m,
        )
    return r.plural(
        "Forward-looking analyses (A3): {met} of {n} sensitive date",
        "Forward-looking analyses (A3): {met} of {n} sensitive dates",
        due,
        met=m,
    )


def head(r: Renderer, period: LedgerPeriod, level: str) -> list[str]:
    """The title every ledger page starts with: the period, and whose records it shows."""
    return [
        r(
            "<b>Ledger: {period}</b> ({first} – {last})",
            period=w.period_name(r, period),
            first=r.t.date(period.first),
            last=r.t.date(period.last),
        ),
        r(w.SCOPES[level]),
    ]


def _incidents(r: Renderer, book: Ledger) -> list[str]:
    f = book.incident_figures
    lines = [
        "",
        r(
            "<b>Incidents</b>: {n} reported, {open} still open",
            n=r.t.number(f.total),
            open=r.t.number(f.open),
        ),
    ]
    for kind in w.INCIDENT_KINDS:
        counts = [(sev, n) for (k, sev), n in sorted(f.by_kind.items()) if k == kind]
        if not counts:
            continue
        parts = r.items(
            r.plain("{severity} {n}", severity=r.plain(w.SEVERITY_NAMES[s]), n=r.t.number(n))
            if s
            else r.t.number(n)
            for s, n in counts
        )
        lines.append("· " + esc(r.label(r.plain(w.INCIDENT_KINDS[kind]), parts)))
    if f.to_acknowledge.count:
        lines.append(
            r(
                "Time to acknowledge: median {median}, slowest {slowest}.",
                median=w.duration(r, f.to_acknowledge.median),
                slowest=w.duration(r, f.to_acknowledge.slowest),
            )
        )
    if f.to_close.count:
        lines.append(
            r(
                "Time to close: median {median}, slowest {slowest}.",
                median=w.duration(r, f.to_close.median),
                slowest=w.duration(r, f.to_close.slowest),
            )
        )
    lines.append(
        r(
            "Escalated by themselves (L2, L1): {escalated}. Reported to the higher "
            "department (P3): {upward}.",
            escalated=r.t.number(f.escalated),
            upward=r.t.number(f.upward),
        )
    )
    if f.reopened:
        lines.append(r("Reopened after closing: {n}.", n=r.t.number(f.reopened)))
    return lines


def _events(r: Renderer, book: Ledger) -> list[str]:
    f = book.event_figures
    s = f.steps
    lines = [
        "",
        r("<b>Events (R6)</b>: {n} requested", n=r.t.number(f.requested)),
        r(
            "Approved {approved}, rejected {rejected}, sent back {sent_back}, withdrawn "
            "{withdrawn}, filed {filed}, cancelled {cancelled}.",
            **{k: r.t.number(v) for k, v in s.items()},
        ),
        r(
            "Dated in the period: {dated}; held: {held}.",
            dated=r.t.number(f.dated),
            held=r.t.number(f.held),
        ),
    ]
    if f.lead_days:
        lines.append(
            r(
                "Notice: median {median} days, shortest {shortest}; {short} at short notice.",
                median=r.t.number(f.lead_days[0]),
                shortest=r.t.number(f.lead_days[1]),
                short=r.t.number(f.short_lead),
            )
        )
    return lines


def _obligations(r: Renderer, book: Ledger) -> list[str]:
    lines = ["", r("<b>Meetings held against those required</b>")]
    for o in book.obligations:
        if o.kind == MeetingKind.DEDICATED:
            state = r.plain(w.STATES[o.state])
            lines.append(
                "· "
                + r(
                    "Dedicated meetings (R2), {year}: {held} of at least {required} ({state})",
                    year=o.key,
                    held=o.held,
                    required=o.required,
                    state=state,
                )
            )
    for kind in (MeetingKind.QUARTERLY_REVIEW, MeetingKind.STUDY, MeetingKind.FORWARD_ANALYSIS):
        items = [o for o in book.obligations if o.kind == kind]
        due = [o for o in items if o.state in ("met", "short")]
        met = sum(1 for o in due if o.state == "met")
        line = "· " + _met(r, kind, met, len(due))
        running = [o for o in items if o.state == "open"]
        if running:
            line += r(
                " (under way: {what})",
                what=r.items(
                    (
                        f"{w.obligation_subject(r, o.key, o.names)} {o.held}/{o.required}"
                        for o in running
                        if not o.missing
                    ),
                    series=True,
                ),
            )
        lines.append(line)
        for o in items:  # A2: held, incomplete is never counted as met
            if o.missing:
                lines.append(
                    "  "
                    + r(
                        "{subject}: held, incomplete; without a conclusion: {areas}",
                        subject=w.obligation_subject(r, o.key, o.names),
                        areas=r.items(
                            zh if r.locale.startswith("zh") else en for zh, en in o.missing
                        ),
                    )
                )
    return lines


def summary(r: Renderer, book: Ledger) -> str:
    """The ledger's summary page (R7): incidents (L4), events (R6), meetings held against those
    required (R2, R3, A2, A3), and the lapses counted by the clause each is listed under."""
    lines = (
        head(r, book.period, book.scope.level)
        + _incidents(r, book)
        + _events(r, book)
        + _obligations(r, book)
    )
    lines += ["", r("<b>Lapses proven by the records</b>: {n}", n=r.t.number(len(book.lapses)))]
    if book.lapses:
        by_clause: dict[str, int] = {}
        for lapse in book.lapses:
            by_clause[lapse.clauses[0]] = by_clause.get(lapse.clauses[0], 0) + 1
        lines.append(
            esc(
                r.items(
                    r.plain("{clause}: {n}", clause=c, n=r.t.number(n))
                    for c, n in sorted(by_clause.items())
                )
            )
        )
    return "\n".join(lines)


def pages(n: int) -> int:
    """How many pages `n` lapses or evidence lines fill, PAGE to a page; at least one."""
    return max(1, -(-n // PAGE))


def lapses(r: Renderer, book: Ledger, page: int) -> str:
    """Page `page` (from 0) of the lapses the records prove (R7), oldest limit first; or that
    every limit was kept."""
    lines = head(r, book.period, book.scope.level)
    lines += [
        "",
        r(
            "<b>Lapses</b> ({n}), oldest limit first; page {page} of {pages}",
            n=r.t.number(len(book.lapses)),
            page=page + 1,
            pages=pages(len(book.lapses)),
        ),
    ]
    shown = book.lapses[page * PAGE : (page + 1) * PAGE]
    lines += [
        f"· {esc(r.t.date(lp.due.astimezone(r.zone).date()))} {esc(w.lapse_text(r, lp))}"
        for lp in shown
    ] or [r("None: every limit the records hold was kept.")]
    return "\n".join(lines)


def _evidence_line(r: Renderer, e: Evidence) -> str:
    when = r.t.date(e.at.astimezone(r.zone).date()) if e.whole_day else r.t.datetime(e.at, r.zone)
    text = f"{when} · " + r.label(r.plain(w.SOURCES[e.source]), w.evidence_what(r, e))
    if e.source != "lapse":
        text += f" · {w.evidence_subject(r, e)}"
    if e.actor:
        text = r.aside(text, e.actor)
    return "· " + esc(text)


def clause(r: Renderer, book: Ledger, clause_id: str, page: int) -> str:
    """Page `page` (from 0) of the evidence for `clause_id` in the period (R7): the meetings,
    steps, reminders and lapses that cite it; or that none does."""
    found = book.evidence(clause_id)
    lines = head(r, book.period, book.scope.level)
    lines += [
        "",
        r.plural(
            "<b>Evidence for {clause}</b>: {n} entry; page {page} of {pages}",
            "<b>Evidence for {clause}</b>: {n} entries; page {page} of {pages}",
            len(found),
            clause=clause_id,
            page=page + 1,
            pages=pages(len(found)),
        ),
    ]
    shown = found[page * PAGE : (page + 1) * PAGE]
    lines += [_evidence_line(r, e) for e in shown] or [
        r("No record in this period cites {clause}.", clause=clause_id)
    ]
    return "\n".join(lines)
