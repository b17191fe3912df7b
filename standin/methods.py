"""The Bot API methods the stand-in implements, each as strict as Telegram where it matters.

Each handler takes the world and the request's parameters and returns the `result`, or raises
ApiError. Methods of the specification that are not here are answered `true` (see standin.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standin.chats import (
    find_chat,
    get_chat,
    get_chat_administrators,
    get_chat_member,
    get_chat_member_count,
    leave_chat,
)
from standin.checks import (
    NOT_MODIFIED,
    ApiError,
    as_bool,
    as_int,
    as_json,
    bad,
    formatted,
    reply_markup,
)
from standin.html_check import utf16_length
from standin.model import Answer, Chat, JSONDict, Message
from standin.profile import (
    delete_my_commands,
    get_chat_menu_button,
    get_description,
    get_my_commands,
    set_chat_menu_button,
    set_description,
    set_my_commands,
)
from standin.world import World

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def writable_chat(world: World, params: JSONDict, *, flood: bool = True) -> Chat:
    """The chat a send goes to, refused exactly as Telegram refuses."""
    chat = find_chat(world, params)
    if chat.migrated_to is not None:
        raise bad(
            "group chat was upgraded to a supergroup chat", migrate_to_chat_id=chat.migrated_to
        )
    if chat.type == "private":
        user = world.users[chat.id]
        if user.deleted:
            raise ApiError(403, "Forbidden: user is deactivated")
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not user.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
    elif chat.bot_status == "kicked":
        raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
    elif chat.bot_status == "left":
        raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
    retry = world.faults.take_flood(chat.id) if flood else None
    if retry is not None:
        raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
    return chat


def _reply_to(world: World, chat: Chat, p: JSONDict) -> int | None:
    if p.get("reply_parameters"):
        params = as_json(p["reply_parameters"])
        wanted, lenient = (
            int(params.get("message_id", 0)),
            params.get("allow_sending_without_reply"),
        )
    elif p.get("reply_to_message_id"):
        wanted, lenient = as_int(p, "reply_to_message_id"), p.get("allow_sending_without_reply")
    else:
        return None
    if world.find(chat.id, wanted) is None:
        if str(lenient).lower() in ("true", "1"):
            return None
        raise bad("message to be replied not found")
    return wanted


def send_message(world: World, p: JSONDict) -> JSONDict:
    """sendMessage: the bot's message, stored and answered as Telegram does."""
    shown, raw, entities = formatted(p, "text")
    markup = reply_markup(p)
    chat = writable_chat(world, p)
    msg = Message(
        next(chat.next_id),
        chat.id,
        True,
        world.bot_id,
        shown,
        raw,
        markup,
        date=world.unix_time(),
        reply_to=_reply_to(world, chat, p),
        entities=entities,
    )
    return world.message_json(world.store(msg))


def send_file(world: World, p: JSONDict, kind: str) -> JSONDict:
    """sendDocument or sendPhoto (`kind`): an uploaded file, a known file_id or a URL."""
    caption, raw, entities = formatted(p, "caption", caption=True)
    markup = reply_markup(p)
    chat = writable_chat(world, p)
    value = p.get(kind)
    if isinstance(value, tuple):  # (filename, bytes) uploaded as multipart
        file_id = world.add_file(value[1], value[0] or kind)
    elif str(value) in world.files:
        file_id = str(value)
    elif str(value).startswith(("http://", "https://")):
        file_id = world.add_file(b"", str(value).rsplit("/", 1)[-1] or kind)
    else:
        raise bad("wrong file identifier/HTTP URL specified")
    msg = Message(
        next(chat.next_id),
        chat.id,
        True,
        world.bot_id,
        caption,
        raw,
        markup,
        date=world.unix_time(),
        reply_to=_reply_to(world, chat, p),
        caption=caption or None,
        entities=entities,
    )
    media = world.media(kind, file_id)
    msg.photo, msg.document = media.get("photo"), media.get("document")
    return world.message_json(world.store(msg))


def own_message(world: World, p: JSONDict, verb: str = "edit") -> Message:
    """The message `p` names for `verb`; 400 as Telegram answers when it is missing, or not the
    bot's to edit."""
    if p.get("inline_message_id"):
        raise bad("the stand-in does not simulate inline messages")
    chat = find_chat(world, p)
    msg = world.find(chat.id, as_int(p, "message_id"))
    if msg is None or msg.service:
        raise bad(f"message to {verb} not found")
    if not msg.from_bot and verb == "edit":
        raise bad("message can't be edited")
    return msg


