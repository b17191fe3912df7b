"""The bot's profile, as strict as the specification: its texts (setMyDescription and
setMyShortDescription, per language: 0-512 and 0-120 characters, a two-letter language code or
none), its command menus per scope and language (setMyCommands …) and its menu button."""

from __future__ import annotations

import re

from standin.checks import as_int, as_json, bad
from standin.html_check import utf16_length
from standin.model import JSONDict
from standin.world import World

_LANGUAGE = re.compile(r"^([a-z]{2})?$")  # ISO 639-1, or empty for everyone else
DESCRIPTION_LIMITS = {"description": 512, "short_description": 120}


def _language(p: JSONDict) -> str:
    language = str(p.get("language_code") or "")
    if not _LANGUAGE.match(language):
        raise bad("LANG_CODE_INVALID")
    return language


def set_description(world: World, p: JSONDict, field: str) -> bool:
    """0-512 (description) or 0-120 (short_description) characters; empty removes the text
    for that language."""
    text, limit = str(p.get(field) or ""), DESCRIPTION_LIMITS[field]
    if utf16_length(text) > limit:
        raise bad(f"{field} must be 0-{limit} characters")
    key = (field, _language(p))
    if text:
        world.descriptions[key] = text
    else:
        world.descriptions.pop(key, None)
    return True


def get_description(world: World, p: JSONDict, field: str) -> JSONDict:
    """The language's own text, else the one for everybody (as Telegram falls back)."""
    own = world.descriptions.get((field, _language(p)))
    return {field: own if own is not None else world.descriptions.get((field, ""), "")}


COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


def _scope_key(p: JSONDict) -> tuple[str, str]:
    scope = as_json(p.get("scope") or '{"type": "default"}', "bot command scope")
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad("can't parse bot command scope")
    key = str(scope["type"])
    for part in ("chat_id", "user_id"):
        if part in scope:
            key += f":{scope[part]}"
    return key, str(p.get("language_code") or "")


def set_my_commands(world: World, p: JSONDict) -> bool:
    """setMyCommands: the command menu for a scope and language, checked as Telegram does."""
    commands = as_json(p.get("commands") or "[]", "bot commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad("commands must be an array of at most 100 BotCommand")
    for c in commands:
        if not COMMAND_NAME.match(str(c.get("command", ""))):
            raise bad("BOT_COMMAND_INVALID")
        if not 1 <= len(str(c.get("description", "")).strip()) <= 256:
            raise bad("command description must be 1-256 characters")
    world.commands[_scope_key(p)] = [(c["command"], c["description"]) for c in commands]
    return True


def get_my_commands(world: World, p: JSONDict) -> list[JSONDict]:
    """getMyCommands: the command menu of a scope and language."""
    return [{"command": c, "description": d} for c, d in world.commands.get(_scope_key(p), [])]


def delete_my_commands(world: World, p: JSONDict) -> bool:
    """deleteMyCommands: the menu of a scope and language removed."""
    world.commands.pop(_scope_key(p), None)
    return True


def set_chat_menu_button(world: World, p: JSONDict) -> bool:
    """setChatMenuButton: the menu button of a chat, or the default one."""
    chat_id = as_int(p, "chat_id") if p.get("chat_id") else None
    button = as_json(p.get("menu_button") or '{"type": "default"}', "menu button")
    world.menu_buttons[chat_id] = button
    return True


def get_chat_menu_button(world: World, p: JSONDict) -> JSONDict:
    """getChatMenuButton: the chat's menu button, else the default one."""
    chat_id = as_int(p, "chat_id") if p.get("chat_id") else None
    fallback = world.menu_buttons.get(None, {"type": "commands"})
    return world.menu_buttons.get(chat_id, fallback)
