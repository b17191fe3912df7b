"""Catalogues: every message translated into Chinese, placeholders intact; language mapping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import normalize_language, translator

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?(\w+)")
# The same keywords as `make translations`: r(...), r.plain(...), r.plural(...), N_(...).
EXTRA_KEYWORDS = {"N_": None, "r": None, "plain": None, "plural": (1, 2)}
BABEL_CFG = [
    line.strip()
    for line in (ROOT / "babel.cfg").read_text().splitlines()
    if line.startswith("[python:")
]


def catalog(locale: str):  # type: ignore[no-untyped-def]
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def messages(locale: str) -> list[tuple[str, str, bool]]:
    out = []
    for m in catalog(locale):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        out.extend((ids[min(i, len(ids) - 1)], s, m.fuzzy) for i, s in enumerate(strs))
    return out


def test_every_message_has_a_chinese_translation() -> None:
    missing = [mid for mid, s, fuzzy in messages("zh_CN") if not s or fuzzy]
    assert missing == [], f"untranslated or fuzzy in zh_CN: {missing}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_placeholders_and_tags_match_the_msgid(locale: str) -> None:
    for mid, s, _ in messages(locale):
        if not s:
            continue
        assert set(PLACEHOLDER.findall(s)) == set(PLACEHOLDER.findall(mid)), (mid, s)
        assert sorted(TAG.findall(s)) == sorted(TAG.findall(mid)), (mid, s)


def test_catalogue_is_in_step_with_the_code() -> None:
    """A msgid in the code but not in the catalogue would silently show in English."""
    keywords = {**DEFAULT_KEYWORDS, **EXTRA_KEYWORDS}
    method_map = [(line.strip("[]").split(": ")[1], "python") for line in BABEL_CFG]
    in_code = {
        msg[2] if isinstance(msg[2], str) else msg[2][0]
        for msg in extract_from_dir(ROOT, method_map, keywords=keywords)
    }
    assert "Secretary" in in_code and len(in_code) > 50  # the extraction itself works
    assert "‹ Back" in in_code  # handlers/common.py is read to its end (Babel 2.19)
    translated = {mid for mid, _, _ in messages("zh_CN")}
    assert in_code - translated == set(), "run `make translations`, then translate"


def test_chinese_is_served() -> None:
    assert translator("zh_CN").gettext("Secretary") == "党组书记"
    assert translator("en").gettext("Secretary") == "Secretary"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh", "zh_CN"),
        ("zh-hans", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("zh_TW", "zh_CN"),
        ("zh-hant", "zh_CN"),
        ("en", "en"),
        ("en-GB", "en"),
        ("ru", "zh_CN"),
        (None, "zh_CN"),
        ("", "zh_CN"),
    ],
)
def test_telegram_language_codes_map_to_our_locales(code: str | None, expected: str) -> None:
    assert normalize_language(code, "zh_CN") == expected


def test_unknown_language_uses_configured_default() -> None:
    assert normalize_language("de", "en") == "en"
