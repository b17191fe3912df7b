"""The sandbox's people: a cast that can walk every route of the regulation (R4, R5, L1–L5),
set up through the services as an administrator would, and two newcomers who meet the bot
for the first time."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.chats import service as chats
from bot.chats.service import Purpose
from bot.deps import Deps
from bot.errors import NotFound
from bot.people import admission, committees, directory, grants
from bot.people import service as people
from bot.people.roles import ROLE_NAMES, ROLE_ORDER, Role
from bot.people.view import PersonView, TgUser
from standin.standin import StandIn

ADMIN_ID = 1001
GROUP_ID = -1001234567890
GROUP_TITLE = "机关工作群"
COMMITTEE = "学术工作委员会"


@dataclass(frozen=True)
class Person:
    key: str  # what `:as` takes
    user_id: int
    name: str
    language_code: str  # Telegram's, as the person's app sends it
    username: str
    role: Role | None = None  # granted before the sandbox opens
    in_committee: bool = False  # a member of COMMITTEE
    seeded: bool = True  # False: meets the bot for the first time in the sandbox

    @property
    def tg(self) -> TgUser:
        return TgUser(self.user_id, self.name, None, self.username, self.language_code)


PEOPLE = (
    # The administrator is a configured one (DUTYDESK_ADMIN_IDS): their first /start is shown.
    Person("you", ADMIN_ID, "王主任", "zh-hans", "wang_office", seeded=False),
    Person("sec", 1011, "张建国", "zh-hans", "zhang_jg", Role.SECRETARY),
    Person("dep", 1012, "刘晓红", "zh-hans", "liu_xh", Role.DEPUTY),
    Person("office", 1013, "陈静", "zh-hans", "chen_jing", Role.OFFICE),
    Person("emerg", 1014, "赵磊", "zh-hans", "zhao_lei", Role.EMERGENCY_OFFICE),
    Person("head", 1015, "孙伟", "zh-hans", "sun_wei", Role.COMMITTEE_HEAD),
    Person("zhou", 1016, "周芳", "zh-hans", "zhou_fang", in_committee=True),
    Person("wu", 1017, "吴强", "zh-hans", "wu_qiang", in_committee=True),
    Person("li", 1002, "李明", "zh-hans", "li_ming", seeded=False),
    Person("anna", 1003, "Anna", "en", "anna_k", seeded=False),
)


def person(key: str) -> Person:
    """The sandbox's person with this key."""
    return next(p for p in PEOPLE if p.key == key)


def add_to_standin(standin: StandIn) -> None:
    """Everyone as a Telegram user, all in the organisation group; the cast has pressed Start
    long ago (the bot may write to them), the newcomers have not."""
    users = []
    for p in PEOPLE:
        user = standin.add_user(
            p.user_id, p.name, language_code=p.language_code, username=p.username
        )
        user.started = p.seeded
        users.append(user)
    standin.add_group(GROUP_ID, GROUP_TITLE, members=users, supergroup=True)


async def seed(deps: Deps, admin: TgUser | None = None) -> None:
    """What an administrator (`you` unless told) would have done through the chat: the
    organisation group, the committee, each person registered in their language with their
    role (R4, R5)."""
    admin = admin or person("you").tg
    # R4: the cast are the office's people, admitted before they first press Start.
    await admission.seed_members(deps, [p.tg for p in PEOPLE])
    await chats.bind(deps, admin, chat_id=GROUP_ID, title=GROUP_TITLE, purpose=Purpose.ORG)
    committee_id, _ = await committees.create_committee(deps, admin, COMMITTEE)
    for p in PEOPLE:
        if not p.seeded:
            continue
        started = await people.start(deps, p.tg)
        await people.set_locale(deps, p.tg, "zh_CN" if p.language_code.startswith("zh") else "en")
        person_id = started.person.id
        if p.role is not None:
            await grants.change_role(
                deps,
                admin,
                person_id=person_id,
                role=p.role,
                grant=True,
                committee_id=committee_id if p.role == Role.COMMITTEE_HEAD else None,
            )
        if p.in_committee:
            await committees.set_committee(
                deps, admin, person_id=person_id, committee_id=committee_id
            )


async def roles_now(deps: Deps) -> list[str]:
    """`:people`: who is who, with their roles as the bot has them now."""
    lines = []
    for p in PEOPLE:
        try:
            known: PersonView | None = await directory.find_person(deps, username=p.username)
        except NotFound:
            known = None
        lines.append(
            f"  {p.key:7}{_pad(p.name, 8)}@{p.username}, Telegram in "
            f"{p.language_code}: {_roles(known)}"
        )
    return lines


def _pad(text: str, width: int) -> str:
    """Pad to `width` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 1)


def _roles(p: PersonView | None) -> str:
    if p is None:
        return "new here, has not written to the bot yet"
    parts = []
    for role in ROLE_ORDER:
        if role in p.roles:
            name = ROLE_NAMES[role]
            if role == Role.COMMITTEE_HEAD and p.committees_headed:
                name += f" of {'、'.join(p.committees_headed)}"
            parts.append(name)
    if p.committee:
        parts.append(f"member of {p.committee}")
    text = ", ".join(parts) or "member"
    return text if p.started else text + " (has not pressed Start yet)"
