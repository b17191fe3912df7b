"""Fitting a message into Telegram's 4,096 characters: the free text gives way, the lines that
say what happened ("Submitted as INC-…", a status, a deadline) stay whole.

Free text (a value a person typed, longer than a label) is marked where it is put into a message
(`free`, called by the Renderer for every long value); `fit` shortens the marked parts, the
longest first and all to the same length, so that the message fits. Only when the rest alone is
too long is the message cut at its end. The marks are two Unicode noncharacters, which never
come from a person (bot.freetext removes them from what is typed) and never leave: `fit` (or
`unmarked`) takes them out of everything sent.
"""

from __future__ import annotations

import html
import re

# Telegram refuses a message longer than 4096 characters (UTF-16 units, after the HTML is
# parsed). Free text may be 2,000 characters per field, so a card can exceed it: it is then
# shortened (the record keeps everything), never refused and lost.
MAX_MESSAGE = 4096
OPEN, CLOSE = "\ufdd0", "\ufdd1"
SHORT = 64  # a value this long or shorter is a name, a reference or a label: never shortened
_MARKS = re.compile(f"[{OPEN}{CLOSE}]")
_TAG = re.compile(r"<[^>]+>")
_TOKEN = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>|&#?\w+;|[\s\S]")
_TEXT_TOKEN = re.compile(r"&#?\w+;|[\s\S]")


def free(escaped: str) -> str:
    """An escaped value marked as free text `fit` may shorten (when it is long)."""
    return f"{OPEN}{escaped}{CLOSE}" if len(escaped) > SHORT else escaped


def unmarked(text: str) -> str:
    """`text` without the free-text marks (`free`), as it may be sent."""
    return _MARKS.sub("", text)


def plain_text(text: str) -> str:
    """A message as its reader sees it, for where no HTML is taken (a press's answer, a
    document): the tags and the free-text marks gone, the entities as characters."""
    return html.unescape(_TAG.sub("", unmarked(text)))


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _token_units(token: str) -> int:
    return 1 if token.startswith("&") and len(token) > 1 else _units(token)


def visible_units(html: str) -> int:
    """What Telegram counts: tags nothing, an entity one character, the rest in UTF-16 units."""
    return sum(0 if m.group(2) else _token_units(m.group(0)) for m in _TOKEN.finditer(html))


def fit(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` (our HTML) within `limit` visible characters, without marks: its free text
    shortened first, or else cut at the end; tags closed, "…" where something was left out."""
    plain = unmarked(text)
    if _units(plain) <= limit or visible_units(plain) <= limit:
        return plain
    if OPEN in text:
        shortened = _shorten_free(text, limit)
        if shortened is not None:
            return shortened
    return _cut(plain, limit)


def _split(text: str) -> tuple[list[str], list[str]]:
    """The parts outside marks and the marked parts between them (inner marks dropped):
    text = fixed[0] + spans[0] + fixed[1] + … + fixed[-1]."""
    fixed, spans, current, depth = [""], list[str](), list[str](), 0
    for part in re.split(f"([{OPEN}{CLOSE}])", text):
        if part == OPEN:
            depth += 1
            if depth == 1:
                fixed[-1] += "".join(current)
                current = []
        elif part == CLOSE:
            if depth == 1:
                spans.append("".join(current))
                fixed.append("")
                current = []
            depth = max(0, depth - 1)
        else:
            current.append(part)
    fixed[-1] += "".join(current)
    return fixed, spans


def _shorten_free(text: str, limit: int) -> str | None:
    fixed, spans = _split(text)
    lengths = [visible_units(s) for s in spans]
    budget = limit - sum(visible_units(f) for f in fixed)

    def total(cap: int) -> int:  # a shortened span ends with "…"
        return sum(n if n <= cap else cap + 1 for n in lengths)

    if total(0) > budget:
        return None
    low, high = 0, max(lengths)
    while low < high:  # the largest cap that fits
        mid = (low + high + 1) // 2
        low, high = (mid, high) if total(mid) <= budget else (low, mid - 1)
    parts = [fixed[0]]
    for span, n, after in zip(spans, lengths, fixed[1:], strict=True):
        parts += [span if n <= low else _first(span, low) + "…", after]
    return "".join(parts)


def _first(escaped: str, units: int) -> str:
    """The beginning of escaped text (no tags), at most `units` visible characters."""
    count = 0
    for match in _TEXT_TOKEN.finditer(escaped):
        count += _token_units(match.group(0))
        if count > units:
            return escaped[: match.start()]
    return escaped


def _cut(text: str, limit: int) -> str:
    """`text` cut at its end to `limit - 1` visible characters and "…", open tags closed."""
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
        units = _token_units(match.group(0))
        if count + units > limit - 1:
            closing_tags = "".join(f"</{t}>" for t in reversed(stack))
            return text[: match.start()] + "…" + closing_tags
        count += units
    return text


def split(blocks: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Blocks (each whole HTML: no tag open across two) packed into as few messages as fit
    `limit`, in order: a long record is sent in several messages rather than cut. A block
    too long for one message goes line by line; only a single line too long is shortened."""
    messages: list[str] = []
    current = ""

    def add(part: str) -> None:
        nonlocal current
        joined = f"{current}\n{part}" if current else part
        if visible_units(unmarked(joined)) <= limit:
            current = joined
            return
        if current:
            messages.append(current)
        current = part

    for block in blocks:
        if visible_units(unmarked(block)) <= limit:
            add(block)
            continue
        for line in block.split("\n"):
            add(line if visible_units(unmarked(line)) <= limit else fit(line, limit))
    if current:
        messages.append(current)
    return [fit(m.strip("\n"), limit) for m in messages]
