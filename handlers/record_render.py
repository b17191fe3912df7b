"""The words of /record: the whole record of an incident or an event request, in sections,
split into as many messages as it needs (render.fitting.split), never cut."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.i18n import N_
from bot.people.roles import Role
from bot.records.events import EventRecord
from bot.records.incidents import IncidentRecord
from bot.records.meetings import MeetingRecord
from handlers.incident_timeline import timeline_lines
from render.calendar import kind_name
from render.event import speakers_text, status_name, type_name, when
from render.fitting import free, split
from render.incident import STATUS_NAMES, attachment_lines, facts, moment, severity
from render.ledger_words import ACTIONS, OUTCOMES
from render.renderer import Renderer, esc

HOW_CAME = {
    "routed": N_("{name}: sent to them by the policy on {when}"),
    "escalated": N_("{name}: escalated to them on {when}"),
    "handed_over": N_("{name}: handed over to them on {when}"),
}
PULLED_IN_BY = N_("{name}: pulled in by {by} on {when}")
ENDED = {
    "role_revoked": N_("no longer acts on it since {when}: the role was revoked"),
    "deactivated": N_("no longer acts on it since {when}: the account was deactivated"),
}


def _at(r: Renderer, value: datetime | None) -> str:
    return moment(r, value.isoformat()) if value is not None else "—"


def _day(r: Renderer, iso: str) -> str:
    try:
        return r.t.date(date.fromisoformat(iso))
    except ValueError:
        return iso


def _section(r: Renderer, msgid: str, lines: list[str]) -> str:
    return "\n".join(["", f"<b>{esc(r.plain(msgid))}</b>", *lines])


def _handler_line(r: Renderer, h: Any) -> str:
    name = r.aside(h.name, r.role(Role(h.role))) if h.role in set(Role) else h.name
    if h.reason == "pulled_in":
        line = r(PULLED_IN_BY, name=name, by=h.added_by or "—", when=_at(r, h.added_at))
    else:
        line = r(HOW_CAME.get(h.reason, HOW_CAME["routed"]), name=name, when=_at(r, h.added_at))
    if h.ended_at is not None:
        ended = ENDED.get(h.ended_reason or "", ENDED["role_revoked"])
        line += "\n    " + r(ended, when=_at(r, h.ended_at))
    return line


def _addition(r: Renderer, at: datetime, text: str | None, data: dict[str, Any]) -> str:
    line = esc(_at(r, at))
    if data.get("files"):
        line += " · " + esc(r.plural("{n} file", "{n} files", int(data["files"])))
    return line + (f"\n    {free(esc(text))}" if text else "")


def _upward(r: Renderer, rec: IncidentRecord) -> list[str]:
    """The first report to the higher department, then each report with what it said (P3)."""
    assert rec.reported_upward_at is not None
    upward = [
        r(
            "First reported on {when} to {to}.",
            when=_at(r, rec.reported_upward_at),
            to=rec.reported_upward_to or "—",
        )
    ]
    for at, step, _who, text, data in rec.timeline:
        if step == "reported_upward":
            upward.append(
                r(
                    "{when}, to {to}: {text}",
                    when=_at(r, at),
                    to=data.get("to") or "—",
                    text=text or "—",
                )
            )
    return upward


def _closing(r: Renderer, rec: IncidentRecord) -> list[str]:
    assert rec.closed_at is not None
    closing = [
        r("Closed by {name} on {when}.", name=rec.closed_by or "—", when=_at(r, rec.closed_at))
    ]
    if rec.closing_summary:
        closing.append(r("Summary: {text}", text=rec.closing_summary))
    return closing


def incident_messages(r: Renderer, rec: IncidentRecord) -> list[str]:
    """The facts as filed, the handlers and how each came, the timeline, the report upward,
    the closing summary and the attachments."""
    p = {
        "ref": rec.ref,
        "kind": rec.kind,
        "severity": rec.severity,
        "reporter": rec.reporter,
        "what": rec.what,
        "discovered_at": rec.discovered_at.isoformat(),
        "discovered_precision": rec.discovered_precision,
        "location": rec.location,
        "actions_taken": rec.actions_taken,
    }
    head = [
        facts(r, p),
        r("Filed on: {when}", when=_at(r, rec.reported_at)),
        r("Status: {status}", status=r.plain(STATUS_NAMES.get(rec.status, rec.status))),
    ]
    if rec.filed_severity and rec.filed_severity != rec.severity:  # what was filed stays
        head.append(r("Severity as filed: {severity}", severity=severity(r, rec.filed_severity)))
    if rec.reopen_count:
        head.append(r.plural("Reopened {n} time.", "Reopened {n} times.", rec.reopen_count))
    blocks = ["\n".join(head)]
    added = [
        _addition(r, at, text, data)
        for at, step, _who, text, data in rec.timeline
        if step == "addition"
    ]
    if added:  # the facts added after filing, each dated, below the facts as filed
        blocks.append(_section(r, N_("Additions by the reporter"), added))
    if rec.handlers:
        blocks.append(_section(r, N_("Handlers"), [_handler_line(r, h) for h in rec.handlers]))
    blocks.append(_section(r, N_("Timeline"), timeline_lines(r, rec.timeline)))
    if rec.reported_upward_at is not None:
        blocks.append(_section(r, N_("Report to the higher department"), _upward(r, rec)))
    if rec.closed_at is not None:
        blocks.append(_section(r, N_("Closing summary"), _closing(r, rec)))
    if rec.attachments:
        blocks.append(_section(r, N_("Attachments"), attachment_lines(r, rec.attachments)))
    return split(blocks)


def _version(r: Renderer, number: int, at: datetime, s: dict[str, Any]) -> str:
    title = r.plain("Version {n}", n=number)
    submitted = r.plain("submitted on {when}", when=_at(r, at))
    lines = [
        f"<b>{esc(title)}</b> · {esc(submitted)}",
        r("Kind: {kind}", kind=type_name(r, s.get("event_type", ""))),
        r("Title: {text}", text=s.get("title", "")),
    ]
    if s.get("starts_at"):
        lines.append(r("Date and time: {when}", when=when(r, s["starts_at"])))
    lines += [
        r("Venue: {text}", text=s.get("venue", "")),
        r("Expected audience: {n}", n=r.t.number(int(s.get("audience") or 0))),
        r("Speakers: {text}", text=speakers_text(r, s.get("speakers") or [])),
        r("Outline: {text}", text=s.get("outline", "")),
    ]
    return "\n".join(["", *lines])


def _step_line(r: Renderer, step: Any) -> str | None:
    name = ACTIONS.get(step.action)
    if name is None:
        return None
    line = f"{esc(_at(r, step.at))} · {esc(r.plain(name))}"
    if step.actor:
        line += f" · {esc(step.actor)}"
    if step.action == "event.resubmitted" and step.data.get("version"):
        line += " · " + esc(r.plain("version {n}", n=step.data["version"]))
    if step.data.get("note"):
        line += "\n    " + r("Reason: {text}", text=step.data["note"])
    return line


def event_messages(r: Renderer, rec: EventRecord) -> list[str]:
    """Every version as submitted, who asked and who answers for it, each step with its
    reason, the decision, the filing and the outcome."""
    title = rec.versions[-1].snapshot.get("title", "") if rec.versions else ""
    head = [
        f"<b>{esc(rec.ref)}</b> · {esc(title)}",
        r("Status: {status}", status=status_name(r, rec.status)),
        r("Requested by: {name}", name=rec.requester),
        r("Organiser (responsible): {name}", name=rec.organiser),
    ]
    if rec.committee:
        head.append(r("Committee: {name}", name=rec.committee))
    head.append(r("Requested on: {when}", when=_at(r, rec.requested_at)))
    blocks = ["\n".join(head)]
    blocks += [_version(r, v.number, v.submitted_at, v.snapshot) for v in rec.versions]
    steps = [line for s in rec.steps if (line := _step_line(r, s)) is not None]
    if steps:
        blocks.append(_section(r, N_("Timeline"), steps))
    outcome = []
    if rec.decided_at is not None:
        outcome.append(
            r(
                "Decided by {name} on {when}.",
                name=rec.decided_by or "—",
                when=_at(r, rec.decided_at),
            )
        )
        if rec.decision_note:
            outcome.append(r("Reason: {text}", text=rec.decision_note))
    if rec.filed_at is not None:
        on = _day(r, rec.filing_date) if rec.filing_date else _at(r, rec.filed_at)
        outcome.append(
            r(
                "Filed with the city publicity department on {date}, filing "
                "reference {filing_ref}.",
                date=on,
                filing_ref=rec.filing_ref or "—",
            )
        )
    if rec.outcome in OUTCOMES:
        outcome.append(r("Outcome: {text}", text=r.plain(OUTCOMES[rec.outcome])))
    if outcome:
        blocks.append(_section(r, N_("Decision and outcome"), outcome))
    return split(blocks)


def _areas(r: Renderer, rec: MeetingRecord, zh: bool) -> list[str]:
    """The areas the meeting covered, each with its conclusion or why it was not discussed
    (A2); a meeting recorded before that was asked lists them only."""
    lines = []
    covered = [(name if zh else name_en) for name, name_en, answer in rec.areas if not answer]
    if covered:  # recorded before the conclusions per area were asked
        lines.append(r("Areas covered: {areas}", areas=r.items(covered)))
    for name, name_en, answer in rec.areas:  # A2: per area
        area = name if zh else name_en
        if "conclusion" in answer:
            lines.append(r("{area}: {text}", area=area, text=answer["conclusion"]))
        elif "not_discussed" in answer:
            lines.append(
                r("{area}: not discussed ({reason})", area=area, reason=answer["not_discussed"])
            )
    return lines


def meeting_messages(r: Renderer, rec: MeetingRecord) -> list[str]:
    """A meeting held: its kind and day, the areas with their conclusions (A2), what was
    studied (R3), who attended, its minutes and files, and who recorded it."""
    lines = [
        f"<b>{esc(rec.ref)}</b> · {esc(kind_name(r, rec.kind))}",
        r("Held on: {date}", date=r.t.date(rec.held_on)),
    ]
    if rec.title:
        lines.append(r("Subject: {text}", text=rec.title))
    zh = r.locale.startswith("zh")
    lines += _areas(r, rec, zh)
    if rec.studied:  # R3 (R8, P4)
        names = [
            str(m.get("name") if zh else m.get("name_en") or m.get("name")) for m in rec.studied
        ]
        lines.append(r("Studied: {materials}", materials=r.items(names)))
    if rec.sensitive_on is not None:
        lines.append(
            r("Prepares for the sensitive date of {date}.", date=r.t.date(rec.sensitive_on))
        )
    blocks = ["\n".join(lines)]
    if rec.attendees:
        blocks.append(r("Attendees: {names}", names=r.items(rec.attendees)))
    else:
        blocks.append(r.plural("{n} attendee", "{n} attendees", 0))
    if rec.notes:
        blocks.append(r("Minutes: {text}", text=rec.notes))
    if rec.files:
        blocks.append(_section(r, N_("Files"), attachment_lines(r, rec.files)))
    blocks.append(
        r("Recorded by {name} on {when}.", name=rec.recorded_by, when=_at(r, rec.recorded_at))
    )
    return split(blocks)
