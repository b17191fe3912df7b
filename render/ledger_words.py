"""The ledger's words, shared by the chat view, the spreadsheet and the chart (all plain text:
callers escape for HTML where they need to)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from babel.dates import format_skeleton

from bot.calendar.models import MeetingKind
from bot.i18n import N_
from bot.ledger.evidence import Evidence
from bot.ledger.lapses import Lapse
from bot.ledger.obligations import Obligation
from bot.ledger.period import LedgerPeriod
from render.calendar import KIND_NAMES as MEETING_NAMES
from render.calendar import QUARTERS
from render.event import STATUS_NAMES as EVENT_STATUS
from render.event import TYPE_NAMES as EVENT_TYPES
from render.incident import KIND_NAMES as INCIDENT_KINDS
from render.incident import SEVERITY_NAMES
from render.incident import STATUS_NAMES as INCIDENT_STATUS
from render.renderer import Renderer

__all__ = ["EVENT_STATUS", "EVENT_TYPES", "INCIDENT_KINDS", "INCIDENT_STATUS", "SEVERITY_NAMES"]

SCOPES = {
    "all": N_("All records."),
    "committee": N_("Your committee's items and your own."),
    "own": N_(
        "Your own items: the reports you filed or handle, the events you requested or "
        "organise. The calendar's obligations are the whole organisation's."
    ),
}

LAPSES = {
    "ack_late": N_("{subject}: acknowledged {late} after its limit"),
    "ack_missing": N_("{subject}: never acknowledged; the limit was {due}"),
    "ack_late_in_force": N_(
        "{subject}: acknowledged {late} after its limit by the severity in force"
    ),
    "ack_missing_in_force": N_(
        "{subject}: not acknowledged by its limit by the severity in force, {due}"
    ),
    "secretary_ack_missing": N_("{subject}: a major incident the secretary never acknowledged"),
    "upward_late": N_("{subject}: reported to the higher department {late} after its limit"),
    "upward_missing": N_("{subject}: not reported to the higher department; due by {due}"),
    "event_uncleared": N_("{subject}: its date came without approval and filing ({status})"),
    "quarter_without_review": N_("{subject}: no quarterly review was recorded"),
    "quarter_review_incomplete": N_(
        "{subject}: the quarterly review was held, incomplete; without a conclusion: {areas}"
    ),
    # dedicated_short: counted in words, in lapse_text
    "study_missing": N_("{subject}: no study session was recorded"),
    "analysis_missing": N_("{subject}: no forward-looking analysis was recorded before it"),
}
FILED_LATE = N_("{subject}: filed {late} after its date")
# R2, C2: a critical incident is not a "major" one, in either language.
CRITICAL_UNACKNOWLEDGED = N_("{subject}: a critical incident the secretary never acknowledged")

# Audited steps that cite a clause, as the per-clause view names them.
ACTIONS = {
    "incident.filed": N_("Report filed"),
    "incident.acknowledged": N_("Acknowledged"),
    "incident.update": N_("Progress update"),
    "incident.update_missed": N_("Progress update overdue"),
    "incident.reported_upward": N_("Reported to the higher department"),
    "incident.pulled_in": N_("Further handler pulled in"),
    "incident.contained": N_("Contained"),
    "incident.closed": N_("Closed"),
    "incident.escalated": N_("Escalated: not acknowledged in time"),
    "incident.addition": N_("Added to by the reporter"),
    "incident.severity_changed": N_("Severity changed"),
    "incident.reopened": N_("Reopened"),
    "event.requested": N_("Event requested"),
    "event.organiser_confirmed": N_("Organiser confirmed responsibility"),
    "event.forwarded": N_("Forwarded by the committee head"),
    "event.sent_back": N_("Sent back by the committee head"),
    "event.resubmitted": N_("Resubmitted"),
    "event.approve": N_("Approved"),
    "event.reject": N_("Rejected"),
    "event.changes": N_("Sent back for changes"),
    "event.withdrawn": N_("Withdrawn"),
    "event.filed": N_("Filed with the publicity department"),
    "event.cancelled": N_("Cancelled by the office"),
    "event.outcome": N_("Outcome reported by the organiser"),
    "event.lapse": N_("Date passed without clearance"),
    "event.decision_overdue": N_("Decision overdue: the deputy told"),
    "event.acting_named": N_("Acting approver named"),
    "event.acting_revoked": N_("Acting approver revoked"),
    "event.own_case": N_("Passed on: nobody decides their own case"),
    "meeting.record": N_("Meeting recorded"),
    "calendar.lapse": N_("Lapse notice sent"),
    "calendar.snooze": N_("Reminder postponed"),
    "role.grant": N_("Role granted"),
    "role.revoke": N_("Role revoked"),
    "committee.create": N_("Committee created"),
    "person.committee": N_("Committee membership changed"),
    "policy.load": N_("Policy loaded"),
    "chat.bind": N_("Group set up"),
    "ledger.exported": N_("Ledger exported"),
    "ledger.read": N_("Ledger read by an inspector"),
    "record.read": N_("Record read by an inspector"),
    "record.find": N_("Search made by an inspector"),
    "meeting.evidence_opened": N_("Meeting files opened"),
    "inspector.granted": N_("Inspector appointed"),
    "person.admission_requested": N_("Asked to be admitted"),
    "person.admitted": N_("Admitted as a member"),
    "person.refused": N_("Admission refused"),
    "invitation.created": N_("Invitation link made"),
    "invitation.revoked": N_("Invitation link withdrawn"),
}
OUTCOMES = {  # how an event went, as its organiser told (R6)
    "held": N_("held as planned"),
    "not_held": N_("not held"),
    "incident": N_("held, with an incident"),
}
SOURCES = {
    "meeting": N_("Meeting"),
    "step": N_("Step"),
    "reminder": N_("Reminder sent"),
    "lapse": N_("Lapse"),
}
REMINDERS = {
    "quarter_open": N_("Quarter announced"),
    "quarter_reminder": N_("Quarterly review reminder"),
    "quarter_lapse": N_("Quarter without a review: notice"),
    "dedicated_reminder": N_("Dedicated meetings reminder"),
    "dedicated_lapse": N_("Dedicated meetings short: notice"),
    "study_open": N_("Study period announced"),
    "study_reminder": N_("Study session reminder"),
    "study_lapse": N_("Study period missed: notice"),
    "sensitive": N_("Sensitive date reminder"),
}
STATES = {
    "met": N_("met"),
    "open": N_("still open"),
    "short": N_("not met"),
    "unkept": N_("before the bot kept the records"),
}


def duration(r: Renderer, value: timedelta | None) -> str:
    """3 d 4 h, 2 h 5 min, 12 min: as precise as a reader needs."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return r.plain("{d} d {h} h", d=days, h=hours)
    if hours:
        return r.plain("{h} h {m} min", h=hours, m=mins)
    return r.plain("{m} min", m=mins)


