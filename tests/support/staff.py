"""The people of the service tests (the same Telegram accounts in every module) and their
appointment: the bootstrap admin, the staff each with a role, and a member who pressed Start."""

from __future__ import annotations

from bot.deps import Deps
from bot.people import grants
from bot.people import service as people
from bot.people.roles import Role
from bot.people.view import TgUser

ADMIN = TgUser(9001, "Ada")
MEMBER = TgUser(1, "Mei")
EMERGENCY = TgUser(2, "Eli")
DEPUTY = TgUser(3, "Dai")
SECRETARY = TgUser(4, "Shu")
OFFICE = TgUser(5, "Ou")
HEAD = TgUser(6, "Han")


async def appoint(deps: Deps, roles: list[tuple[TgUser, Role]]) -> None:
    """The bootstrap admin gives each their role, in this order; then the member starts."""
    await grants.ensure_bootstrap_admins(deps)
    for tg, role in roles:
        person = (await people.start(deps, tg)).person
        await grants.change_role(deps, ADMIN, person_id=person.id, role=role, grant=True)
    await people.start(deps, MEMBER)
