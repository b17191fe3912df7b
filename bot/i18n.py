"""Translations (gettext catalogues in `locales/`) and locale-aware formatting (Babel).

Rule 7 of docs/decisions/011-house-rules.md: the locale is resolved per update and passed
explicitly, never kept in a context variable. Messages are English msgids with named
`{placeholders}`; `N_` marks a msgid for extraction where the text is translated later (role
names, error keys, command descriptions).
"""

from __future__ import annotations

import gettext
import io
import logging
from datetime import date, datetime, tzinfo
from functools import cache
from importlib import resources

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from babel.support import Translations

log = logging.getLogger(__name__)

DOMAIN = "messages"
LOCALES = ("zh_CN", "en")


def N_(message: str) -> str:
    """Mark a msgid for extraction without translating it now."""
    return message


class Term(str):
    """A msgid passed as a parameter of another message (a field's name in an error): the
    renderer translates it before it fills it in."""

    __slots__ = ()


def normalize_language(code: str | None, default: str) -> str:
    """Map Telegram's optional `language_code` (zh, zh-hans, zh-CN, zh_TW, en-GB…) to a locale.

    Babel does not do this by itself and would silently fall back to English
    (docs/decisions/001-telegram-limits.md).
    Every Chinese variant gets zh_CN: it is the only Chinese catalogue, and a reader of
    traditional characters is better served by it than by English.
    """
    if not code:
        return default
    primary = code.replace("_", "-").split("-")[0].lower()
    if primary == "zh":
        return "zh_CN"
    if primary == "en":
        return "en"
    return default


class Translator:
    """Translations and formatting for one locale."""

    def __init__(self, locale: str, translations: gettext.NullTranslations) -> None:
        self.locale = locale
        self.babel_locale = Locale.parse(locale)
        self._t = translations

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def datetime(self, value: datetime, zone: tzinfo) -> str:
        """A moment in the organisation's zone: 2026年11月24日 10:00 / November 24, 2026 10:00."""
        local = value.astimezone(zone)
        day = format_date(local.date(), "long", locale=self.babel_locale)
        return f"{day} {format_skeleton('Hm', local, locale=self.babel_locale)}"

    def date(self, value: date) -> str:
        return format_date(value, "long", locale=self.babel_locale)

    def number(self, value: float) -> str:
        return str(format_decimal(value, locale=self.babel_locale))


def _load(locale: str) -> gettext.NullTranslations:
    """Load a compiled catalogue; in a source checkout without .mo files, compile the .po."""
    base = resources.files("locales") / locale / "LC_MESSAGES"
    mo = base / f"{DOMAIN}.mo"
    if mo.is_file():
        return Translations(io.BytesIO(mo.read_bytes()), domain=DOMAIN)
    po = base / f"{DOMAIN}.po"
    if po.is_file():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        catalog = read_po(io.BytesIO(po.read_bytes()), locale=locale)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        log.debug("compiled %s catalogue in memory (no .mo found)", locale)
        return Translations(buf, domain=DOMAIN)
    log.warning("no catalogue for %s: messages will be shown in English", locale)
    return gettext.NullTranslations()


@cache
def translator(locale: str) -> Translator:
    """The Translator for a supported locale (catalogues are read once per process)."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}")
    return Translator(locale, _load(locale))
