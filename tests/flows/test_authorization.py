"""The authorization matrix (issue 6): every command, for every role — and for a stranger, a
committee head, a person whose role was just revoked — in the private chat and in the group.
Each outcome is asserted: allowed, or refused with a message; a refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.drafts import service as drafts
from bot.events import decisions
from bot.events import service as events
from bot.incidents.service import file_report
from bot.outbox.models import OutboxMessage
from bot.people import grants, leaving
from bot.people import service as people
from bot.people.models import Person
from bot.people.roles import ROLE_CODES, Role
from bot.people.service import TgUser
from bot.policy.model import Kind, Severity
from bot.sandbox.model import Message, SimUser
from handlers import callback_data as cd
from tests.flows.conftest import ADMIN_ID, Harness
from tests.flows.test_report_flow import (
    DEPUTY,
    EMERGENCY,
    GROUP,
    MEMBER,
    OFFICE,
    SECRETARY,
    world,
)
from tests.flows.test_roles_flow import register, tap
from tests.services.test_events import draft as lecture
from tests.services.test_incidents import draft

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


async def staff_and_outsiders(h: Harness) -> dict[int, SimUser]:
    """world(), plus a head of a committee the member is not in, a deputy revoked a moment
    ago, and a stranger who is in the group but never started the bot."""
    s = h.standin
    users = await world(h)
    head = s.add_user(HEAD, "Hu", language_code="en", username="hu")
    revoked = s.add_user(REVOKED, "Ren", language_code="en", username="ren")
    for user in (head, revoked):
        await register(s, user)
    committee_id, _ = await grants.create_committee(h.deps, ADMIN, "教科文卫委")
    hu = await people.find_person(h.deps, username="hu")
    await grants.change_role(h.deps, ADMIN, person_id=hu.id, role=Role.COMMITTEE_HEAD,
                             grant=True, committee_id=committee_id)  # fmt: skip
    ren = await people.find_person(h.deps, username="ren")
    for grant in (True, False):
        await grants.change_role(h.deps, ADMIN, person_id=ren.id, role=Role.DEPUTY, grant=grant)
    stranger = s.add_user(STRANGER, "Sun", language_code="en")
    s.chats[GROUP].members.add(STRANGER)
    await s.quiet()
    return {**users, HEAD: head, REVOKED: revoked, STRANGER: stranger}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_every_command_for_every_role_in_private(harness: Harness) -> None:
    s, h = harness.standin, harness
    everyone = await staff_and_outsiders(h)
    stranger = everyone[STRANGER]
    s.mark_read(*everyone)

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


async def counts(h: Harness) -> tuple[int, int]:
    async with h.deps.db.read() as session:
        audit = await session.scalar(select(func.count(AuditEntry.id)))
        queued = await session.scalar(select(func.count(OutboxMessage.id)))
        return int(audit or 0), int(queued or 0)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_every_button_for_every_role_in_private_and_in_the_group(harness: Harness) -> None:
    """Each state-changing button, pressed by everyone (its data forged where they never got
    it): refused with the reason and nothing changed, or allowed for exactly the people the
    regulation names (L1, L2, L5 for incidents; R6 for decisions; R7 for roles)."""
    s, h = harness.standin, harness
    everyone = await staff_and_outsiders(h)
    mei = TgUser(MEMBER, "Mei", username="mei", language_code="en")
    incident = await file_report(h.deps, mei, draft())
    event = await events.submit(h.deps, mei, lecture())
    member_id = (await people.find_person(h.deps, username="mei")).id
    await s.quiet()
    buttons = {
        cd.encode("in", "tl", incident.incident_id): (  # the reporter follows it too
            {EMERGENCY, DEPUTY, SECRETARY, MEMBER},
            "Only the handlers of this report and the leadership can do that.",
        ),
        **{cd.encode("in", a, incident.incident_id): (
            {EMERGENCY, DEPUTY, SECRETARY},  # its handlers and the leadership (L1, L2, L5)
            "Only the handlers of this report and the leadership can do that.",
        ) for a in ("pl", "up", "hi", "cl", "ct", "ak")},
        **{cd.encode("ev", a, event.id, 1): (
            {SECRETARY, DEPUTY},  # R6; the deputy by the policy (L2)
            "Only the secretary or the deputy can decide on events.",
        ) for a in ("ch", "rj", "ap")},
        # Approved by now: the office files it or cancels it (R6).
        cd.encode("ev", "fi", event.id, 1): ({OFFICE}, "Only the office records filings."),
        cd.encode("ev", "cx", event.id, 1): (
            {OFFICE}, "Only the office can cancel an approved event.",
        ),
        cd.encode("ro", "g", member_id, ROLE_CODES[Role.OFFICE]): (
            {ADMIN_ID}, "Only an administrator can change roles.",
        ),
    }  # fmt: skip
    setup_message = s.bot_messages(GROUP)[0]
    for data, (allowed, refusal) in buttons.items():
        for uid, user in everyone.items():
            places = [setup_message] if uid == STRANGER else [s.bot_messages(uid)[-1]]
            if uid not in allowed:
                places.append(setup_message)  # the group: anyone there can press
            for message in places:
                before = await counts(h)
                answer = await tap(s, user, message, data=data)  # answered after any effect
                if uid in allowed:
                    assert answer[0] != refusal, (data, uid)
                    await user.send("/cancel")  # leave a text step the press opened
                    await s.quiet()
                    continue
                assert answer == (refusal, True), (data, uid, message.chat_id, answer)
                assert await counts(h) == before, (data, uid)  # nothing recorded or sent
                assert await drafts.get(h.deps, uid) is None  # no step opened either


# What each kind of card button answers to whoever may no longer press it (rule 5).
REVOKED_REFUSALS = {
    **{("in", a): "Only the handlers of this report and the leadership can do that."
       for a in ("ak", "up", "hi", "pl", "ct", "cl", "tl")},
    **{("ev", a): "Only the secretary or the deputy can decide on events."
       for a in ("ap", "rj", "ch")},
    **{("ev", a): "Only the head of the requester's committee can review this."
       for a in ("fw", "sb")},
    ("ev", "fi"): "Only the office records filings.",
    ("ev", "cx"): "Only the office can cancel an approved event.",
}  # fmt: skip


async def cards_for_everyone(h: Harness) -> None:
    """Hu heads Mei's committee. Mei reports a network-security incident (the emergency office,
    the deputy, the secretary), a public-opinion one (the office, the deputy) and one at an
    event (Hu, the office), and requests three events: one with Hu for review, one before the
    approvers, one approved and waiting for the office's filing."""
    committee_id, _ = await grants.create_committee(h.deps, ADMIN, "教科文卫委")  # Hu heads it
    mei = await people.find_person(h.deps, username="mei")
    await grants.set_committee(h.deps, ADMIN, person_id=mei.id, committee_id=committee_id)
    member = TgUser(MEMBER, "Mei", username="mei", language_code="en")
    for kind, severity in ((Kind.NETWORK_SECURITY, Severity.MAJOR),
                           (Kind.PUBLIC_OPINION, Severity.GENERAL),
                           (Kind.EVENT_INCIDENT, Severity.GENERAL)):  # fmt: skip
        await file_report(h.deps, member, draft(kind, severity))
    requests = [await events.submit(h.deps, member, lecture()) for _ in range(3)]
    hu_tg, shu = TgUser(HEAD, "Hu", username="hu"), TgUser(SECRETARY, "Shu", username="shu")
    for sent in requests[1:]:
        await decisions.review(h.deps, hu_tg, sent.id, 1, forward=True)
    await decisions.decide(h.deps, shu, requests[2].id, 1, "approve")
    await h.standin.quiet()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("how", ["revoked", "deactivated"])
