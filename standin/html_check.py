"""Telegram's HTML parse mode: the same tags, the same refusals, the same visible text.

`parse_html(html)` returns the text a reader sees and its MessageEntity dicts (UTF-16 offsets),
or raises ParseError with Telegram's wording (what follows "Bad Request: can't parse entities: ").
It follows the Bot API server's own parser (tdlib's parse_html), with one deliberate extra
strictness: an unknown named entity such as `&nbsp;` is refused (Telegram shows it as literal
text), and `<a>` needs href. A lone `&` stays text, as on Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
SPACE = " \t\n\r\f\v"


class ParseError(ValueError):
    """The HTML is refused; str(error) is Telegram's description after the prefix."""


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    order: int  # how many tags opened before this one: outer entities come first
    start: int  # UTF-16 offset in the visible text
    attrs: dict[str, str]


@dataclass
class _Parser:
    src: str
    i: int = 0
    out: list[str] = field(default_factory=list)
    units: int = 0
    stack: list[_Open] = field(default_factory=list)
    entities: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    opened: int = 0

    def byte(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def at(self, index: int) -> str:
        return self.src[index] if index < len(self.src) else ""

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.units += utf16_length(text)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        while self.i < len(self.src):
            ch = self.src[self.i]
            if ch == "&":
                decoded = self.entity(self.i)
                if decoded is None:
                    self.emit("&")
                    self.i += 1
                else:
                    self.emit(decoded[0])
                    self.i = decoded[1]
            elif ch == "<":
                self.tag()
            else:
                self.emit(ch)
                self.i += 1
        if self.stack:
            raise ParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        self.entities.sort(key=lambda e: (e[1]["offset"], -e[1]["length"], e[0]))
        return "".join(self.out), [entity for _, entity in self.entities]

    def entity(self, pos: int) -> tuple[str, int] | None:
        """(character, end) for an entity at pos, None for a literal "&"."""
        j = pos + 1
        if self.at(j) == "#":
            j += 1
            hexadecimal = self.at(j) in ("x", "X")
            j += hexadecimal
            digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
            begin = j
            while self.at(j) and self.at(j) in digits:
                j += 1
            if j == begin or j - begin > 8:
                return None
            code = int(self.src[begin:j], 16 if hexadecimal else 10)
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return None
            char = chr(code)
        else:
            begin = j
            while self.at(j).isascii() and self.at(j).isalpha():
                j += 1
            name = self.src[begin:j]
            if name not in NAMED:
                if name and self.at(j) == ";":
                    raise ParseError(
                        f'Unsupported HTML entity "&{name};" at byte offset {self.byte(pos)}'
                    )
                return None
            char = NAMED[name]
        return char, j + 1 if self.at(j) == ";" else j

    def skip_space(self) -> None:
        while self.at(self.i) and self.at(self.i) in SPACE:
            self.i += 1

    def tag(self) -> None:
        begin = self.i
        self.i += 1
        if self.at(self.i) == "/":
            self.end_tag(begin)
            return
        name_begin = self.i
        while self.at(self.i) and self.at(self.i) not in SPACE + ">":
            self.i += 1
        if not self.at(self.i):
            raise ParseError(f"Unclosed start tag at byte offset {self.byte(begin)}")
        name = self.src[name_begin : self.i].lower()
        if name not in ENTITY_TYPES:
            raise ParseError(f'Unsupported start tag "{name}" at byte offset {self.byte(begin)}')
        attrs = self.attributes(name, begin)
        self.check(name, attrs, begin)
        self.stack.append(_Open(name, self.opened, self.units, attrs))
        self.opened += 1

    def attributes(self, tag: str, begin: int) -> dict[str, str]:
        where = f'the tag "{tag}" at byte offset {self.byte(begin)}'
        attrs: dict[str, str] = {}
        while True:
            self.skip_space()
            if not self.at(self.i):
                raise ParseError(f"Unclosed start tag at byte offset {self.byte(begin)}")
            if self.at(self.i) == ">":
                self.i += 1
                return attrs
            name_begin = self.i
            while self.at(self.i) and self.at(self.i) not in SPACE + "=>":
                self.i += 1
            name = self.src[name_begin : self.i].lower()
            if not name:
                raise ParseError(f"Empty attribute name in {where}")
            self.skip_space()
            if tag == "blockquote" and name == "expandable" and self.at(self.i) != "=":
                attrs[name] = ""
                continue
            if self.at(self.i) != "=":
                raise ParseError(f"Expected equal sign in declaration of an attribute of {where}")
            self.i += 1
            self.skip_space()
            attrs.setdefault(name, self.attribute_value(where, begin))

    def attribute_value(self, where: str, begin: int) -> str:
        quote = self.at(self.i)
        if quote not in ("'", '"') or not quote:
            start = self.i
            while self.at(self.i) and (self.at(self.i).isalnum() or self.at(self.i) in ".-_"):
                self.i += 1
            if self.i == start:
                raise ParseError(f"Expected quotation mark in an attribute value of {where}")
            return self.src[start : self.i]
        self.i += 1
        value: list[str] = []
        while self.at(self.i) and self.at(self.i) != quote:
            decoded = self.entity(self.i) if self.at(self.i) == "&" else None
            if decoded is None:
                value.append(self.at(self.i))
                self.i += 1
            else:
                value.append(decoded[0])
                self.i = decoded[1]
        if not self.at(self.i):
            raise ParseError(f"Unclosed start tag at byte offset {self.byte(begin)}")
        self.i += 1
        return "".join(value)

    def check(self, tag: str, attrs: dict[str, str], begin: int) -> None:
        offset = self.byte(begin)
        if tag == "a" and not attrs.get("href"):
            raise ParseError(f'Can\'t find href attribute in tag "a" at byte offset {offset}')
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise ParseError(f"Invalid custom emoji identifier specified at byte offset {offset}")

    def end_tag(self, begin: int) -> None:
        if not self.stack:
            raise ParseError(f"Unexpected end tag at byte offset {self.byte(begin)}")
        self.i += 1
        name_begin = self.i
        while self.at(self.i) and self.at(self.i) not in SPACE + ">":
            self.i += 1
        name = self.src[name_begin : self.i].lower()
        self.skip_space()
        if self.at(self.i) != ">":
            raise ParseError(f"Unclosed end tag at byte offset {self.byte(begin)}")
        self.i += 1
        top = self.stack[-1]
        if name and name != top.tag:
            raise ParseError(
                f"Unmatched end tag at byte offset {self.byte(begin)}, "
                f'expected "</{top.tag}>", found "</{name}>"'
            )
        self.stack.pop()
        self.close(top)

    def close(self, opened: _Open) -> None:
        length = self.units - opened.start
        if length == 0:
            return
        entity: dict[str, Any] = {
            "type": ENTITY_TYPES[opened.tag],
            "offset": opened.start,
            "length": length,
        }
        language = opened.attrs.get("class", "")
        if opened.tag == "a":
            entity["url"] = opened.attrs["href"]
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.attrs["emoji-id"]
        elif opened.tag == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "code" and language.startswith("language-"):
            parent = self.stack[-1] if self.stack else None
            if parent is not None and parent.tag == "pre" and parent.start == opened.start:
                parent.attrs["language"] = language.removeprefix("language-")
                return  # Telegram folds <pre><code class="language-x"> into one pre entity
        if opened.tag == "pre" and opened.attrs.get("language"):
            entity["language"] = opened.attrs["language"]
        self.entities.append((opened.order, entity))


def parse_html(html: str) -> tuple[str, list[dict[str, Any]]]:
    """(visible text, entities) of an HTML-formatted text; ParseError where Telegram refuses."""
    return _Parser(html).run()


def visible_text(html: str) -> str:
    """The text a reader sees of Telegram HTML (the tags gone, the entities decoded)."""
    return parse_html(html)[0]


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Telegram strips leading and trailing white space; entities move and shrink with it."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_length(text[: len(text) - len(text.lstrip())])
    size = utf16_length(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(size, entity["offset"] + entity["length"] - lead)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept
