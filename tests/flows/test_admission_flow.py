"""Admission through the real bot (R4), with the product's default door ("approve") and with
invitations: a stranger who presses Start is told the office will decide and can do nothing
else; the office admits or refuses from its card; an invitation link admits at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.people.models import Person
from tests.support.admission import actions, close_door
from tests.support.bot import ADMIN_ID, Harness
from tests.support.world import OFFICE, tap, world

NIA, REX, IVY = 2001, 2002, 2003
PENDING = "The office has not admitted you yet. You will be told here as soon as it decides."
REFUSED = (
    "The office did not admit you. If you think this is a mistake, please speak to the office."
)
INVITE_ONLY = (
    "Only people the office invites can use this bot. Please ask the office for an invitation link."
)


async def people_count(h: Harness) -> int:
    async with h.deps.db.read() as s:
        return int(await s.scalar(select(func.count(Person.id))) or 0)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_approve_the_office_admits_and_refuses_from_its_card(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    close_door(h, "approve")
    nia = s.add_user(NIA, "Nia", language_code="en", username="nia")
    await nia.send("/start")
    hello = await s.next_message(NIA)
    assert hello.text == f"Welcome, Nia.\n\n{PENDING}"
    assert hello.button_texts() == ["中文", "English"]  # still chooses a language
    await nia.press(hello, "中文")
    await s.wait_until(lambda: s.bot_messages(NIA)[-1].edits)
    assert s.bot_messages(NIA)[-1].text == (
        "Nia，您好。\n\n办公室尚未准予您加入。办公室作出决定后，将在此告知您。"
    )
    # Nothing else: not a command, not free text, not a forged button.
    for command in ("/report", "/event", "/calendar", "/ledger", "/my", "/help", "/members"):
        await nia.send(command)
        assert (await s.next_message(NIA)).text == (
            "办公室尚未准予您加入。办公室作出决定后，将在此告知您。"
        ), command
    # The administrator and the office each get the card.
    card = await s.next_message(ADMIN_ID)
    office_card = await s.next_message(OFFICE)
    assert card.text.splitlines()[:3] == [
        "Nia asks to be admitted.",
        "Username: @nia",
        "Telegram language: en",
    ]
    assert (
        card.button_texts()
        == office_card.button_texts()
        == [
            "Admit",
            "Admit into a committee…",
            "Refuse",
        ]
    )
    await tap(s, users[OFFICE], office_card, "Admit")
    await s.wait_until(lambda: office_card.edits)
    assert office_card.text == "Nia is admitted and is told so."
    admitted = "办公室已准予您加入。发送 /help 查看您可以办理的事项。"
    assert (await s.next_message(NIA)).text == admitted
    # The administrator's card, pressed later: decided once, and said so.
    assert await tap(s, users[ADMIN_ID], card, "Admit") == ("Nia has already been admitted.", True)
    await nia.send("/help")
    assert (await s.next_message(NIA)).text.startswith("您的职务")

    # Refused, with a reason typed by the administrator.
    rex = s.add_user(REX, "Rex", language_code="en", username="rex")
    await rex.send("/start")
    assert (await s.next_message(REX)).text == f"Welcome, Rex.\n\n{PENDING}"
    card = await s.next_message(ADMIN_ID)
    await tap(s, users[ADMIN_ID], card, "Refuse")
    question = await s.next_message(ADMIN_ID)
    assert question.text.startswith("Why is the admission refused?")
    await users[ADMIN_ID].send("Not a member of staff <b>")
    assert (await s.next_message(ADMIN_ID)).text == "Rex was refused admission and is told so."
    assert (await s.next_message(REX)).text == (
        "The office did not admit you. Reason: Not a member of staff <b>"
    )
    await rex.send("/report")
    assert (await s.next_message(REX)).text == REFUSED
    recorded = await actions(h)
    assert recorded.count("person.admission_requested") == 2
    assert recorded.count("person.admitted") == 1 and recorded.count("person.refused") == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_approve_into_a_committee(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    admin = users[ADMIN_ID]
    await admin.send("/members")
    await s.quiet()
    close_door(h, "approve")
    from bot.people import committees
    from tests.support.outsiders import ADMIN

    await committees.create_committee(h.deps, ADMIN, "教科文卫委")
    nia = s.add_user(NIA, "Nia", language_code="en", username="nia")
    await nia.send("/start")
    await s.next_message(NIA)
    s.mark_read(ADMIN_ID)
    card = await s.next_message(ADMIN_ID)
    await tap(s, admin, card, "Admit into a committee…")
    await s.wait_until(lambda: card.edits)
    assert card.text == "Into which committee is Nia admitted?"
    assert card.button_texts() == ["教科文卫委"]
    await tap(s, admin, card, "教科文卫委")
    await s.wait_until(lambda: len(card.edits) == 2)
    assert card.text == "Nia is admitted into 教科文卫委 and is told so."
    assert (await s.next_message(NIA)).text == (
        "The office has admitted you as a member of 教科文卫委. Send /help to see what you can do."
    )


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_invite_a_link_admits_at_once_and_a_bad_one_changes_nothing(
    harness: Harness,
) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    close_door(h, "invite")
    office = users[OFFICE]
    await office.send("/invite days=3 uses=1")
    made = await s.next_message(OFFICE)
    assert made.text.startswith("Here is the invitation link.")
    link = next(line for line in made.text.splitlines() if line.startswith("https://t.me/"))
    assert link.startswith("https://t.me/dutydesk_test_bot?start=join_")
    code = link.partition("start=")[2]
    assert len(code) >= 5 + 32

    # A stranger without a link: told the door is by invitation; the office is not asked.
    rex = s.add_user(REX, "Rex", language_code="en", username="rex")
    await rex.send("/start")
    assert (await s.next_message(REX)).text == f"Welcome, Rex.\n\n{INVITE_ONLY}"
    await rex.send("/report")
    assert (await s.next_message(REX)).text == INVITE_ONLY
    assert s.unread(ADMIN_ID) == [] and s.unread(OFFICE) == []

    # A wrong code: one sentence, nothing written.
    ivy = s.add_user(IVY, "Ivy", language_code="en", username="ivy")
    before = (await actions(h), await people_count(h))
    await ivy.send(f"/start {code[:-2]}xx")
    assert (await s.next_message(IVY)).text == (
        "This invitation link is not valid. Please ask the office for a new one."
    )
    assert (await actions(h), await people_count(h)) == before

    await ivy.send(f"/start {code}")
    hello = await s.next_message(IVY)
    assert hello.text == "Welcome to Duty Desk, Ivy. Please choose your language."
    await ivy.press(hello, "English")
    await s.wait_until(lambda: s.bot_messages(IVY)[-1].edits)
    assert s.bot_messages(IVY)[-1].text.startswith("Welcome, Ivy.")
    await ivy.send("/report")
    assert (await s.next_message(IVY)).text != INVITE_ONLY
    await ivy.send("/cancel")
    assert (await s.next_message(IVY)).text == "Cancelled."
    # Used up: the next person is told so, and nothing changes.
    await rex.send(f"/start {code}")
    assert (await s.next_message(REX)).text == (
        "This invitation has already been used. Please ask the office for a new one."
    )

    # Listed and withdrawn.
    await office.send("/invite uses=5")
    second = await s.next_message(OFFICE)
    code2 = next(x for x in second.text.splitlines() if x.startswith("https://")).partition(
        "start="
    )[2]
    await office.send("/invitations")
    listing = await s.next_message(OFFICE)
    assert listing.text.splitlines()[0] == "Valid invitation links"
    assert len(listing.text.splitlines()) == 2  # the used-up one is not listed
    answer = await tap(s, office, listing, listing.button_texts()[0])
    assert answer[0] is not None and answer[0].endswith("its link admits nobody now.")
    await rex.send(f"/start {code2}")
    assert (await s.next_message(REX)).text == "This invitation was withdrawn by the office."
    # A member cannot make links.
    await ivy.send("/invite")
    assert (await s.next_message(IVY)).text == (
        "Only an administrator or the office can admit people."
    )
    recorded = await actions(h)
    assert recorded.count("invitation.created") == 2 and recorded.count("invitation.revoked") == 1
    assert recorded.count("person.admitted") == 1


INSPECTOR_SAYS = (
    "As an inspector you may only read the ledger and its records: send /ledger, /record or /find."
)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_an_inspector_reads_the_ledger_and_nothing_else_until_it_ends(
    harness: Harness,
) -> None:
    from datetime import timedelta

    from tests.support.world import SECRETARY

    s, h = harness.standin, harness
    users = await world(h)
    close_door(h, "approve")
    ida = s.add_user(IVY, "Ida", language_code="en", username="ida")
    await ida.send("/start")
    assert (await s.next_message(IVY)).text.endswith(PENDING)
    shu = users[SECRETARY]
    await shu.send("/inspector @ida 2026-11-24 2026-11-30")
    assert (await s.next_message(SECRETARY)).text == (
        "Ida may read the ledger from 2026-11-24 to 2026-11-30, and nothing else; every "
        "reading is recorded."
    )
    assert (await s.next_message(IVY)).text.startswith("Shu has appointed you to inspect")
    await ida.send("/ledger")
    picker = await s.next_message(IVY)
    assert picker.text.startswith("Which period?")
    await tap(s, ida, picker, "This quarter")
    assert picker.text.splitlines()[0].startswith("Ledger")
    for command in ("/report", "/event", "/my", "/calendar", "/members"):
        await ida.send(command)
        assert (await s.next_message(IVY)).text == INSPECTOR_SAYS, command
    assert await tap(s, ida, picker, data="1ev:ap:1:1") == (INSPECTOR_SAYS, True)
    assert (await actions(h)).count("ledger.read") == 1
    # /help says what an inspector may do; /find searches what they may read, on record (R7).
    await ida.send("/help")
    assert (await s.next_message(IVY)).text == (
        "You are appointed to inspect from 2026-11-24 to 2026-11-30.\nWhat you can do:\n"
        "/ledger — The ledger: figures, lapses and evidence per clause (R7)\n"
        "/record — The whole record of a report, event request or meeting, by its reference\n"
        "/find — Find reports, event requests and meetings by words, reference, @person, "
        "status or period\n/help — What you can do here\n"
        "Every reading and every search you make is recorded."
    )
    await ida.send("/find INC-2026-0001")
    assert (await s.next_message(IVY)).text == (
        "Nothing found for “INC-2026-0001” among the records you may see."
    )
    assert (await actions(h)).count("record.find") == 1
    # 1 December: the appointment has ended by itself.
    h.clock.advance(timedelta(days=7))
    await ida.send("/ledger")
    assert (await s.next_message(IVY)).text == PENDING
    # Only the secretary or an administrator appoints.
    s.mark_read(OFFICE)
    await users[OFFICE].send("/inspector @ida 2026-12-01 2026-12-31")
    assert (await s.next_message(OFFICE)).text == (
        "Only the secretary or an administrator can appoint an inspector."
    )
