"""The authorization matrix (issue 6): every command, for every role — and for a stranger, a
committee head, a person whose role was just revoked — in the private chat and in the group.
Each outcome is asserted: allowed, or refused with a message; a refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.people import grants
from bot.people import service as people
from bot.people.roles import Role
from bot.people.service import TgUser
from tests.flows.conftest import ADMIN_ID, Harness
from tests.flows.test_report_flow import DEPUTY, GROUP, MEMBER, OFFICE, SECRETARY, world
from tests.flows.test_roles_flow import register

HEAD, REVOKED, STRANGER = 1006, 1007, 1008
ADMIN = TgUser(ADMIN_ID, "Ada")

REFUSED = {
    "/members": "Only an administrator or the leadership can see the members.",
    "/meeting": "Only the secretary, the deputy secretary or the office can record meetings.",
    "/policy": "Only an administrator or the leadership can see the policy.",
    "/acting @mei 2026-12-01 2026-12-03": "Only the secretary can name an acting approver.",
    "/role @mei": "Only an administrator can change roles.",
}
ALLOWED = {  # the start of the answer a permitted person gets
    "/members": "",
    "/meeting": "Which meeting was held?",
    "/policy": "Policy in force",
    "/acting @mei 2026-12-01 2026-12-03": "",
    "/role @mei": "Mei @mei",  # the role card: editable for an admin, readable for leadership
}
WHO_MAY = {
    "/members": {ADMIN_ID, SECRETARY, DEPUTY, OFFICE},
    "/meeting": {ADMIN_ID, SECRETARY, DEPUTY, OFFICE},
    "/policy": {ADMIN_ID, SECRETARY, DEPUTY, OFFICE},
    "/acting @mei 2026-12-01 2026-12-03": {SECRETARY},
    "/role @mei": {ADMIN_ID, SECRETARY, DEPUTY, OFFICE},
}
EVERYONE = {"/help": "Your role:", "/my": "", "/pending": "", "/calendar": "The regulation's"}


async def audit_count(h: Harness) -> int:
    async with h.deps.db.read() as session:
        return int(await session.scalar(select(func.count(AuditEntry.id))) or 0)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_every_command_for_every_role_in_private(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    head = s.add_user(HEAD, "Hu", language_code="en", username="hu")
    revoked = s.add_user(REVOKED, "Ren", language_code="en", username="ren")
    stranger = s.add_user(STRANGER, "Sun", language_code="en")
    for user in (head, revoked):
        await register(s, user)
    committee_id, _ = await grants.create_committee(h.deps, ADMIN, "教科文卫委")
    hu = await people.find_person(h.deps, username="hu")
    await grants.change_role(h.deps, ADMIN, person_id=hu.id, role=Role.COMMITTEE_HEAD,
                             grant=True, committee_id=committee_id)  # fmt: skip
    ren = await people.find_person(h.deps, username="ren")
    for grant in (True, False):  # a deputy a moment ago
        await grants.change_role(h.deps, ADMIN, person_id=ren.id, role=Role.DEPUTY, grant=grant)
    await s.quiet()
    s.mark_read(HEAD, REVOKED)
    everyone = {**users, HEAD: head, REVOKED: revoked, STRANGER: stranger}

    for command, refusal in REFUSED.items():
        for uid, user in everyone.items():
            if uid == STRANGER:
                continue  # below: once, since writing registers them
            before = await audit_count(h)
            await user.send(command)
            message = await s.next_message(uid)
            answer = message.text
            if uid in WHO_MAY[command]:
                assert answer != refusal and answer.startswith(ALLOWED[command]), (command, uid)
                if command.startswith("/role"):  # only an admin gets Grant/Revoke buttons
                    assert bool(message.buttons) == (uid == ADMIN_ID), uid
            else:
                assert answer == refusal, (command, uid, answer)
                assert await audit_count(h) == before, (command, uid)  # nothing changed
            await user.send("/cancel")  # leave any conversation the command began
            await s.quiet()
            s.mark_read(*everyone)  # notices the allowed commands caused (e.g. /acting)
    for command, start in EVERYONE.items():
        for uid in (MEMBER, HEAD, REVOKED):
            await everyone[uid].send(command)
            assert (await s.next_message(uid)).text.startswith(start), (command, uid)
    # A stranger who never pressed Start is refused like any member, and nothing is opened.
    await stranger.send("/members")
    assert (await s.next_message(STRANGER)).text == (
        "Only an administrator or the leadership can see the members."
    )


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_private_commands_in_the_group_point_to_the_private_chat(
    harness: Harness,
) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    admin = users[ADMIN_ID]
    for command in ("/report", "/event", "/meeting", "/my", "/pending"):
        await admin.send(command, chat=GROUP)
        answer = await s.next_message(GROUP)
        assert answer.text == "Let's continue in our private chat, where this stays between us.", (
            command
        )
        assert answer.buttons[0][0][1].startswith("https://t.me/dutydesk_test_bot?start=")
