"""All user-facing text: gettext, then HTML escaping of every interpolated value (rule 9).

Messages are sent with parse_mode HTML. Translated templates may contain our own tags; values
(names, committee names, anything a person typed) are always escaped here and nowhere else.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator, translator
from bot.people.roles import ROLE_NAMES, ROLE_ORDER, Role


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


# Telegram refuses a message longer than 4096 characters (UTF-16 units, after the HTML is
# parsed). Free text may be 2,000 characters per field, so a card can exceed it: it is then
# shortened (the record keeps everything), never refused and lost.
MAX_MESSAGE = 4096
_TOKEN = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>|&#?\w+;|[\s\S]")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` (our HTML) cut to at most `limit` visible characters, tags closed, ending "…"."""
    if _units(text) <= limit:
        return text
    count, stack = 0, list[str]()
    for match in _TOKEN.finditer(text):
        closing, tag = match.group(1), match.group(2)
        if tag is not None:
            if closing:
                if stack and stack[-1] == tag.lower():
                    stack.pop()
            else:
                stack.append(tag.lower())
            continue
        units = (
            1
            if match.group(0).startswith("&") and len(match.group(0)) > 1
            else _units(match.group(0))
        )
        if count + units > limit - 1:
            closing_tags = "".join(f"</{t}>" for t in reversed(stack))
            return text[: match.start()] + "…" + closing_tags
        count += units
    return text


class Renderer:
    """Text in one locale. `r(msgid, **values)` translates, then fills escaped values."""

    def __init__(self, locale: str, zone: ZoneInfo) -> None:
        self.t: Translator = translator(locale)
        self.locale = locale
        self.zone = zone

    def __call__(self, msgid: str, **values: Any) -> str:
        return self.t.gettext(msgid).format(**{k: esc(v) for k, v in values.items()})

    def plain(self, msgid: str, **values: Any) -> str:
        """Translated text for places without HTML (button labels, callback answers)."""
        return self.t.gettext(msgid).format(**values)

    def plural(self, singular: str, plural: str, n: int, **values: Any) -> str:
        escaped = {k: esc(v) for k, v in values.items()}
        return self.t.ngettext(singular, plural, n).format(n=esc(self.t.number(n)), **escaped)

    def role(self, role: Role, committee: str | None = None) -> str:
        """A role's name, plain (unescaped): pass it as a value to `r(...)`."""
        name = self.t.gettext(ROLE_NAMES[role])
        if role == Role.COMMITTEE_HEAD and committee:
            return self.t.gettext("{role} ({committee})").format(role=name, committee=committee)
        return name

    def roles(self, roles: frozenset[Role], committees: Sequence[str] = ()) -> str:
        """All roles of a person, plain (unescaped), in the regulation's order."""
        if not roles:
            return self.t.gettext("member")
        parts: list[str] = []
        for role in ROLE_ORDER:
            if role not in roles:
                continue
            if role == Role.COMMITTEE_HEAD and committees:
                parts.extend(self.role(role, c) for c in committees)
            else:
                parts.append(self.role(role))
        return ("、" if self.locale == "zh_CN" else ", ").join(parts)


Row = Sequence[tuple[str, str]]


def keyboard(rows: Sequence[Row]) -> InlineKeyboardMarkup:
    """Rows of (already rendered label, callback data or https:// URL)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, url=data)
                if data.startswith(("https://", "http://", "tg://"))
                else InlineKeyboardButton(label, callback_data=data)
                for label, data in row
            ]
            for row in rows
        ]
    )


# Notices queued in the outbox are rendered at delivery, in the recipient's language.
Notice = Callable[[Renderer, dict[str, Any]], str]


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


NOTICES: dict[str, Notice] = {
    # A file that follows a card (by its Telegram file_id); the caption names the item.
    "file.attachment": lambda r, p: r(
        "{ref}: attachment {number} of {of}", ref=p["ref"], number=p["number"], of=p["of"]
    ),
    "role.granted": _role_granted,
    "role.revoked": _role_revoked,
    "person.undeliverable": _undeliverable,
}


@cache
def all_notices() -> dict[str, Notice]:
    """Every outbox template: this module's and each workflow's (imported here, late, because
    the workflow modules build on this one)."""
    from handlers.calendar_render import NOTICES as CALENDAR_NOTICES
    from handlers.event_render import NOTICES as EVENT_NOTICES
    from handlers.incident_render import NOTICES as INCIDENT_NOTICES
    from handlers.lost_render import NOTICES as LOST_NOTICES

    return {**NOTICES, **INCIDENT_NOTICES, **EVENT_NOTICES, **CALENDAR_NOTICES, **LOST_NOTICES}


def notice(r: Renderer, template: str, params: dict[str, Any]) -> str:
    return all_notices()[template](r, params)
