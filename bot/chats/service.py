"""Binding groups to their purpose (/setup) and following a group that became a supergroup."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.chats.models import ChatBinding
from bot.deps import Deps
from bot.errors import AlreadyDone
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.people.service import require_admin
from bot.people.view import TgUser


class Purpose(StrEnum):
    ORG = "org"  # the organisation group: reminders and neutral notices
    LEADERSHIP = "leadership"  # optional: notices for secretary, deputy and office


PURPOSE_NAMES = {
    Purpose.ORG: N_("organisation group"),
    Purpose.LEADERSHIP: N_("leadership group"),
}


async def bind(deps: Deps, actor: TgUser, *, chat_id: int, title: str, purpose: Purpose) -> bool:
    """Make this chat the group for `purpose`; returns False when it already was."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await require_admin(
            session, actor, now=now, refusal=N_("Only an administrator can set up the groups.")
        )
        binding = await session.scalar(select(ChatBinding).where(ChatBinding.purpose == purpose))
        if binding is not None and binding.chat_id == chat_id and binding.lost_at is None:
            raise AlreadyDone(N_("This group is already set up for this purpose."))
        old_chat = binding.chat_id if binding else None
        if binding is None:
            binding = ChatBinding(purpose=purpose, chat_id=chat_id, bound_at=now)
            session.add(binding)
        binding.chat_id, binding.title = chat_id, title[:256]
        binding.bound_by_id, binding.bound_at = me.id, now
        binding.lost_at, binding.missed = None, 0  # set up again after the bot was removed
        await session.flush()
        record(
            session,
            at=now,
            actor_id=me.id,
            action="chat.bind",
            subject_type="chat_binding",
            subject_id=binding.id,
            clause="R4",
            purpose=str(purpose),
            chat_id=chat_id,
            previous_chat_id=old_chat,
        )
        return True


async def chat_for(session: AsyncSession, purpose: Purpose) -> int | None:
    """The group set up for `purpose`, to send it a notice; None when there is none, or when
    it removed the bot (then the notice counts as missed, told when the bot is back)."""
    binding = await session.scalar(select(ChatBinding).where(ChatBinding.purpose == purpose))
    if binding is None:
        return None
    if binding.lost_at is not None:
        binding.missed += 1
        return None
    return binding.chat_id


async def bindings(deps: Deps) -> dict[Purpose, tuple[int, str]]:
    """The groups bound now, by purpose: their chat id and title."""
    async with deps.db.read() as session:
        rows = await session.scalars(select(ChatBinding).where(ChatBinding.lost_at.is_(None)))
        return {Purpose(b.purpose): (b.chat_id, b.title) for b in rows}


async def migrate(deps: Deps, *, old_chat_id: int, new_chat_id: int) -> int:
    """Telegram upgraded a group to a supergroup (new id): bindings and queued messages follow.

    Idempotent: the service message may arrive in both the old and the new chat.
    """
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        moved = 0
        for binding in await session.scalars(
            select(ChatBinding).where(ChatBinding.chat_id == old_chat_id)
        ):
            binding.chat_id = new_chat_id
            moved += 1
            record(
                session,
                at=now,
                action="chat.migrate",
                subject_type="chat_binding",
                subject_id=binding.id,
                old_chat_id=old_chat_id,
                new_chat_id=new_chat_id,
            )
        await outbox.move_chat(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)
        return moved
