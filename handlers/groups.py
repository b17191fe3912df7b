"""/setup binds a group to its purpose; a group upgraded to a supergroup keeps its binding."""

from __future__ import annotations

import logging

from telegram import Chat, ChatMember, Message, Update, User

from bot.buttons.office import SetupAction, SetupButton
from bot.chats import lost as lost_groups
from bot.chats import service as chats
from bot.chats.service import PURPOSE_NAMES, Purpose
from bot.context import Ctx
from bot.errors import StaleButton
from bot.people import service as people
from handlers.common import command, edit_or_send, is_private, reply, tg_user, typed_button
from render.renderer import Renderer

log = logging.getLogger(__name__)
# The setup buttons' actions and the purposes they give a group: one table.
PURPOSES = {SetupAction.ORG: Purpose.ORG, SetupAction.LEADERSHIP: Purpose.LEADERSHIP}


@command
async def setup(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/setup in a group: ask which group this is (the press is checked for admin rights)."""
    if is_private(update.effective_chat):
        await reply(message, r("Send /setup in the group you want to set up."))
        return
    await reply(
        message,
        r("What is this group for?"),
        [
            [(r.plain("Organisation group"), SetupButton(SetupAction.ORG).pack())],
            [(r.plain("Leadership group"), SetupButton(SetupAction.LEADERSHIP).pack())],
        ],
    )


@typed_button(SetupButton.unpack)
async def on_setup(update: Update, ctx: Ctx, b: SetupButton, user: User, r: Renderer) -> str:
    """1st:org, 1st:leadership: the group's purpose. Anyone in a group can press the buttons:
    the service admits admins only (rule 5)."""
    chat = update.effective_chat
    if chat is None or is_private(chat):
        raise StaleButton()
    purpose = PURPOSES[b.action]
    await chats.bind(
        ctx.deps, tg_user(user), chat_id=chat.id, title=chat.title or "", purpose=purpose
    )
    text = r(
        "This group is now the {purpose}. Set up by {name}.",
        purpose=r.plain(PURPOSE_NAMES[purpose]),
        name=user.full_name,
    )
    await edit_or_send(update, text, None)
    return r("Saved.")


async def on_bot_status(update: Update, ctx: Ctx) -> None:
    """The bot was removed from a group, or added back (a my_chat_member update): a group set
    up for a purpose is marked lost at once, and the administrators are told either way."""
    change = update.my_chat_member
    if change is None:
        return
    gone = (ChatMember.LEFT, ChatMember.BANNED)
    was, now = change.old_chat_member.status, change.new_chat_member.status
    if change.chat.type == Chat.PRIVATE:
        # Unblocked: reachable again, what waited goes out now, not at their next message. A
        # block is learned by delivery (403), which tells the office at once.
        if was in gone and now not in gone:
            await people.identify(ctx.deps, tg_user(change.from_user), private=True)
        return
    if change.chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        return
    if now in gone and was not in gone:
        await lost_groups.lost(ctx.deps, change.chat.id)
    elif was in gone and now not in gone:
        await lost_groups.back(ctx.deps, change.chat.id, change.chat.title or "")


async def on_migrate(update: Update, ctx: Ctx) -> None:
    """Telegram gave the group a new id (`migrate_to_chat_id`): the binding follows it."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    moved = await chats.migrate(ctx.deps, old_chat_id=old, new_chat_id=new)
    log.info("group %s became supergroup %s (%d binding(s) moved)", old, new, moved)
