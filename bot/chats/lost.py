"""A group that removed the bot: its binding is marked lost at once, the administrators are
told, and its notices go where an unbound group's go; when the bot is added back, the
administrators hear that the group must be set up again and what it missed (R4: the groups are
how reminders reach people, so losing one silently would stop them).

Telegram tells it twice: a my_chat_member update (kicked or left), and 403 on the next send
("bot was kicked from the group chat", "bot is not a member of the supergroup chat", "the group
chat was deleted"). Either marks the binding lost; the second finds it lost and does nothing.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.chats.models import ChatBinding
from bot.deps import Deps
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage, OutboxStatus, Semantics
from bot.outbox.service import Button
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role

# Who hears a group's reminders while it is not set up (the calendar's FALLBACK, by purpose).
FALLBACK = {"org": [Role.OFFICE], "leadership": [Role.SECRETARY, Role.DEPUTY]}


async def fallback_people(session: AsyncSession, purpose: str) -> list[Person]:
    """Who receives privately what a lost group of this purpose would have received (each once)."""
    found: dict[int, Person] = {}
    for role in FALLBACK[purpose]:
        for person in await people_with_role(session, role, with_grants=False):
            found.setdefault(person.id, person)
    return list(found.values())


async def _admins(session: AsyncSession) -> list[Person]:
    return await people_with_role(session, Role.ADMIN, with_grants=False)


async def _bindings(session: AsyncSession, chat_id: int, *, lost: bool) -> list[ChatBinding]:
    """The bindings to `chat_id` that are lost (or not), locked: a removal's update and the
    403 of a send may arrive together."""
    query = select(ChatBinding).where(
        ChatBinding.chat_id == chat_id,
        ChatBinding.lost_at.is_not(None) if lost else ChatBinding.lost_at.is_(None),
    )
    return list(await session.scalars(query.order_by(ChatBinding.id).with_for_update()))


async def lost(deps: Deps, chat_id: int, failed_id: int | None = None) -> int:
    """The bot is no longer in group `chat_id` (removed, or Telegram refused a send there,
    `failed_id`): every binding to it is marked lost, what still waits to be sent there goes
    to the people who stand in for the group, and the administrators are told. Returns how
    many bindings were lost (0: none, or already lost)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        bindings = await _bindings(session, chat_id, lost=False)
        if not bindings:
            return 0
        waiting = list(
            await session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.chat_id == chat_id,
                    or_(
                        OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.id == (failed_id or 0),
                    ),
                )
                .order_by(OutboxMessage.id)
            )
        )
        stand_ins = {p.id: p for b in bindings for p in await fallback_people(session, b.purpose)}
        for message in waiting:
            buttons = [
                [Button(b["label"], b["data"]) for b in row] for row in message.buttons or []
            ]
            for person in stand_ins.values():
                outbox.notify_person(
                    session,
                    now=now,
                    person=person,
                    template=message.template,
                    params=message.params,
                    buttons=buttons or None,
                    semantics=Semantics(message.semantics),
                )
            message.status = OutboxStatus.FAILED
            message.last_error = "the bot was removed from the group; sent to people instead"
        admins = await _admins(session)
        for binding in bindings:
            binding.lost_at, binding.missed = now, len(waiting) if binding is bindings[0] else 0
            record(
                session,
                at=now,
                action="chat.lost",
                subject_type="chat_binding",
                subject_id=binding.id,
                clause="R4",
                purpose=binding.purpose,
                chat_id=chat_id,
                rerouted=len(waiting),
            )
            for admin in admins:
                outbox.notify_person(
                    session,
                    now=now,
                    person=admin,
                    template="chat.lost",
                    params={"purpose": binding.purpose, "title": binding.title},
                )
        return len(bindings)


async def back(deps: Deps, chat_id: int, title: str) -> int:
    """The bot was added back to a group it had been removed from: the administrators are told
    it must be set up again, and what it missed meanwhile. The binding stays lost until an
    administrator sends /setup there (whoever added the bot may not be one)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        bindings = await _bindings(session, chat_id, lost=True)
        admins = await _admins(session)
        for binding in bindings:
            assert binding.lost_at is not None
            record(
                session,
                at=now,
                action="chat.back",
                subject_type="chat_binding",
                subject_id=binding.id,
                clause="R4",
                purpose=binding.purpose,
                chat_id=chat_id,
                missed=binding.missed,
            )
            for admin in admins:
                outbox.notify_person(
                    session,
                    now=now,
                    person=admin,
                    template="chat.back",
                    params={
                        "purpose": binding.purpose,
                        "title": title or binding.title,
                        "since": binding.lost_at.isoformat(),
                        "missed": binding.missed,
                    },
                )
        return len(bindings)
