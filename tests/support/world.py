"""The flow tests' organisation (an admin, a member and the regulation's staff, each registered),
and the gestures every flow makes: registering, pressing a button, filing a report."""

from __future__ import annotations

from bot.people import directory, grants
from bot.people.roles import Role
from bot.people.view import TgUser
from standin.model import Message, SimUser
from tests.support.bot import ADMIN_ID, Harness
from tests.support.standin_reading import ReadingStandIn

GROUP = -5001
MEMBER, EMERGENCY, DEPUTY, SECRETARY, OFFICE = 1001, 1002, 1003, 1004, 1005


async def register(s: ReadingStandIn, user: SimUser, language: str = "English") -> None:
    await user.send("/start")
    await user.press(await s.next_message(user.id), language)
    await s.wait_until(lambda: s.bot_messages(user.id)[-1].edits)


async def tap(
    s: ReadingStandIn,
    user: SimUser,
    msg: Message,
    label: str | None = None,
    data: str | None = None,
) -> tuple[str | None, bool]:
    """Press a button and return the answer the bot gave to the press (text, alert)."""
    before = len(s.answers)
    await user.press(msg, label, callback_data=data)
    await s.wait_until(lambda: len(s.answers) > before, what="the answer to a press")
    return s.answers[before][1], s.answers[before][2]


async def world(h: Harness) -> dict[int, SimUser]:
    """An admin, a member and the staff of the regulation, each registered in English."""
    s = h.standin
    admin = s.add_user(ADMIN_ID, "Ada", language_code="en")
    await register(s, admin)
    users = {ADMIN_ID: admin}
    staff = [
        (MEMBER, "Mei", None),
        (EMERGENCY, "Eli", Role.EMERGENCY_OFFICE),
        (DEPUTY, "Dai", Role.DEPUTY),
        (SECRETARY, "Shu", Role.SECRETARY),
        (OFFICE, "Ou", Role.OFFICE),
    ]
    s.add_group(GROUP, "Org", members=[admin])
    await admin.send("/setup", chat=GROUP)
    setup = await s.next_message(GROUP)
    await tap(s, admin, setup, "Organisation group")
    for uid, name, role in staff:
        user = s.add_user(uid, name, language_code="en", username=name.lower())
        await register(s, user)
        users[uid] = user
        if role is not None:
            person = await directory.find_person(h.deps, username=name.lower())
            await grants.change_role(
                h.deps, TgUser(ADMIN_ID, "Ada"), person_id=person.id, role=role, grant=True
            )
    await s.quiet()
    s.mark_read(*users, GROUP)  # tests read from here on
    return users


async def ask(s: ReadingStandIn, chat: int) -> Message:
    return await s.next_message(chat)


async def file_major_network_incident(h: Harness, member: SimUser) -> Message:
    """Walk every step of /report, with a Back on the way; return the summary message."""
    s = h.standin
    await member.send("/report")
    q = await ask(s, MEMBER)
    assert q.text == "What do you want to report?"
    await tap(s, member, q, "Network-security incident")
    assert q.text == "How serious is it?"
    await tap(s, member, q, "‹ Back")  # Back returns to the kind
    assert q.text == "What do you want to report?"
    await tap(s, member, q, "Network-security incident")
    await tap(s, member, q, "Major")
    assert q.text == "What happened? Describe it in a message."
    await member.send("<script>alert('x')</script> 首页被篡改 & defaced")
    q = await ask(s, MEMBER)
    assert q.text.startswith("When was it discovered?")
    await member.send("2999-01-01 10:00")
    assert (await ask(s, MEMBER)).text == "That moment is in the future. When was it discovered?"
    await member.send("whenever")
    assert (await ask(s, MEMBER)).text.startswith("I could not read that date.")
    await member.send("2026-11-24 09:40")
    assert (await ask(s, MEMBER)).text == "Where? Name the system, platform or place."
    await member.send("x" * 2001)
    assert (await ask(s, MEMBER)).text == (
        "“Where” is too long: 2001 characters, at most 2000 fit. Please shorten it."
    )
    await member.send("门户网站 www")
    assert (await ask(s, MEMBER)).text == "What has already been done about it?"
    await member.send("已断开外网")
    q = await ask(s, MEMBER)
    assert q.text.startswith("Send photos or documents")
    await member.send_photo(b"\x89PNG fake")
    q = await ask(s, MEMBER)
    assert "1 file received." in q.text
    await tap(s, member, q, "Done")
    summary = q  # the attachments question turns into the summary
    assert summary.text.splitlines()[0] == "Please check your report."
    assert "What happened: <script>alert('x')</script> 首页被篡改 & defaced" in summary.text
    assert "1 attachment" in summary.text
    assert summary.button_texts() == ["Submit", "Edit a field", "Cancel"]
    return summary
