"""All user-facing text: gettext, then HTML escaping of every interpolated value (rule 9).

Messages are sent with parse_mode HTML. Translated templates may contain our own tags; values
(names, committee names, anything a person typed) are always escaped here and nowhere else.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Term, Translator, translator
from bot.people.roles import ROLE_NAMES, ROLE_ORDER, Role
from handlers.fitting import MAX_MESSAGE, fit, free, unmarked

__all__ = ["MAX_MESSAGE", "Renderer", "esc", "fit", "free", "keyboard", "notice", "unmarked"]


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


# Every place that joins words takes its separators from the catalogue, so that Chinese output
# reads 甲、乙 and 名称（说明）, never "甲, 乙" or "名称 (说明)".
LIST = N_("{list}, {item}")
SERIES = N_("{list}; {item}")  # items that may hold a comma themselves (measures, speakers)
ASIDE = N_("{text} ({aside})")
LABEL = N_("{label}: {value}")


class Renderer:
    """Text in one locale. `r(msgid, **values)` translates, then fills escaped values."""

    def __init__(self, locale: str, zone: ZoneInfo) -> None:
        self.t: Translator = translator(locale)
        self.locale = locale
        self.zone = zone

    def __call__(self, msgid: str, **values: Any) -> str:
        """Long text values are marked as free text, which `fit` shortens first, so the
        status lines around them stay whole (handlers.fitting)."""
        return self.t.gettext(msgid).format(**{k: self._value(v) for k, v in values.items()})

    def _value(self, value: Any) -> str:
        value = self._term(value)
        return free(esc(value)) if isinstance(value, str) else esc(value)

    def plain(self, msgid: str, **values: Any) -> str:
        """Translated text for places without HTML (button labels, callback answers)."""
        return self.t.gettext(msgid).format(**{k: self._term(v) for k, v in values.items()})

    def _term(self, value: Any) -> Any:
        return self.t.gettext(value) if isinstance(value, Term) else value

    def plural(self, singular: str, plural: str, n: int, **values: Any) -> str:
        escaped = {k: esc(v) for k, v in values.items()}
        return self.t.ngettext(singular, plural, n).format(n=esc(self.t.number(n)), **escaped)

    def items(self, parts: Iterable[str], *, series: bool = False) -> str:
        """A list, plain (unescaped): "a, b, c" / "a、b、c"."""
        template = self.t.gettext(SERIES if series else LIST)
        joined: str | None = None
        for part in parts:
            joined = part if joined is None else template.format(list=joined, item=part)
        return joined or ""

    def aside(self, text: str, aside: str) -> str:
        """A word with its detail in brackets, plain: "name (role)" / "姓名（职务）"."""
        return self.t.gettext(ASIDE).format(text=text, aside=aside)

    def label(self, label: str, value: str) -> str:
        """A label and its value, plain: "Kind: value" / "类别：值"."""
        return self.t.gettext(LABEL).format(label=label, value=value)

    def role(self, role: Role, committee: str | None = None) -> str:
        """A role's name, plain (unescaped): pass it as a value to `r(...)`."""
        name = self.t.gettext(ROLE_NAMES[role])
        if role == Role.COMMITTEE_HEAD and committee:
            return self.t.gettext("{role} ({committee})").format(role=name, committee=committee)
        return name

    def standings(self, roles: frozenset[Role], committees: Sequence[str] = ()) -> list[str]:
        """Every standing of a person, plain, in the regulation's order. Administering the bot
        is no standing under the regulation: an administrator without a role of the regulation
        is a member as well (干部职工、管理员), not only an administrator."""
        parts: list[str] = []
        for role in ROLE_ORDER:
            if role not in roles or role == Role.ADMIN:
                continue
            if role == Role.COMMITTEE_HEAD and committees:
                parts.extend(self.role(role, c) for c in committees)
            else:
                parts.append(self.role(role))
        if not parts:
            parts.append(self.t.gettext("member"))
        if Role.ADMIN in roles:
            parts.append(self.role(Role.ADMIN))
        return parts

    def roles(self, roles: frozenset[Role], committees: Sequence[str] = ()) -> str:
        """All standings of a person, plain (unescaped), as one list."""
        return self.items(self.standings(roles, committees))


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
        by=p["by"], first_day=p["first_day"], last_day=p["last_day"],
    )  # fmt: skip
    if p.get("period_first"):
        said += "\n" + r("Records you may read: {first} to {last}.", first=p["period_first"],
                          last=p["period_last"])  # fmt: skip
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
    """Every outbox template: this module's and each workflow's (imported here, late, because
    the workflow modules build on this one)."""
    from handlers.briefing_render import NOTICES as BRIEFING_NOTICES
    from handlers.calendar_render import NOTICES as CALENDAR_NOTICES
    from handlers.chat_render import NOTICES as CHAT_NOTICES
    from handlers.event_render import NOTICES as EVENT_NOTICES
    from handlers.growth_render import NOTICES as GROWTH_NOTICES
    from handlers.incident_render import NOTICES as INCIDENT_NOTICES
    from handlers.lost_render import NOTICES as LOST_NOTICES

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
    return all_notices()[template](r, params)
