"""The outbox's notices: each template's sentences, rendered at delivery in the recipient's
language (runtime.delivery). This module holds the people's own notices (roles, admission,
deactivation) and the catalogue of every workflow's."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from bot.people.roles import Role
from render.briefing import NOTICES as BRIEFING_NOTICES
from render.calendar import NOTICES as CALENDAR_NOTICES
from render.chat import NOTICES as CHAT_NOTICES
from render.event import NOTICES as EVENT_NOTICES
from render.growth import NOTICES as GROWTH_NOTICES
from render.incident import NOTICES as INCIDENT_NOTICES
from render.lost import NOTICES as LOST_NOTICES
from render.renderer import Notice, Renderer


def _role_granted(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "You now hold the role <b>{role}</b>, given by {by}. Send /help to see what you can do.",
        role=_role_param(r, p),
        by=p.get("by", ""),
    )


def _role_revoked(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "Your role <b>{role}</b> was revoked by {by}.", role=_role_param(r, p), by=p.get("by", "")
    )


def _role_param(r: Renderer, p: dict[str, Any]) -> str:
    return r.role(Role(p["role"]), p.get("committee") or None)


def _undeliverable(r: Renderer, p: dict[str, Any]) -> str:
    if p.get("reason") == "deleted":
        return r(
            "Messages to {name} cannot be delivered: their Telegram account has been deleted, "
            "so nothing will reach them again. If they hold a role or open work, please hand "
            "it to someone else.",
            name=p["name"],
        )
    if p.get("reason") == "blocked":
        return r(
            "Messages to {name} cannot be delivered: they have blocked the bot. They are kept "
            "and will be delivered when {name} writes to the bot again.",
            name=p["name"],
        )
    return r(
        "Messages to {name} cannot be delivered: they have not started the bot yet. Please ask "
        "them to open a private chat with the bot and press Start; the messages are kept.",
        name=p["name"],
    )


def _admission(r: Renderer, p: dict[str, Any]) -> str:
    lines = [
        r("<b>{name}</b> asks to be admitted.", name=p["name"]),
        r("Username: {username}", username="@" + p["username"] if p["username"] else "—"),
        r("Telegram language: {language}", language=p["language"] or "—"),
        r("Pressed Start: {when}", when=r.t.datetime(datetime.fromisoformat(p["at"]), r.zone)),
    ]
    return "\n".join(lines)


def _admitted(r: Renderer, p: dict[str, Any]) -> str:
    if p.get("committee"):
        return r(
            "The office has admitted you as a member of {committee}. Send /help to see what "
            "you can do.",
            committee=p["committee"],
        )
    return r("The office has admitted you. Send /help to see what you can do.")


def _refused(r: Renderer, p: dict[str, Any]) -> str:
    if p.get("note"):
        return r("The office did not admit you. Reason: {reason}", reason=p["note"])
    return r("The office did not admit you.")


def _inspector(r: Renderer, p: dict[str, Any]) -> str:
    said = r(
        "{by} has appointed you to inspect: from {first_day} to {last_day} you may read the "
        "ledger (send /ledger), and nothing else. Every reading is recorded.",
        by=p["by"],
        first_day=p["first_day"],
        last_day=p["last_day"],
    )
    if p.get("period_first"):
        said += "\n" + r(
            "Records you may read: {first} to {last}.",
            first=p["period_first"],
            last=p["period_last"],
        )
    return said


NOTICES: dict[str, Notice] = {
    "inspector.granted": _inspector,
    "person.admission": _admission,
    "person.admitted": _admitted,
    "person.refused": _refused,
    # A file that follows a card (by its Telegram file_id); the caption names the item.
    "file.attachment": lambda r, p: r(
        "{ref}: attachment {number} of {of}", ref=p["ref"], number=p["number"], of=p["of"]
    ),
    "role.granted": _role_granted,
    "role.revoked": _role_revoked,
    "person.undeliverable": _undeliverable,
    "person.deactivated": lambda r, p: r(
        "{by} deactivated you: you no longer hold any role here and cannot act. If that is a "
        "mistake, please ask the office.",
        by=p.get("by", ""),
    ),
    "person.reactivated": lambda r, p: r(
        "{by} reactivated you: you are a member again. Send /help to see what you can do.",
        by=p.get("by", ""),
    ),
}


@cache
def all_notices() -> dict[str, Notice]:
    """Every outbox template: this module's and each workflow's."""
    return {
        **NOTICES,
        **INCIDENT_NOTICES,
        **GROWTH_NOTICES,
        **EVENT_NOTICES,
        **CALENDAR_NOTICES,
        **BRIEFING_NOTICES,
        **CHAT_NOTICES,
        **LOST_NOTICES,
    }


def notice(r: Renderer, template: str, params: dict[str, Any]) -> str:
    """The text of an outbox message: its template's notice rendered for the reader."""
    return all_notices()[template](r, params)
