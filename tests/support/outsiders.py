"""The staff and the people who must be refused: a stranger, a committee head, a revoked role."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.outbox.models import OutboxMessage
from bot.people import committees, directory, grants
from bot.people.roles import Role
from bot.people.view import TgUser
from standin.model import SimUser
from tests.support.bot import ADMIN_ID, Harness
from tests.support.world import (
    GROUP,
    register,
    world,
)

HEAD, REVOKED, STRANGER = 1006, 1007, 1008
ADMIN = TgUser(ADMIN_ID, "Ada")


async def staff_and_outsiders(h: Harness) -> dict[int, SimUser]:
    """world(), plus a head of a committee the member is not in, a deputy revoked a moment
    ago, and a stranger who is in the group but never started the bot."""
    s = h.standin
    users = await world(h)
    head = s.add_user(HEAD, "Hu", language_code="en", username="hu")
    revoked = s.add_user(REVOKED, "Ren", language_code="en", username="ren")
    for user in (head, revoked):
        await register(s, user)
    committee_id, _ = await committees.create_committee(h.deps, ADMIN, "教科文卫委")
    hu = await directory.find_person(h.deps, username="hu")
    await grants.change_role(
        h.deps,
        ADMIN,
        person_id=hu.id,
        role=Role.COMMITTEE_HEAD,
        grant=True,
        committee_id=committee_id,
    )
    ren = await directory.find_person(h.deps, username="ren")
    for grant in (True, False):
        await grants.change_role(h.deps, ADMIN, person_id=ren.id, role=Role.DEPUTY, grant=grant)
    stranger = s.add_user(STRANGER, "Sun", language_code="en")
    s.chats[GROUP].members.add(STRANGER)
    await s.quiet()
    return {**users, HEAD: head, REVOKED: revoked, STRANGER: stranger}


async def counts(h: Harness) -> tuple[int, int]:
    async with h.deps.db.read() as session:
        audit = await session.scalar(select(func.count(AuditEntry.id)))
        queued = await session.scalar(select(func.count(OutboxMessage.id)))
        return int(audit or 0), int(queued or 0)
