"""Parameter checks shared by the methods, each refusing what Telegram refuses, in its words."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlparse

from standin.html_check import ParseError, parse_html, trim, utf16_length
from standin.model import JSONDict

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "web_app",
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """Answered as {"ok": false, "error_code": code, "description": …, "parameters": …}."""

    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad(description: str, **parameters: Any) -> ApiError:
    """A 400 Bad Request with Telegram's description."""
    return ApiError(400, f"Bad Request: {description}", **parameters)


def as_json(value: Any, what: str = "JSON object") -> Any:
    """Nested objects arrive JSON-encoded in form posts and as objects in JSON posts."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise bad(f"can't parse {what}") from None
    return value


def as_int(params: JSONDict, name: str) -> int:
    """The integer parameter `name`; 400 when it is empty or not a number."""
    if params.get(name) in (None, ""):
        raise bad(f"{name} is empty")
    try:
        return int(params[name])
    except (TypeError, ValueError):
        raise bad(f"invalid {name} specified") from None


def as_bool(params: JSONDict, name: str) -> bool:
    """Whether the parameter `name` is true, as Telegram reads booleans."""
    return str(params.get(name, "")).lower() in ("true", "1")


def formatted(
    params: JSONDict, key: str, *, caption: bool = False
) -> tuple[str, str, list[JSONDict]]:
    """(visible text, text as sent, entities) of `text` or `caption`, checked like Telegram."""
    raw = str(params.get(key) or "")
    mode = str(params.get("parse_mode") or "")
    entities: list[JSONDict]
    if mode.lower() == "html":
        try:
            shown, entities = parse_html(raw)
        except ParseError as exc:
            raise bad(f"can't parse entities: {exc}") from None
    elif mode and mode.lower() not in ("markdown", "markdownv2"):
        raise bad(f"unsupported parse_mode {mode!r}")
    else:  # Markdown is not checked; this bot speaks HTML
        shown = raw
        given = as_json(params.get(f"{key}_entities" if caption else "entities") or "[]")
        entities = [dict(e) for e in given] if isinstance(given, list) else []
    shown, entities = trim(shown, entities)
    if caption:
        if utf16_length(shown) > MAX_CAPTION:
            raise bad("message caption is too long")
    elif not shown:
        raise bad("message text is empty")
    elif utf16_length(shown) > MAX_TEXT:
        raise bad("message is too long")
    return shown, raw, entities


def reply_markup(params: JSONDict, *, inline_only: bool = False) -> JSONDict | None:
    """The reply_markup, if any, after Telegram's checks of inline keyboards."""
    value = params.get("reply_markup")
    if value in (None, ""):
        return None
    markup = as_json(value, "reply keyboard markup JSON object")
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if inline_only:
            raise bad("inline keyboard expected")
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad('can\'t parse inline keyboard button: field "inline_keyboard" must be an Array')
    if sum(len(row) for row in rows) > 100 or any(len(row) > 8 for row in rows):
        raise bad("reply markup is too long")
    for row in rows:
        for button in row:
            _check_button(button)
    return {"inline_keyboard": [[dict(b) for b in row] for row in rows if row]}


def _check_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    if not str(button.get("text") or "").strip():
        raise bad("can't parse inline keyboard button: Text must be non-empty")
    actions = [k for k in BUTTON_ACTIONS if k in button]
    if not actions:
        raise bad("text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad(
            "can't parse inline keyboard button: exactly one of "
            f"{', '.join(actions)} must be specified"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise bad('can\'t parse inline keyboard button: Field "callback_data" must be a String')
        if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad("BUTTON_DATA_INVALID")
    if "url" in button and not valid_button_url(str(button["url"])):
        raise bad("BUTTON_URL_INVALID")


def valid_button_url(url: str) -> bool:
    """Whether Telegram takes `url` for a button: http(s) with a host, or tg:."""
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https"):
        return bool(parsed.hostname) and " " not in url
    if parsed.scheme == "tg":
        return bool(parsed.netloc)
    return False


_COMMAND = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?!\w)")
_URL = re.compile(r"\bhttps?://[^\s<>\"]+")


def text_entities(text: str) -> list[JSONDict]:
    """The entities Telegram's clients attach to what a person types: commands, mentions, URLs."""
    found: list[JSONDict] = []
    for kind, pattern in (("bot_command", _COMMAND), ("mention", _MENTION), ("url", _URL)):
        for match in pattern.finditer(text):
            offset = utf16_length(text[: match.start()])
            found.append({"type": kind, "offset": offset, "length": utf16_length(match.group())})
    return sorted(found, key=lambda e: e["offset"])


def command_target(text: str) -> tuple[str, str | None] | None:
    """("/cmd", "botname" or None) when the text starts with a command."""
    match = _COMMAND.match(text)
    if match is None:
        return None
    command, _, target = match.group().partition("@")
    return command, target or None
