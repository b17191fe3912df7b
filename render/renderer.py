"""All user-facing text: gettext, then HTML escaping of every interpolated value
(rule 9 of docs/decisions/011-house-rules.md).

Messages are sent with parse_mode HTML. Translated templates may contain our own tags; values
(names, committee names, anything a person typed) are always escaped here and nowhere else.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Term, Translator, translator
from bot.people.roles import ROLE_NAMES, ROLE_ORDER, Role
from render.fitting import free


def esc(value: object) -> str:
    """`value` as text safe inside an HTML message."""
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
        status lines around them stay whole (render.fitting)."""
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