async def test_revoked_people_press_every_card_they_received_before(
    harness: Harness, how: str
) -> None:
    """A deputy, an office holder and a committee head lose their roles (revoked, or they left
    and were deactivated); every button of every card they received while they held them is
    refused with its reason and changes nothing (R4: authority is what a person holds at the
    moment of acting, L1, L2, L5, R6)."""
    s, h = harness.standin, harness
    everyone = await staff_and_outsiders(h)
    head = everyone[HEAD]
    await cards_for_everyone(h)
    revoked = {DEPUTY: (Role.DEPUTY, None), OFFICE: (Role.OFFICE, None),
               HEAD: (Role.COMMITTEE_HEAD, "教科文卫委")}  # fmt: skip
    committees = dict((name, cid) for cid, name in await grants.list_committees(h.deps))
    received: dict[int, list[tuple[Message, str]]] = {}
    for uid in revoked:
        received[uid] = [(m, data) for m in s.bot_messages(uid) for row in m.buttons
                         for _label, data in row if (cd.decode(data) or _NONE).domain in
                         ("in", "ev")]  # fmt: skip
    kinds = {(cd.decode(d) or _NONE).action for cards in received.values() for _, d in cards}
    assert kinds == {
        "ak",
        "up",
        "hi",
        "pl",
        "ct",
        "cl",
        "tl",
        "ap",
        "rj",
        "ch",
        "fw",
        "sb",
        "fi",
        "cx",
    }  # every kind of card button was received by one of them
    for uid, (role, committee) in revoked.items():
        person = await people.find_person(h.deps, person_id=await _person_id(h, uid))
        if how == "deactivated":
            await leaving.deactivate(h.deps, ADMIN, person.id)
            continue
        await grants.change_role(h.deps, ADMIN, person_id=person.id, role=role, grant=False,
                                 committee_id=committees.get(committee or ""))  # fmt: skip
    await s.quiet()
    users = {DEPUTY: everyone[DEPUTY], OFFICE: everyone[OFFICE], HEAD: head}
    for uid, cards in received.items():
        for message, data in cards:
            parsed = cd.decode(data)
            assert parsed is not None
            before = await counts(h)
            answer = await tap(s, users[uid], message, data=data)
            assert answer == (REVOKED_REFUSALS[parsed.domain, parsed.action], True), (uid, data)
            await s.quiet()
            assert await counts(h) == before, (uid, data)  # nothing recorded or sent
            assert await drafts.get(h.deps, uid) is None, (uid, data)  # no step opened


_NONE = cd.Data("", "")


async def _person_id(h: Harness, telegram_id: int) -> int:
    async with h.deps.db.read() as session:
        found = await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))
        assert found is not None
        return int(found)