def edit_message_text(world: World, p: JSONDict) -> JSONDict:
    """editMessageText: new text and keyboard (none given: the keyboard goes); 400 when nothing
    changed."""
    shown, raw, entities = formatted(p, "text")
    markup = reply_markup(p, inline_only=True)  # absent: the keyboard goes, as on Telegram
    msg = own_message(world, p)
    if msg.document is not None or msg.photo is not None:
        raise bad("there is no text in the message to edit")
    if (shown, entities, markup) == (msg.text, msg.entities, msg.markup):
        raise bad(NOT_MODIFIED)
    msg.edits.append(msg.text)
    msg.text, msg.html, msg.entities, msg.markup = shown, raw, entities, markup
    msg.edit_date = world.unix_time()
    world.record("edited", msg)
    return world.message_json(msg)


def edit_message_reply_markup(world: World, p: JSONDict) -> JSONDict:
    """editMessageReplyMarkup: a new keyboard (none given: it goes); 400 when unchanged."""
    markup = reply_markup(p, inline_only=True)
    msg = own_message(world, p)
    if markup == msg.markup:
        raise bad(NOT_MODIFIED)
    msg.edits.append(msg.text)
    msg.markup = markup
    msg.edit_date = world.unix_time()
    world.record("edited", msg)
    return world.message_json(msg)


def delete_message(world: World, p: JSONDict) -> bool:
    """deleteMessage: as Telegram allows it (another's message in a group: as an admin only)."""
    msg = own_message(world, p, "delete")
    chat = world.chats[msg.chat_id]
    if not msg.from_bot and chat.type != "private" and chat.bot_status != "administrator":
        raise bad("message can't be deleted")
    world.chat_messages[msg.chat_id].remove(msg)
    msg.deleted = True
    world.record("deleted", msg)
    return True


def answer_callback_query(world: World, p: JSONDict) -> bool:
    """answerCallbackQuery: 400 for a press answered already or too old; a toast or alert of
    at most 200 characters."""
    query_id = str(p.get("callback_query_id", ""))
    pressed = world.queries.pop(query_id, None)
    if pressed is None or world.now() - pressed > world.query_max_age:
        raise bad("query is too old and response timeout expired or query ID is invalid")
    text = p.get("text")
    if text is not None and utf16_length(str(text)) > 200:
        raise bad("MESSAGE_TOO_LONG")
    world.answered(Answer(query_id, text, as_bool(p, "show_alert")))
    return True


def get_file(world: World, p: JSONDict) -> JSONDict:
    """getFile: the file's path for download; 400 for an unknown or too big file."""
    file_id = str(p.get("file_id", ""))
    if file_id not in world.files:
        raise bad("invalid file_id")
    if len(world.files[file_id]) > world.download_limit:
        raise bad("file is too big")
    return {**world.file_json(file_id), "file_path": world.file_path(file_id)}


def send_chat_action(world: World, p: JSONDict) -> bool:
    """sendChatAction: accepted for a known action in a chat the bot may write to."""
    writable_chat(world, p, flood=False)
    if str(p.get("action")) not in CHAT_ACTIONS:
        raise bad("wrong parameter action in request")
    return True


HANDLERS: dict[str, Callable[[World, JSONDict], Any]] = {
    "getme": lambda w, _: w.bot_json(),
    "sendmessage": send_message,
    "senddocument": lambda w, p: send_file(w, p, "document"),
    "sendphoto": lambda w, p: send_file(w, p, "photo"),
    "editmessagetext": edit_message_text,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "answercallbackquery": answer_callback_query,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "setmydescription": lambda w, p: set_description(w, p, "description"),
    "getmydescription": lambda w, p: get_description(w, p, "description"),
    "setmyshortdescription": lambda w, p: set_description(w, p, "short_description"),
    "getmyshortdescription": lambda w, p: get_description(w, p, "short_description"),
    "setchatmenubutton": set_chat_menu_button,
    "getchatmenubutton": get_chat_menu_button,
    "getfile": get_file,
    "getchat": get_chat,
    "getchatmember": get_chat_member,
    "getchatadministrators": get_chat_administrators,
    "getchatmembercount": get_chat_member_count,
    "leavechat": leave_chat,
    "sendchataction": send_chat_action,
    "setwebhook": lambda w, p: w.queue.set_webhook(p),
    "deletewebhook": lambda w, p: w.queue.delete_webhook(p),
    "getwebhookinfo": lambda w, _: w.queue.webhook_info(),
    "logout": lambda w, _: True,
    "close": lambda w, _: True,
}
