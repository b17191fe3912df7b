"""The words of the incident workflow: cards, receipts, reminders, relays (all via gettext)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.i18n import N_
from render.renderer import Notice, Renderer, esc

KIND_NAMES = {
    "network_security": N_("Network-security incident"),
    "public_opinion": N_("Public-opinion incident"),
    "event_incident": N_("Incident at an event"),
    "information": N_("Information report"),
}
SEVERITY_NAMES = {
    "general": N_("General"),
    "major": N_("Major"),
    "critical": N_("Critical"),
}
STATUS_NAMES = {
    "open": N_("open"),
    "contained": N_("contained"),
    "closed": N_("closed"),
}


def kind(r: Renderer, value: str) -> str:
    """An incident kind's name in the reader's words (plain)."""
    return r.plain(KIND_NAMES.get(value, value))


def severity(r: Renderer, value: str | None) -> str:
    """A severity's name in the reader's words (plain); "—" for none."""
    return r.plain(SEVERITY_NAMES[value]) if value else "—"


def moment(r: Renderer, iso: str, precision: str = "minute") -> str:
    """An ISO moment in the reader's words, to the minute or to the `day`; "—" for none."""
    if not iso:
        return "—"
    value = datetime.fromisoformat(iso)
    if precision == "day":
        return r.t.date(value.astimezone(r.zone).date())
    return r.t.datetime(value, r.zone)


def facts(r: Renderer, p: dict[str, Any]) -> str:
    """The body of a report: every value escaped, every label translated."""
    lines = [
        f"<b>{esc(p['ref'])}</b> · {esc(kind(r, p['kind']))}"
        + (f" · {esc(severity(r, p['severity']))}" if p.get("severity") else ""),
        r("Reported by: {name}", name=p["reporter"]),
        r("What happened: {text}", text=p["what"]),
        r("Discovered: {when}", when=moment(r, p["discovered_at"], p["discovered_precision"])),
        r("Where: {text}", text=p["location"]),
        r("Already done: {text}", text=p["actions_taken"]),
    ]
    if p.get("ack_due_at"):
        lines.append(r("Acknowledge by: {when}", when=moment(r, p["ack_due_at"])))
    return "\n".join(lines)


def card(r: Renderer, p: dict[str, Any]) -> str:
    """A handler's incident card (L4): why it reached them (the state now, when looked at again)
    and the report's facts."""
    head = r("A report needs your attention.")
    if p.get("pulled_in_by"):
        head = r("{name} asked you to help handle this report.", name=p["pulled_in_by"])
    if p.get("handed_over_from"):
        head = r(
            "{name} can no longer act on this report, so it is handed to you. Please see to it.",
            name=p["handed_over_from"],
        )
    if "state" in p:  # looked at again, or just acted on: the record as it stands now
        head = state_head(r, p["state"]) or head
        # Records that grow (bot/incidents/changes.py, additions.py): always said.
        head = "\n".join([head, *state_lines(r, p["state"])])
    return head + "\n\n" + facts(r, p)


def state_head(r: Renderer, state: dict[str, Any]) -> str:
    """Where an incident stands: who acknowledged, contained or closed it, and when."""
    lines = []
    if state.get("closed_at"):
        lines.append(
            r(
                "Closed by {name} on {when}.",
                name=state["closed_by"],
                when=moment(r, state["closed_at"]),
            )
        )
    elif state.get("acknowledged_at"):
        lines.append(
            r(
                "Acknowledged by {name} on {when}; being handled.",
                name=state["acknowledged_by"],
                when=moment(r, state["acknowledged_at"]),
            )
        )
        if state.get("contained_at"):
            lines.append(r("Under control since {when}.", when=moment(r, state["contained_at"])))
        if state.get("own_ack"):  # R2, C2
            lines.append(r("It still needs your own acknowledgement as secretary."))
    return "\n".join(lines)


def state_lines(r: Renderer, state: dict[str, Any]) -> list[str]:
    """The card's status lines for what grew: the severity in force since when, the
    reopenings, the additions."""
    lines = []
    if state.get("severity_since"):
        lines.append(
            r(
                "Severity now {severity}, changed on {when}.",
                severity=severity(r, state.get("severity")),
                when=moment(r, state["severity_since"]),
            )
        )
    if state.get("reopened"):
        when = moment(r, state.get("reopened_at", ""))
        lines.append(
            r.plural(
                "Reopened {n} time, on {when}.",
                "Reopened {n} times, last on {when}.",
                int(state["reopened"]),
                when=when,
            )
        )
    if state.get("additions"):
        lines.append(
            r.plural(
                "{n} addition from the reporter.",
                "{n} additions from the reporter.",
                int(state["additions"]),
            )
        )
    return lines


