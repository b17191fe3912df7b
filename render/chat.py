"""What the administrators read when a group removed the bot, and when the bot is back in it
(bot.chats.lost)."""

from __future__ import annotations

from typing import Any

from bot.chats.service import PURPOSE_NAMES, Purpose
from bot.i18n import N_
from render.incident import moment
from render.renderer import Notice, Renderer

# Who hears the group's reminders meanwhile (bot.chats.lost.FALLBACK), by purpose.
STAND_INS = {
    Purpose.ORG: N_("the office"),
    Purpose.LEADERSHIP: N_("the secretary and the deputy secretary"),
}


def _names(r: Renderer, p: dict[str, Any]) -> dict[str, str]:
    purpose = Purpose(p["purpose"])
    return {
        "purpose": r.plain(PURPOSE_NAMES[purpose]),
        "title": p.get("title") or "",
        "stand_ins": r.plain(STAND_INS[purpose]),
    }


def _lost(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "<b>The bot was removed from the {purpose} “{title}”.</b> Its notices can no longer "
        "reach the group. Until the bot is added back and the group is set up again with "
        "/setup, its reminders go privately to {stand_ins}.",
        **_names(r, p),
    )


def _back(r: Renderer, p: dict[str, Any]) -> str:
    head = r(
        "<b>The bot was added back to “{title}”.</b> It is not the {purpose} again until an "
        "administrator sends /setup in that group and chooses its purpose.",
        **_names(r, p),
    )
    missed, since = int(p.get("missed", 0)), moment(r, p["since"])
    if not missed:
        return head + "\n" + r("Since {since} nothing meant for the group was missed.", since=since)
    stand_ins = _names(r, p)["stand_ins"]
    told = r.plural(
        "Since {since}, {n} notice meant for the group did not reach it; its reminders went "
        "privately to {stand_ins} meanwhile.",
        "Since {since}, {n} notices meant for the group did not reach it; its reminders went "
        "privately to {stand_ins} meanwhile.",
        missed,
        since=since,
        stand_ins=stand_ins,
    )
    return head + "\n" + told


NOTICES: dict[str, Notice] = {"chat.lost": _lost, "chat.back": _back}
