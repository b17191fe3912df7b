"""The zh_CN catalogue speaks the glossary's words (docs/glossary.zh.md): one Chinese word per
concept, full-width punctuation, no space between a Chinese word and a placeholder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.zh.md"
CATALOGUE = ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / "messages.po"

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"
TAG = re.compile(r"</?\w+[^>]*>")
# A command to type, quoted (“/acting @用户名 {first} {last}”), keeps the spaces it needs.
COMMAND = re.compile(r"“/[^”]*”")
# A word of the "not" column that is also an ordinary word elsewhere ("请确认" is "please
# confirm", "通过 /meeting" is "with /meeting", "@用户名" is "@username") is banned only where
# the English msgid speaks of the glossary's concept.
ONLY_WHERE = {
    "确认": r"acknowledg",
    "接收": r"acknowledg",
    "同意": r"approv",
    "通过": r"approv|\bforward\b(?!-)",
    "违规": r"laps",
    "撤销": r"withdr",
    "报告人": r"speaker",
    "负责人": r"handl|pull",
    "成员": r"(?<!/)\bmembers?\b",
    "用户": r"(?<!/)\bmembers?\b",
    "关闭": r"\bclos",
}
# Count words: an incident is counted with 起, an event request with 项, a meeting with 次.
COUNTED = r"incident|event|meeting|review|session|quarter|period|information report"
WRONG_COUNT_WORD = re.compile(r"(?:\d|\})\s*(?:件|场)|(?:\d|\})\s*个(?!字符)")
# The secretary and the deputy in full: 党组书记, 党组副书记.
BARE_SECRETARY = re.compile(r"(?<!党组)(?<!党组副)(?<!副)书记|(?<!党组)副书记")
WESTERN = re.compile(r"[,;?!()]|(?<!\d):|:(?!\d)")
SPACED_PLACEHOLDER = re.compile(rf"{HAN}[ \t]+\{{|\}}[ \t]+{HAN}")


class Term(NamedTuple):
    word: str
    qualified: bool  # the glossary adds a note ("撤销 (that is for roles)")


class Row(NamedTuple):
    concept: str
    use: list[str]
    banned: list[Term]


def _split(cell: str) -> list[str]:
    """`a, b (x, y), c` -> [a, b (x, y), c]: commas inside brackets do not split."""
    items, depth, current = [], 0, ""
    for ch in cell:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += ch
    items.append(current.strip())
    return [i for i in items if i]


def glossary() -> list[Row]:
    lines = GLOSSARY.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|---"))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("|"):
            break
        concept, use, banned, _note = (c.strip() for c in line.strip("|").split("|"))
        words = [w.split(" (")[0].strip() for w in re.split(r" / |, ", use) if w.strip()]
        terms = []
        for item in _split(banned):
            word = re.split(r" \(| alone| when", item)[0].strip()
            terms.append(Term(word, qualified=word != item))
        rows.append(Row(concept, [w for w in words if w], terms))
    return rows


def translations() -> list[tuple[str, str]]:
    with CATALOGUE.open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    out = []
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        out.extend((" ".join(ids), s) for s in strs if s)
    return out


def _mask(text: str, words: list[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "□")
    return text


def test_the_glossary_table_is_read() -> None:
    rows = glossary()
    assert len(rows) >= 30
    banned = {t.word for row in rows for t in row.banned}
    assert {"签收", "主讲人"} <= banned | {w for row in rows for w in row.use}
    # Every word this test treats by context is one the glossary bans.
    assert set(ONLY_WHERE) <= banned, set(ONLY_WHERE) - banned


# Words of other concepts that contain a banned one: Telegram's 用户名 (username) is not the
# office's member (干部职工), nor is a member of an inspection group (检查组成员, R7).
OTHER_CONCEPTS = ["用户名", "检查组成员"]


def _applies(term: Term, mid: str) -> bool:
    """Whether a banned word is looked for in this message: a word banned only in some
    contexts, where its msgid is of that context; else a Chinese word, not only qualified."""
    if term.word in ONLY_WHERE:
        return bool(re.search(ONLY_WHERE[term.word], mid, re.IGNORECASE))
    return not term.qualified and bool(re.search(HAN, term.word))


def _holds(term: Term, s: str, use: list[str]) -> bool:
    """Whether the translation `s` holds the banned word (a placeholder in it matches any)."""
    if "{" in term.word:
        return bool(re.search(re.escape(term.word).replace(r"\{n\}", r"\{\w+\}"), s))
    # 确认 is banned, 确认接报 is the word: mask the words that contain a banned one.
    return term.word in _mask(s, [w for w in use if term.word in w])


def test_no_banned_synonym_in_any_msgstr() -> None:
    rows = glossary()
    use = [w for row in rows for w in row.use if "{" not in w] + OTHER_CONCEPTS
    terms = [t for row in rows if "count word" not in row.concept for t in row.banned]
    found = []  # (the count words follow a number: below)
    for mid, s in translations():
        found += [(t.word, mid, s) for t in terms if _applies(t, mid) and _holds(t, s, use)]
        if re.search(COUNTED, mid, re.IGNORECASE) and WRONG_COUNT_WORD.search(s):
            found.append(("件/个/场", mid, s))
        if BARE_SECRETARY.search(s):
            found.append(("书记", mid, s))
    assert found == [], "\n".join(" | ".join(f) for f in found)


@pytest.mark.parametrize(("mid", "s"), translations())
def test_chinese_punctuation_is_full_width(mid: str, s: str) -> None:
    text = COMMAND.sub("", TAG.sub("", s))
    assert not WESTERN.search(text), f"Western punctuation in {s!r}"
    assert not SPACED_PLACEHOLDER.search(text), f"space beside a placeholder in {s!r}"


def test_a_quoted_command_keeps_its_spaces() -> None:
    acting = dict(translations())[
        "Send /acting @username {first} {last} to name who decides on events while you are "
        "away, for those days."
    ]
    assert "“/acting @用户名 {first} {last}”" in acting