def escalated(r: Renderer, p: dict[str, Any]) -> str:
    """The card of an incident nobody acknowledged in time (L2, L4)."""
    return (
        r("Nobody acknowledged {ref} in time; it has been escalated.", ref=p["ref"])
        + "\n\n"
        + facts(r, p)
    )


def relay(r: Renderer, p: dict[str, Any]) -> str:
    """P2: a progress update on an incident, relayed to the leadership as it is written."""
    # P2: handle and report at the same time.
    return r(
        "Update on {ref} ({severity}) from {by}:\n{text}",
        ref=p["ref"],
        severity=severity(r, p["severity"]),
        by=p["by"],
        text=p["text"],
    )


def group_notice(r: Renderer, p: dict[str, Any]) -> str:
    """The group's notice that an incident was reported and is being handled (L4)."""
    return r(
        "A {severity} incident was reported at {when} and is being handled.",
        severity=severity(r, p["severity"]).lower(),
        when=moment(r, p["reported_at"]),
    )


NOTICES: dict[str, Notice] = {
    "incident.card": card,
    "incident.escalated": escalated,
    "incident.relay": relay,
    "incident.group_notice": group_notice,
    "incident.acknowledged": lambda r, p: r(
        "Your report {ref} has been acknowledged and is being handled.", ref=p["ref"]
    ),
    "incident.contained": lambda r, p: r(
        "Your report {ref} is under control. You will hear when it is closed.", ref=p["ref"]
    ),
    "incident.closed": lambda r, p: r(
        "Your report {ref} has been closed. Summary: {summary}",
        ref=p["ref"],
        summary=p["summary"],
    ),
    "incident.ack_reminder": lambda r, p: (
        r("Reminder: {ref} is still waiting for an acknowledgement.", ref=p["ref"])
        + "\n\n"
        + facts(r, p)
    ),
    "incident.update_reminder": lambda r, p: r(
        "{ref} is due for a progress update. Please add one.", ref=p["ref"]
    ),
    "incident.update_missed": lambda r, p: r(
        "No progress update on {ref} ({severity}) within the required time.",
        ref=p["ref"],
        severity=severity(r, p["severity"]),
    ),
    "incident.secretary_reminder": lambda r, p: r(
        "{ref} ({severity}) still needs your own acknowledgement as secretary.",
        ref=p["ref"],
        severity=severity(r, p["severity"]),
    ),
}


# What each attachment's keeping came to (bot.files): shown wherever attachments are listed.
NOT_KEPT_REASONS = {
    "too_big": N_(
        "could not be kept: larger than the bot may download; ask the reporter to "
        "hand a copy to the office"
    ),
    "gone": N_("could not be kept: Telegram no longer had the file"),
    "failed": N_("could not be kept: fetching it from Telegram failed repeatedly"),
}


def attachment_lines(r: Renderer, attachments: Sequence[Any]) -> list[str]:
    """One line per attachment: what it is, and whether the office keeps a copy."""
    lines = []
    for number, a in enumerate(attachments, 1):
        name = a.name or (r.plain("Photo") if a.kind == "photo" else r.plain("Document"))
        if a.status == "kept":
            state = r.plain("kept by the office")
        elif a.status == "fetching":
            state = r.plain("still being fetched")
        else:
            state = r.plain(NOT_KEPT_REASONS.get(a.reason or "failed", NOT_KEPT_REASONS["failed"]))
        if not a.size:
            lines.append(r("{number}. {name}: {state}", number=number, name=name, state=state))
            continue
        mb = a.size / (1024 * 1024)
        size = f"{mb:.1f} MB" if mb >= 1 else f"{max(1, round(a.size / 1024))} KB"
        lines.append(
            r(
                "{number}. {name} ({size}): {state}",
                number=number,
                name=name,
                size=size,
                state=state,
            )
        )
    return lines


def evidence_text(r: Renderer, ref: str, attachments: Sequence[Any]) -> str:
    """The heading before an incident's attachments are sent, and their lines."""
    head = r.plural(
        "{ref}: {n} attachment follows.",
        "{ref}: {n} attachments follow.",
        len(attachments),
        ref=ref,
    )
    return "\n".join([head, *attachment_lines(r, attachments)])
