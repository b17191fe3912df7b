"""Telegram's HTML parse mode, as strict as Telegram: the same tags, the same refusals.

`visible_text(html)` returns the text a reader sees, or raises ParseError with the wording
Telegram uses after "Bad Request: can't parse entities: ".
"""

from __future__ import annotations

import re

ALLOWED = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "span", "tg-spoiler", "tg-emoji", "blockquote",
}  # fmt: skip
ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^>]*)?)\s*(/?)>")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")


class ParseError(ValueError):
    pass


def _byte_offset(html: str, index: int) -> int:
    return len(html[:index].encode("utf-8"))


def _check_attributes(name: str, attrs: str, offset: int) -> None:
    if name == "a" and "href" not in attrs:
        raise ParseError(f'Can\'t find href attribute in tag "a" at byte offset {offset}')
    if name == "span" and 'class="tg-spoiler"' not in attrs.replace("'", '"'):
        raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if name == "tg-emoji" and "emoji-id" not in attrs:
        raise ParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}')


def _decode_entity(match: re.Match[str], offset: int) -> str:
    body = match.group(1)
    if body.startswith("#x"):
        return chr(int(body[2:], 16))
    if body.startswith("#"):
        return chr(int(body[1:]))
    if body in ENTITIES:
        return ENTITIES[body]
    raise ParseError(f'Unsupported HTML entity "&{body};" at byte offset {offset}')


def visible_text(html: str) -> str:
    """The text without tags and with entities decoded; ParseError where Telegram refuses."""
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    i = 0
    while i < len(html):
        ch = html[i]
        if ch == "<":
            match = _TAG.match(html, i)
            offset = _byte_offset(html, i)
            if match is None:
                raise ParseError(f"Unexpected end of name token at byte offset {offset}")
            closing, name, attrs, _ = match.groups()
            name = name.lower()
            if name not in ALLOWED:
                kind = "end" if closing else "start"
                raise ParseError(f'Unsupported {kind} tag "{name}" at byte offset {offset}')
            if closing:
                if not stack or stack[-1][0] != name:
                    raise ParseError(
                        f"Unmatched end tag at byte offset {offset}, expected "
                        f'"</{stack[-1][0] if stack else ""}>", found "</{name}>"'
                    )
                stack.pop()
            else:
                _check_attributes(name, attrs, offset)
                stack.append((name, offset))
            i = match.end()
        elif ch == "&":
            match = _ENTITY.match(html, i)
            if match is None:
                out.append("&")  # a lone "&" followed by no entity is kept as text
                i += 1
                continue
            out.append(_decode_entity(match, _byte_offset(html, i)))
            i = match.end()
        elif ch == ">":
            out.append(">")
            i += 1
        else:
            out.append(ch)
            i += 1
    if stack:
        name, _offset = stack[-1]
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
    return "".join(out)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