def period_name(r: Renderer, period: LedgerPeriod) -> str:
    key = period.key
    if re.fullmatch(r"\d{4}-Q\d", key):
        return r.plain(QUARTERS[int(key[-1])], year=period.first.year)
    if re.fullmatch(r"\d{4}", key):
        return r.plain("{year}", year=period.first.year)
    return r.plain("{first} to {last}", first=r.t.date(period.first), last=r.t.date(period.last))


def obligation_subject(r: Renderer, key: str, names: dict[str, str] | None = None) -> str:
    """An obligation's period (2026-Q2, 2026-08, 2026-W09, 2026) or sensitive date, in words."""
    if names:
        name = names["name"] if r.locale.startswith("zh") else names["name_en"]
        return r.aside(name, r.t.date(date.fromisoformat(names["on"])))
    if m := re.fullmatch(r"(\d{4})-Q(\d)", key):
        return r.plain(QUARTERS[int(m[2])], year=int(m[1]))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", key):
        return str(format_skeleton("yMMMM", date(int(m[1]), int(m[2]), 1), locale=r.t.babel_locale))
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", key):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return r.plain("the week of {date}", date=r.t.date(monday))
    return r.plain("{year}", year=int(key)) if key.isdigit() else key


def obligation_name(r: Renderer, item: Obligation) -> str:
    return f"{r.plain(MEETING_NAMES[item.kind])} · {obligation_subject(r, item.key, item.names)}"


def lapse_text(r: Renderer, lapse: Lapse) -> str:
    """One lapse, plain, with its clauses: "INC-2026-0002: … (R2, C2)"."""
    p = lapse.params
    subject = lapse.subject
    if lapse.code in (
        "quarter_without_review",
        "quarter_review_incomplete",
        "dedicated_short",
        "study_missing",
        "analysis_missing",
    ):
        subject = obligation_subject(r, lapse.subject, p if "on" in p else None)
    if lapse.code == "dedicated_short":
        required = int(p.get("required", "0"))
        text = r.t.ngettext(
            "{subject}: {held} of at least {n} dedicated meeting",
            "{subject}: {held} of at least {n} dedicated meetings",
            required,
        )
        held = p.get("held", "")
        text = text.format(subject=subject, held=held, n=r.t.number(required))
        return r.aside(text, r.items(lapse.clauses))
    msgid = FILED_LATE if lapse.code == "event_uncleared" and lapse.late_by else LAPSES[lapse.code]
    if lapse.code == "secretary_ack_missing" and p.get("severity") == "critical":
        msgid = CRITICAL_UNACKNOWLEDGED
    status = p.get("status", "")
    text = r.plain(
        msgid,
        subject=subject,
        late=duration(r, lapse.late_by),
        due=r.t.datetime(lapse.due, r.zone),
        status=r.plain(EVENT_STATUS[status]) if status in EVENT_STATUS else status,
        areas=r.items(
            zh if r.locale.startswith("zh") else en for zh, en in json.loads(p.get("missing", "[]"))
        ),
    )
    return r.aside(text, r.items(lapse.clauses))


def meeting_kind(r: Renderer, kind: str) -> str:
    return r.plain(MEETING_NAMES[MeetingKind(kind)])


def action_name(r: Renderer, action: str) -> str:
    return r.plain(ACTIONS[action]) if action in ACTIONS else action


def evidence_what(r: Renderer, e: Evidence) -> str:
    if e.lapse is not None:
        return lapse_text(r, e.lapse)
    if e.source == "meeting":
        return meeting_kind(r, e.what)
    if e.source == "reminder":
        return r.plain(REMINDERS[e.what]) if e.what in REMINDERS else e.what
    if e.what == "incident.reported_upward" and e.params.get("to"):
        return r.plain("Reported to the higher department: {to}", to=e.params["to"])
    return action_name(r, e.what)


def evidence_subject(r: Renderer, e: Evidence) -> str:
    """A reminder's key (A2:2026-Q1:d30) names its period; a meeting, its reference and its
    subject (R7: /record MTG-… opens it); others name themselves."""
    if e.source == "meeting" and e.params.get("ref"):
        return " · ".join(part for part in (e.params["ref"], e.subject) if part)
    if e.source == "reminder":
        parts = e.subject.split(":")
        return (
            obligation_subject(r, parts[1])
            if len(parts) == 3 and parts[1][:4].isdigit()
            else (e.subject)
        )
    return e.subject
