"""The Bot API methods that read a chat and its members, and the bot leaving a group."""

from __future__ import annotations

from standin.checks import ApiError, as_int, bad
from standin.model import Chat, JSONDict, member_json
from standin.world import World


def find_chat(world: World, params: JSONDict) -> Chat:
    """The chat `chat_id` names (an id or an @username); 400 "chat not found" as Telegram
    answers."""
    value = params.get("chat_id")
    if value in (None, ""):
        raise bad("chat_id is empty")
    chat = None
    if isinstance(value, str) and value.startswith("@"):
        chat = next((c for c in world.chats.values() if c.username == value[1:]), None)
    else:
        try:
            chat = world.chats.get(int(value))
        except (TypeError, ValueError):
            chat = None
    if chat is None:
        raise bad("chat not found")
    return chat


GIFT_TYPES = (
    "unlimited_gifts",
    "limited_gifts",
    "unique_gifts",
    "premium_subscription",
    "gifts_from_channels",
)


def get_chat(world: World, p: JSONDict) -> JSONDict:
    """getChat: the chat as the Bot API describes it."""
    chat = find_chat(world, p)
    return {
        **chat.as_json(world.users),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": dict.fromkeys(GIFT_TYPES, False),
    }


def _status(world: World, chat: Chat, user_id: int) -> str:
    if user_id == world.bot_id:
        return chat.bot_status
    if chat.type == "private":
        return "member" if user_id == chat.id else "left"
    if user_id == chat.owner:
        return "creator"
    if user_id in chat.admins:
        return "administrator"
    return "member" if user_id in chat.members else "left"


def get_chat_member(world: World, p: JSONDict) -> JSONDict:
    """getChatMember: the user's (or the bot's) membership of the chat."""
    chat = find_chat(world, p)
    user_id = as_int(p, "user_id")
    if user_id == world.bot_id:
        return member_json(chat.bot_status, world.bot_json())
    if user_id not in world.users:
        raise bad("user not found")
    return member_json(_status(world, chat, user_id), world.users[user_id].as_json())


def get_chat_administrators(world: World, p: JSONDict) -> list[JSONDict]:
    """getChatAdministrators: the group's administrators, the bot among them if it is one."""
    chat = find_chat(world, p)
    if chat.type == "private":
        raise bad("there are no administrators in the private chat")
    found = [
        member_json(_status(world, chat, uid), world.users[uid].as_json())
        for uid in sorted(chat.admins)
        if uid in world.users
    ]
    if chat.bot_status == "administrator":
        found.append(member_json("administrator", world.bot_json()))
    return found


def get_chat_member_count(world: World, p: JSONDict) -> int:
    """getChatMemberCount: the members of the chat, the bot included."""
    chat = find_chat(world, p)
    return 2 if chat.type == "private" else len(chat.members) + chat.bot_member


def leave_chat(world: World, p: JSONDict) -> bool:
    """leaveChat: the bot leaves a group it is in."""
    chat = find_chat(world, p)
    if chat.type == "private":
        raise bad("chat member status can't be changed in private chats")
    if not chat.bot_member:
        raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
    world.set_bot_status(chat.id, "left")
    return True
