"""The Bot API methods the stand-in implements, each as strict as Telegram where it matters."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from bot.sandbox.html_check import ParseError, utf16_length, visible_text
from bot.sandbox.model import Chat, Message

if TYPE_CHECKING:
    from bot.sandbox.standin import StandIn

MAX_TEXT = 4096
MAX_CAPTION = 1024


class ApiError(Exception):
    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad(description: str, **parameters: Any) -> ApiError:
    return ApiError(400, f"Bad Request: {description}", **parameters)


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise bad("can't parse JSON object") from None
    return value


def _int(params: dict[str, Any], name: str) -> int:
    try:
        return int(params[name])
    except (KeyError, TypeError, ValueError):
        raise bad(f"{name} is empty" if name not in params else f"invalid {name}") from None


def _text(params: dict[str, Any], key: str, limit: int, empty: str | None) -> tuple[str, str]:
    """(visible text, raw html) after Telegram's checks."""
    raw = str(params.get(key, "") or "")
    if params.get("parse_mode", "").lower() == "html":
        try:
            shown = visible_text(raw)
        except ParseError as exc:
            raise bad(f"can't parse entities: {exc}") from None
    elif params.get("parse_mode"):
        shown = raw  # MarkdownV2 is not used by this bot; accept it as plain
    else:
        shown = raw
    if empty is not None and not shown.strip():
        raise bad(empty)
    if utf16_length(shown) > limit:
        raise bad("message is too long" if key == "text" else "message caption is too long")
    return shown, raw


def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
    if "reply_markup" not in params or params["reply_markup"] in (None, ""):
        return None
    markup = _json(params["reply_markup"])
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not str(button.get("text", "")).strip():
                raise bad("text buttons are unallowed in the inline keyboard")
            kinds = [k for k in ("callback_data", "url", "switch_inline_query") if k in button]
            if len(kinds) != 1:
                raise bad("can't parse inline keyboard button: exactly one action is required")
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode("utf-8"))
                if not 1 <= size <= 64:
                    raise bad("BUTTON_DATA_INVALID")
            if "url" in button and urlparse(button["url"]).scheme not in ("http", "https", "tg"):
                raise bad("inline keyboard button URL is invalid")
    return markup


def target_chat(standin: StandIn, params: dict[str, Any]) -> Chat:
    """The chat a send goes to, refusing exactly as Telegram refuses."""
    chat_id = _int(params, "chat_id")
    chat = standin.chats.get(chat_id)
    if chat is None:
        raise bad("chat not found")
    if chat.migrated_to is not None:
        raise bad(
            "group chat was upgraded to a supergroup chat", migrate_to_chat_id=chat.migrated_to
        )
    if chat.type == "private":
        user = standin.users[chat.id]
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not user.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
    elif not chat.bot_member:
        raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
    retry = standin.faults.take_flood(chat.id)
    if retry is not None:
        raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
    return chat


def send_message(standin: StandIn, p: dict[str, Any]) -> dict[str, Any]:
    shown, raw = _text(p, "text", MAX_TEXT, "message text is empty")
    markup = _markup(p)
    chat = target_chat(standin, p)
    reply_to = _reply_to(p)
    msg = standin.store(Message(next(chat.next_id), chat.id, True, standin.bot_id, shown, raw,
                                markup, reply_to=reply_to))  # fmt: skip
    return standin.message_json(msg)


def _reply_to(p: dict[str, Any]) -> int | None:
    if "reply_parameters" in p:
        return int(_json(p["reply_parameters"]).get("message_id", 0)) or None
    return int(p["reply_to_message_id"]) if p.get("reply_to_message_id") else None


def _own_message(standin: StandIn, p: dict[str, Any]) -> Message:
    chat_id, message_id = _int(p, "chat_id"), _int(p, "message_id")
    msg = standin.find(chat_id, message_id)
    if msg is None:
        raise bad("message to edit not found")
    if not msg.from_bot:
        raise bad("message can't be edited")
    return msg


NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def edit_message_text(standin: StandIn, p: dict[str, Any]) -> dict[str, Any]:
    shown, raw = _text(p, "text", MAX_TEXT, "message text is empty")
    markup = _markup(p)  # absent: the keyboard is removed, as Telegram does
    msg = _own_message(standin, p)
    if raw == msg.html and shown == msg.text and markup == msg.markup:
        raise bad(NOT_MODIFIED)
    msg.edits.append(msg.text)
    msg.text, msg.html, msg.markup = shown, raw, markup
    standin.notify(msg)
    return standin.message_json(msg)


def edit_message_reply_markup(standin: StandIn, p: dict[str, Any]) -> dict[str, Any]:
    markup = _markup(p)
    msg = _own_message(standin, p)
    if markup == msg.markup:
        raise bad(NOT_MODIFIED)
    msg.edits.append(msg.text)
    msg.markup = markup
    standin.notify(msg)
    return standin.message_json(msg)


def delete_message(standin: StandIn, p: dict[str, Any]) -> bool:
    chat_id, message_id = _int(p, "chat_id"), _int(p, "message_id")
    msg = standin.find(chat_id, message_id)
    if msg is None:
        raise bad("message to delete not found")
    standin.chat_messages[chat_id].remove(msg)
    return True


def answer_callback_query(standin: StandIn, p: dict[str, Any]) -> bool:
    query_id = str(p.get("callback_query_id", ""))
    issued = standin.queries.pop(query_id, None)
    if issued is None or standin.now() - issued > standin.query_max_age:
        raise bad("query is too old and response timeout expired or query ID is invalid")
    text = p.get("text")
    if text is not None and utf16_length(str(text)) > 200:
        raise bad("MESSAGE_TOO_LONG")
    show_alert = str(p.get("show_alert", "")).lower() in ("true", "1")
    standin.answers.append((query_id, text, show_alert))
    return True


def set_my_commands(standin: StandIn, p: dict[str, Any]) -> bool:
    commands = _json(p.get("commands", "[]"))
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad("commands must be a list of at most 100 commands")
    for c in commands:
        name, desc = str(c.get("command", "")), str(c.get("description", ""))
        if not ((1 <= len(name) <= 32 and name.islower()) or name.isdigit()) or not all(
            ch.isalnum() or ch == "_" for ch in name
        ):
            raise bad("BOT_COMMAND_INVALID")
        if not 1 <= len(desc) <= 256:
            raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
    scope = _json(p.get("scope") or '{"type": "default"}')
    key = (str(scope.get("type", "default")), str(p.get("language_code") or ""))
    standin.commands[key] = [(c["command"], c["description"]) for c in commands]
    return True


def get_my_commands(standin: StandIn, p: dict[str, Any]) -> list[dict[str, str]]:
    scope = _json(p.get("scope") or '{"type": "default"}')
    key = (str(scope.get("type", "default")), str(p.get("language_code") or ""))
    return [{"command": c, "description": d} for c, d in standin.commands.get(key, [])]


def send_file(standin: StandIn, p: dict[str, Any], kind: str) -> dict[str, Any]:
    caption, raw = _text(p, "caption", MAX_CAPTION, None)
    markup = _markup(p)
    chat = target_chat(standin, p)
    value = p.get(kind)
    if value is None:
        raise bad(f"there is no {kind} in the request")
    if isinstance(value, tuple):  # (filename, bytes) uploaded as multipart
        file_id = standin.add_file(value[1], value[0])
    elif str(value) in standin.files:
        file_id = str(value)
    else:
        raise bad("wrong file identifier/HTTP URL specified")
    msg = Message(next(chat.next_id), chat.id, True, standin.bot_id, caption, raw, markup)
    msg.caption = caption
    info = standin.file_json(file_id)
    if kind == "photo":
        msg.photo = [{**info, "width": 800, "height": 600}]
    else:
        msg.document = {**info, "file_name": standin.file_names.get(file_id, "file")}
    return standin.message_json(standin.store(msg))


def get_file(standin: StandIn, p: dict[str, Any]) -> dict[str, Any]:
    file_id = str(p.get("file_id", ""))
    if file_id not in standin.files:
        raise bad("invalid file_id")
    return {**standin.file_json(file_id), "file_path": f"documents/{file_id}"}


def get_chat(standin: StandIn, p: dict[str, Any]) -> dict[str, Any]:
    chat = standin.chats.get(_int(p, "chat_id"))
    if chat is None:
        raise bad("chat not found")
    return chat.as_json(standin.users)
