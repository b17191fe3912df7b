"""The authorization matrix: every command, for every role — and for a stranger, a
committee head, a person whose role was just revoked — in the private chat and in the group.
Each outcome is asserted: allowed, or refused with a message; a refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.buttons import EventAction
from bot.buttons.people import GrantAction, GrantButton
from bot.drafts import service as drafts
from bot.errors import NotFound
from bot.events import decisions
from bot.events import service as events
from bot.incidents.service import file_report
from bot.people import admission, committees, directory, grants, inspectors, leaving
from bot.people.card import role_card
from bot.people.models import Person
from bot.people.roles import ROLE_CODES, Role
from bot.people.view import TgUser
from bot.policy.schema import Kind, People, Severity
from handlers.commands import COMMANDS
from standin.model import Message, SimUser
from tests.support import callback_data as cd
from tests.support.bot import ADMIN_ID, Harness
from tests.support.events import draft as lecture
from tests.support.incidents import draft
from tests.support.outsiders import ADMIN, HEAD, REVOKED, STRANGER, counts, staff_and_outsiders
from tests.support.world import (
    DEPUTY,
    EMERGENCY,
    GROUP,
    MEMBER,
    OFFICE,
    SECRETARY,
    tap,
    world,
)

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
    """How many audit entries there are: an action refused leaves none."""
    async with h.deps.db.read() as session:
        return int(await session.scalar(select(func.count(AuditEntry.id))) or 0)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_every_command_for_every_role_in_private(harness: Harness) -> None:
    """R4: every command, by every role in private: who may is answered; the others are
    refused, and nothing is recorded."""
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
    """A command that belongs in the private chat, sent in the group, answers with a link there."""
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
    member_id = (await directory.find_person(h.deps, username="mei")).id
    await s.quiet()
    buttons = {
        cd.encode("in", "tl", incident.incident_id): (  # the reporter follows it too
            {EMERGENCY, DEPUTY, SECRETARY, MEMBER},
            "Only the handlers of this report and the leadership can do that.",
        ),
        **{
            cd.encode("in", a, incident.incident_id): (
                {EMERGENCY, DEPUTY, SECRETARY},  # its handlers and the leadership (L1, L2, L5)
                "Only the handlers of this report and the leadership can do that.",
            )
            for a in ("pl", "up", "hi", "cl", "ct", "ak")
        },
        **{
            cd.encode("ev", a, event.id, 1): (
                {SECRETARY, DEPUTY},  # R6; the deputy by the policy (L2)
                "Only the secretary or the deputy can decide on events.",
            )
            for a in ("ch", "rj", "ap")
        },
        # Approved by now: the office files it or cancels it (R6).
        cd.encode("ev", "fi", event.id, 1): ({OFFICE}, "Only the office records filings."),
        cd.encode("ev", "cx", event.id, 1): (
            {OFFICE},
            "Only the office can cancel an approved event.",
        ),
        GrantButton(GrantAction.GRANT, member_id, ROLE_CODES[Role.OFFICE]).pack(): (
            {ADMIN_ID},
            "Only an administrator can change roles.",
        ),
    }
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
    **{
        ("in", a): "Only the handlers of this report and the leadership can do that."
        for a in ("ak", "up", "hi", "pl", "ct", "cl", "sv", "tl")
    },
    **{
        ("ev", a): "Only the secretary or the deputy can decide on events."
        for a in ("ap", "rj", "ch")
    },
    **{
        ("ev", a): "Only the head of the requester's committee can review this."
        for a in ("fw", "sb")
    },
    ("ev", "fi"): "Only the office records filings.",
    ("ev", "cx"): "Only the office can cancel an approved event.",
}


async def cards_for_everyone(h: Harness) -> None:
    """Hu heads Mei's committee. Mei reports a network-security incident (the emergency office,
    the deputy, the secretary), a public-opinion one (the office, the deputy) and one at an
    event (Hu, the office), and requests three events: one with Hu for review, one before the
    approvers, one approved and waiting for the office's filing."""
    committee_id, _ = await committees.create_committee(h.deps, ADMIN, "教科文卫委")  # Hu heads it
    mei = await directory.find_person(h.deps, username="mei")
    await committees.set_committee(h.deps, ADMIN, person_id=mei.id, committee_id=committee_id)
    member = TgUser(MEMBER, "Mei", username="mei", language_code="en")
    for kind, severity in (
        (Kind.NETWORK_SECURITY, Severity.MAJOR),
        (Kind.PUBLIC_OPINION, Severity.GENERAL),
        (Kind.EVENT_INCIDENT, Severity.GENERAL),
    ):
        await file_report(h.deps, member, draft(kind, severity))
    requests = [await events.submit(h.deps, member, lecture()) for _ in range(3)]
    hu_tg, shu = TgUser(HEAD, "Hu", username="hu"), TgUser(SECRETARY, "Shu", username="shu")
    for sent in requests[1:]:
        await decisions.review(h.deps, hu_tg, sent.id, 1, forward=True)
    await decisions.decide(h.deps, shu, requests[2].id, 1, EventAction.APPROVE)
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
    revoked = {
        DEPUTY: (Role.DEPUTY, None),
        OFFICE: (Role.OFFICE, None),
        HEAD: (Role.COMMITTEE_HEAD, "教科文卫委"),
    }
    async with h.deps.db.read() as session:
        committee_ids = {name: cid for cid, name in await committees.listed(session)}
    received: dict[int, list[tuple[Message, str]]] = {}
    for uid in revoked:
        received[uid] = [
            (m, data)
            for m in s.bot_messages(uid)
            for row in m.buttons
            for _label, data in row
            if (cd.decode(data) or _NONE).domain in ("in", "ev")
        ]
    kinds = {(cd.decode(d) or _NONE).action for cards in received.values() for _, d in cards}
    assert kinds == {
        "ak",
        "up",
        "hi",
        "pl",
        "ct",
        "cl",
        "sv",
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
        person = await directory.find_person(h.deps, person_id=await _person_id(h, uid))
        if how == "deactivated":
            await leaving.deactivate(h.deps, ADMIN, person.id)
            continue
        await grants.change_role(
            h.deps,
            ADMIN,
            person_id=person.id,
            role=role,
            grant=False,
            committee_id=committee_ids.get(committee or ""),
        )
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


PENDING_ID, REFUSED_ID = 1009, 1010
PENDING_SAYS = "The office has not admitted you yet. You will be told here as soon as it decides."
REFUSED_SAYS = (
    "The office did not admit you. If you think this is a mistake, please speak to the office."
)
# One button of every kind the bot has (R4: a forged press from somebody not admitted).
EVERY_BUTTON = [
    "1ro:v:1",
    "1ro:g:1:off",
    "1mb:p:1",
    "1st:org",
    "1rp:k:ns",
    "1in:ak:1",
    "1in:pl:1",
    "1ee:t:lecture",
    "1ev:ap:1:1",
    "1ev:fi:1:1",
    "1ev:fw:1:1",
    "1mt:k:qr",
    "1cl:sz:1",
    "1po:ok",
    "1ld:q:2026-4",
    "1rg:n",
    "1pa:ok:1",
    "1pa:no:1",
    "1iv:rv:1",
    "1ac:rv:1",
    "1fd:p:1:0",
    "1zz:x",
]


async def pending_and_refused(h: Harness) -> dict[int, SimUser]:
    """The staff and outsiders, then the door closes (the product's default, "approve"): a
    person who pressed Start waits, another was refused by the office."""
    s = h.standin
    everyone = await staff_and_outsiders(h)
    h.deps.policy = h.deps.policy.model_copy(update={"people": People(admission="approve")})
    pending = s.add_user(PENDING_ID, "Pia", language_code="en", username="pia")
    refused = s.add_user(REFUSED_ID, "Rolf", language_code="en", username="rolf")
    s.chats[GROUP].members.update({PENDING_ID, REFUSED_ID})
    for user in (pending, refused):
        await user.send("/start")
        assert (await s.next_message(user.id)).text.endswith(PENDING_SAYS)
    rolf = await directory.find_person(h.deps, username="rolf")
    await admission.decide(h.deps, ADMIN, rolf.id, admit_=False)
    await s.quiet()
    s.mark_read(*everyone, PENDING_ID, REFUSED_ID, GROUP)
    return {PENDING_ID: pending, REFUSED_ID: refused}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_pending_and_refused_people_can_do_nothing(harness: Harness) -> None:
    """R4: every command, free text and every kind of button, in private and in the group:
    the one sentence of their standing, and nothing recorded, sent or opened."""
    s, h = harness.standin, harness
    outsiders = await pending_and_refused(h)
    says = {PENDING_ID: PENDING_SAYS, REFUSED_ID: REFUSED_SAYS}
    commands = [f"/{c.name}" for c in COMMANDS if c.name not in ("start", "language")]
    commands += [
        "/cancel",
        "/acting @mei 2026-12-01 2026-12-03",
        "/role @mei",
        "/invite uses=2",
        "/start report",
        "Some free text",
    ]
    for uid, user in outsiders.items():
        for command in commands:
            before = await counts(h)
            await user.send(command)
            answer = (await s.next_message(uid)).text
            expected = says[uid] if not command.startswith("/start") else answer
            assert answer.endswith(says[uid]) and answer == expected, (uid, command, answer)
            if not command.startswith("/start"):
                assert await counts(h) == before, (uid, command)
        setup = s.bot_messages(GROUP)[0]
        for data in EVERY_BUTTON:
            for place in (s.bot_messages(uid)[-1], setup):
                before = await counts(h)
                answer = await tap(s, user, place, data=data)
                assert answer == (says[uid], True), (uid, data, answer)
                assert await counts(h) == before, (uid, data)
                assert await drafts.get(h.deps, uid) is None
        # What they may still do: choose a language, and be told their standing on Start.
        await user.send("/language")
        assert (await s.next_message(uid)).text == "Choose your language."
    # Neither is listed, counted or offered in a picker.
    admin = TgUser(ADMIN_ID, "Ada")
    listed = await directory.list_people(h.deps, admin, 0)
    names = [p.name for p in listed.people]
    assert "Pia" not in names and "Rolf" not in names
    with pytest.raises(NotFound):
        await directory.find_person(h.deps, username="pia", member=True)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_requester_who_is_also_the_approver_decides_nothing(harness: Harness) -> None:
    """R6, L2: the secretary's own request, pressed by her (any decision), and the head's own
    request, reviewed by them (forged): refused with the rule, nothing changed."""
    s, h = harness.standin, harness
    everyone = await staff_and_outsiders(h)
    shu = TgUser(SECRETARY, "Shu", username="shu", language_code="en")
    own = await events.submit(h.deps, shu, lecture())
    await s.quiet()
    card = s.bot_messages(DEPUTY)[-1]  # the deputy got the card, and it says why
    assert "It comes to you because Shu made or organises it" in card.text
    assert not [m for m in s.unread(SECRETARY) if m.buttons]  # she got no card to decide
    refusal = (
        f"You made or organise {own.ref}, so another approver decides it: nobody decides their "
        "own case (R6)."
    )
    for action in ("ap", "rj", "ch"):
        for place in (card, s.bot_messages(GROUP)[0]):
            before = await counts(h)
            answer = await tap(
                s, everyone[SECRETARY], place, data=cd.encode("ev", action, own.id, 1)
            )
            assert answer == (refusal, True), (action, answer)
            assert await counts(h) == before
            assert await drafts.get(h.deps, SECRETARY) is None
    # The committee head's own request skips their review: a forged Forward is refused.
    hu = TgUser(HEAD, "Hu", username="hu", language_code="en")
    head = await directory.find_person(h.deps, username="hu")
    await committees.set_committee(
        h.deps,
        ADMIN,
        person_id=head.id,
        committee_id=(await role_card(h.deps, ADMIN, head.id)).committees[0][0],
    )
    theirs = await events.submit(h.deps, hu, lecture())
    assert theirs.status == "pending"
    for action in ("fw", "sb"):
        before = await counts(h)
        answer = await tap(
            s, everyone[HEAD], s.bot_messages(HEAD)[-1], data=cd.encode("ev", action, theirs.id, 1)
        )
        assert answer == (refusal.replace(own.ref, theirs.ref), True), answer
        assert await counts(h) == before
    # Naming oneself acting approver is refused too.
    await s.quiet()
    s.mark_read(SECRETARY)
    before = await counts(h)
    await everyone[SECRETARY].send("/acting @shu 2026-12-01 2026-12-03")
    assert (await s.next_message(SECRETARY)).text == (
        "You cannot name yourself: an acting approver decides in your place."
    )
    assert await counts(h) == before


INSPECTOR_SAYS = (
    "As an inspector you may only read the ledger and its records: send /ledger, /record or /find."
)
READING = {
    "/ledger": "Which period?",
    "/record": "Send /record and a reference",
    "/find": "What should I look for?",
    "/help": "You are appointed to inspect",
    "/cancel": "There is nothing to cancel.",
    "Some free text": "I did not understand that.",
}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_an_inspector_in_and_out_of_office(harness: Harness) -> None:
    """R7, C: an inspector in office reads the ledger and does nothing else; once the
    appointment has ended they are what they were before: not a member (R4)."""
    from datetime import timedelta

    s, h = harness.standin, harness
    await pending_and_refused(h)
    ida = s.add_user(1011, "Ida", language_code="en", username="ida")
    ola = s.add_user(1012, "Ola", language_code="en", username="ola")
    s.chats[GROUP].members.update({1011, 1012})
    for user, last in ((ida, "2026-11-30"), (ola, "2026-11-24")):
        await user.send("/start")
        await s.next_message(user.id)
        person = await directory.find_person(h.deps, username=user.username)
        await inspectors.grant(
            h.deps,
            TgUser(SECRETARY, "Shu"),
            person_id=person.id,
            first_day="2026-11-24",
            last_day=last,
        )
    h.clock.advance(timedelta(days=1))  # Ola's day is over; Ida's appointment runs on
    await s.quiet()
    s.mark_read(1011, 1012)
    commands = [f"/{c.name}" for c in COMMANDS if c.name not in ("start", "language")]
    commands += ["/cancel", "/invite uses=2", "Some free text"]
    for uid, user in ((1011, ida), (1012, ola)):
        for command in commands:
            before = await counts(h)
            await user.send(command)
            answer = (await s.next_message(uid)).text
            if uid == 1012:
                assert answer == PENDING_SAYS, (command, answer)
            elif command in READING:
                assert answer.startswith(READING[command]), (command, answer)
            else:
                assert answer == INSPECTOR_SAYS, (command, answer)
            assert await counts(h) == before, (uid, command)
        for data in EVERY_BUTTON:
            before = await counts(h)
            answer = await tap(s, user, s.bot_messages(uid)[-1], data=data)
            if uid == 1012:
                assert answer == (PENDING_SAYS, True), (data, answer)
            elif data.startswith("1fd:"):  # /find's pages read (R7): nobody's search 1
                assert answer == (
                    "This search is no longer available. Please send /find again.",
                    True,
                ), (data, answer)
            elif data.startswith("1ld:"):
                assert answer[0] != INSPECTOR_SAYS, (data, answer)  # the ledger reads
                await user.send("/cancel")
                await s.next_message(uid)
                continue
            else:
                assert answer == (INSPECTOR_SAYS, True), (data, answer)
            assert await counts(h) == before, (uid, data)
            assert await drafts.get(h.deps, uid) is None
