"""The words of event requests (R6): cards for reviewers and approvers, decisions, clearance."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.i18n import N_
from render.renderer import Notice, Renderer, esc

TYPE_NAMES = {
    "report_meeting": N_("Report meeting"),
    "seminar": N_("Seminar"),
    "lecture": N_("Lecture"),
    "forum": N_("Forum"),
}


def type_name(r: Renderer, value: str) -> str:
    """An event type's name in the reader's words (plain); an unknown one as it is."""
    return r.plain(TYPE_NAMES.get(value, value))


def when(r: Renderer, iso: str) -> str:
    """An ISO moment in the reader's words, in the organisation's zone."""
    return r.t.datetime(datetime.fromisoformat(iso), r.zone)


def speakers_text(r: Renderer, speakers: list[dict[str, str]]) -> str:
    """Speakers with their affiliations, plain: "Li (Party School); Wang (…)"."""
    return r.items((r.aside(s["name"], s["affiliation"]) for s in speakers), series=True)


def facts(r: Renderer, p: dict[str, Any]) -> str:
    """An event request's facts as its card shows them (R6): reference, title, organiser,
    time, venue, audience, speakers, outline, and what the deciders must know."""
    speakers = speakers_text(r, p["speakers"])
    lines = [
        f"<b>{esc(p['ref'])}</b> · {esc(type_name(r, p['event_type']))}",
        r("Title: {text}", text=p["title"]),
        r("Organiser (responsible): {name}", name=p["organiser"]),
        r("Date and time: {when}", when=when(r, p["starts_at"])),
        r("Venue: {text}", text=p["venue"]),
        r("Expected audience: {n}", n=r.t.number(p["audience"])),
        r("Speakers: {text}", text=speakers),
        r("Outline: {text}", text=p["outline"]),
        r("The requester confirmed that the speakers were vetted (R6)."),
    ]
    if p.get("short_lead"):
        lines.append(r("⚠ Less lead time than the policy requires."))
    if p.get("reviewed_by"):
        lines.append(r("Forwarded by the committee head {name}.", name=p["reviewed_by"]))
    if p.get("handed_over_from"):
        lines.append(
            r("It waited for {name}, who can no longer decide on it.", name=p["handed_over_from"])
        )
    if p.get("own_case"):
        lines.append(
            r(
                "It comes to you because {names} made or organises it: nobody decides "
                "their own case (R6).",
                names=r.items(p["own_case"]),
            )
        )
    return "\n".join(lines)


STATUS_NAMES = {
    "organiser": N_("waiting for the organiser to confirm"),
    "in_review": N_("with the committee head"),
    "pending": N_("waiting for a decision"),
    "changes_requested": N_("sent back for changes"),
    "approved": N_("approved, not yet filed"),
    "cleared": N_("cleared"),
    "rejected": N_("rejected"),
    "withdrawn": N_("withdrawn"),
    "cancelled": N_("cancelled"),
}


def status_name(r: Renderer, value: str) -> str:
    """An event status's name in the reader's words (plain); an unknown one as it is."""
    return r.plain(STATUS_NAMES.get(value, value))


NOTICES: dict[str, Notice] = {
    "event.review": lambda r, p: (
        r("An event request from your committee needs your review.") + "\n\n" + facts(r, p)
    ),
    "event.decide": lambda r, p: r("An event request needs your decision.") + "\n\n" + facts(r, p),
    "event.organiser_left": lambda r, p: r(
        "{ref} “{title}” named {name} as organiser, who has left. Please name another organiser "
        "or organise it yourself, and submit it again.",
        ref=p["ref"],
        title=p["title"],
        name=p["name"],
    ),
    "event.approve": lambda r, p: r(
        "{ref} “{title}” was approved by {by}. It may be held once the office has filed it "
        "with the city publicity department.",
        ref=p["ref"],
        title=p["title"],
        by=p["by"],
    ),
    "event.reject": lambda r, p: r(
        "{ref} “{title}” was rejected by {by}. Reason: {note}",
        ref=p["ref"],
        title=p["title"],
        by=p["by"],
        note=p["note"],
    ),
    "event.changes": lambda r, p: r(
        "{by} asks for changes to {ref} “{title}”: {note}",
        ref=p["ref"],
        title=p["title"],
        by=p["by"],
        note=p["note"],
    ),
    "event.file": lambda r, p: r(
        "{ref} “{title}” ({when}) is approved. Please file it with the city publicity "
        "department and record the filing here.",
        ref=p["ref"],
        title=p["title"],
        when=when(r, p["starts_at"]),
    ),
    "event.decision_reminder": lambda r, p: r(
        "Reminder: {ref} “{title}” ({when}) is waiting for your decision.",
        ref=p["ref"],
        title=p["title"],
        when=when(r, p["starts_at"]),
    ),
    "event.decision_overdue": lambda r, p: r(
        "{ref} “{title}” ({when}) has waited too long for a decision; as deputy you may decide it.",
        ref=p["ref"],
        title=p["title"],
        when=when(r, p["starts_at"]),
    ),
    "event.filing_due": lambda r, p: r(
        "{ref} “{title}” ({when}) is approved but not yet filed with the city publicity "
        "department. The filing deadline has come.",
        ref=p["ref"],
        title=p["title"],
        when=when(r, p["starts_at"]),
    ),
    "event.filing_overdue": lambda r, p: r(
        "{ref} “{title}” ({when}) is still not filed; it may not be held until it is.",
        ref=p["ref"],
        title=p["title"],
        when=when(r, p["starts_at"]),
    ),
    "event.eve": lambda r, p: r(
        "Reminder: you organise {ref} “{title}” at {when}. Whoever organises is responsible (R6).",
        ref=p["ref"],
        title=p["title"],
        when=when(r, p["starts_at"]),
    ),
    "event.lapse": lambda r, p: r(
        "Lapse (R6): the date of {ref} “{title}” ({when}) has come without approval and filing.",
        ref=p["ref"],
        title=p["title"],
        when=when(r, p["starts_at"]),
    ),
    "event.organiser": lambda r, p: (
        r(
            "{name} names you as the organiser of this event. Whoever organises is responsible "
            "(R6): please confirm.",
            name=p["requester"],
        )
        + "\n\n"
        + facts(r, p)
    ),
    "event.organiser_declined": lambda r, p: r(
        "{by} is not the organiser of {ref} “{title}”. Please change the request and submit it "
        "again.",
        ref=p["ref"],
        title=p["title"],
        by=p["by"],
    ),
    "event.organiser_kept": lambda r, p: r(
        "{by} changed {ref} “{title}” and submitted it again; you remain its organiser and "
        "responsible for it (R6).",
        ref=p["ref"],
        title=p["title"],
        by=p["by"],
    ),
    "event.organiser_replaced": lambda r, p: r(
        "{by} named another organiser for {ref} “{title}”: you are no longer responsible for "
        "it (R6).",
        ref=p["ref"],
        title=p["title"],
        by=p["by"],
    ),
    "event.acting": lambda r, p: r(
        "{by} has named you to decide on event requests from {first_day} to {last_day}.",
        by=p["by"],
        first_day=p["first_day"],
        last_day=p["last_day"],
    ),
    "event.acting_ended": lambda r, p: r(
        "{by} has revoked your appointment to decide on event requests ({first_day} to "
        "{last_day}). You no longer decide on them.",
        by=p["by"],
        first_day=p["first_day"],
        last_day=p["last_day"],
    ),
    "event.acting_starts": lambda r, p: r(
        "From today until {last_day} you decide on event requests in the secretary's place. "
        "You do not decide requests you made or organise.",
        last_day=p["last_day"],
    ),
    "event.acting_over": lambda r, p: r(
        "Your appointment to decide on event requests ended on {last_day}.",
        last_day=p["last_day"],
    ),
    "event.followup": lambda r, p: r(
        "How did {ref} “{title}” ({when}) go? As its organiser, please tell us.",
        ref=p["ref"],
        title=p["title"],
        when=when(r, p["starts_at"]),
    ),
    "event.cancelled": lambda r, p: r(
        "{ref} “{title}” was cancelled by {by}. Reason: {note}",
        ref=p["ref"],
        title=p["title"],
        by=p["by"],
        note=p["note"],
    ),
    "event.cleared": lambda r, p: (
        r(
            "{ref} “{title}” has been filed with the city publicity department on {date} "
            "(filing reference: {filing_ref}) and is cleared: it may be held.",
            ref=p["ref"],
            title=p["title"],
            date=r.t.date(date.fromisoformat(p["filing_date"])),
            filing_ref=p["filing_ref"],
        )
        if p.get("filing_date")  # queued before the date was sent along
        else r(
            "{ref} “{title}” has been filed (filing reference: {filing_ref}) and is cleared: "
            "it may be held.",
            ref=p["ref"],
            title=p["title"],
            filing_ref=p["filing_ref"],
        )
    ),
}


def request_summary(r: Renderer, d: dict[str, Any], lead_days: int, now: datetime) -> str:
    """An event request's draft as its requester checks it before Submit (R6), with the
    warning the approver will see when it is less than the lead time ahead."""
    speakers = speakers_text(r, d.get("speakers", []))
    lines = [
        r("<b>Please check your request.</b>"),
        r("Type: {value}", value=type_name(r, d["type"])),
        r("Title: {text}", text=d["title"]),
        r("Organiser (responsible): {name}", name=d.get("organiser_name") or r.plain("you")),
        r("Date and time: {when}", when=when(r, d["date"])),
        r("Venue: {text}", text=d["venue"]),
        r("Expected audience: {n}", n=r.t.number(d["audience"])),
        r("Speakers: {text}", text=speakers),
        r("Outline: {text}", text=d["outline"]),
        r.plural("{n} attachment", "{n} attachments", len(d.get("attachments", []))),
    ]
    if (datetime.fromisoformat(d["date"]) - now).days < lead_days:
        lines.append(
            r.plural(
                "⚠ Less than {n} day ahead: the approver will see this warning.",
                "⚠ Less than {n} days ahead: the approver will see this warning.",
                lead_days,
            )
        )
    return "\n".join(lines)
