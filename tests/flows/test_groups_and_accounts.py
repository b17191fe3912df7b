"""Groups and accounts that go away, through the stand-in on SQLite and PostgreSQL (R4): the
organisation group removes the bot, the bot is added back, a person deletes their account."""

from __future__ import annotations

from sqlalchemy import select

from bot.chats.models import ChatBinding
from standin.model import SimUser
from tests.support.bot import ADMIN_ID, Harness
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import EMERGENCY, GROUP, MEMBER, OFFICE, tap, world


async def file_major(s: ReadingStandIn, member: SimUser) -> None:
    """A major network-security incident: cards to its handlers, a notice to the group."""
    await member.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Network-security incident")
    await tap(s, member, q, "Major")
    for answer in ("首页被篡改", "9:00", "门户网站", "已断开外网"):
        await member.send(answer)
        q = await s.next_message(MEMBER)
    await tap(s, member, q, "Done")
    assert await tap(s, member, q, "Submit") == ("Submitted as INC-2026-0001.", False)


async def binding(h: Harness) -> ChatBinding:
    async with h.deps.db.read() as session:
        found = await session.scalar(select(ChatBinding))
    assert found is not None
    return found


async def test_the_group_removes_the_bot_and_adds_it_back(harness: Harness) -> None:
    """The admins hear at once that the group is lost and where its reminders go; a notice
    meant for it is counted, not sent; added back, they hear it must be set up again and what
    it missed; /setup there binds it again."""
    s, h = harness.standin, harness
    users = await world(h)
    s.remove_bot_from(GROUP, by=users[ADMIN_ID])
    told = await s.next_message(ADMIN_ID)
    assert told.text == (
        "The bot was removed from the organisation group “Org”. Its notices can no longer "
        "reach the group. Until the bot is added back and the group is set up again with "
        "/setup, its reminders go privately to the office."
    )
    await file_major(s, users[MEMBER])
    await s.quiet()
    assert s.unread(GROUP) == []
    assert (await binding(h)).missed == 1
    s.add_bot_to(GROUP, by=users[ADMIN_ID])
    back = await s.next_message(ADMIN_ID)
    assert back.text.startswith(
        "The bot was added back to “Org”. It is not the organisation group again until an "
        "administrator sends /setup in that group and chooses its purpose.\nSince "
    )
    assert back.text.endswith(
        "1 notice meant for the group did not reach it; its reminders went privately to the "
        "office meanwhile."
    )
    await users[ADMIN_ID].send("/setup", chat=GROUP)
    setup = await s.next_message(GROUP)
    assert await tap(s, users[ADMIN_ID], setup, "Organisation group") == ("Saved.", False)
    bound = await binding(h)
    assert (bound.lost_at, bound.missed) == (None, 0)


async def test_a_send_refused_in_the_group_goes_to_the_office_instead(harness: Harness) -> None:
    """Telegram refuses the group notice (403, the removal's update never came): the binding
    is lost, the notice reaches the office privately, and the admins are told."""
    s, h = harness.standin, harness
    users = await world(h)
    s.chats[GROUP].bot_status = "kicked"  # removed, and no my_chat_member update arrived
    await file_major(s, users[MEMBER])
    told = await s.next_message(ADMIN_ID)
    assert told.text.startswith("The bot was removed from the organisation group “Org”.")
    await s.quiet()
    office = [m.text for m in s.unread(OFFICE)]
    assert any(t.startswith("A major incident was reported") for t in office), office
    assert (await binding(h)).lost_at is not None


async def test_a_deleted_account_is_not_called_not_started(harness: Harness) -> None:
    """The emergency office's account is deleted: its card is refused with "user is
    deactivated", and the office hears that the account was deleted, not that they never
    pressed Start."""
    s = harness.standin
    users = await world(harness)
    users[EMERGENCY].delete_account()
    await file_major(s, users[MEMBER])
    await s.quiet()
    said = [m.text for m in s.unread(OFFICE)]
    assert (
        "Messages to Eli cannot be delivered: their Telegram account has been deleted, so "
        "nothing will reach them again. If they hold a role or open work, please hand it to "
        "someone else." in said
    ), said
    assert not [t for t in said if "not started the bot" in t]


async def test_a_person_who_unblocks_the_bot_gets_what_waited(harness: Harness) -> None:
    """Blocked: the card waits. Unblocked (Telegram says so; nothing typed yet): it arrives."""
    s = harness.standin
    users = await world(harness)
    users[EMERGENCY].block()
    await file_major(s, users[MEMBER])
    await s.quiet()
    assert s.unread(EMERGENCY) == []
    users[EMERGENCY].unblock()
    card = await s.next_message(EMERGENCY)
    assert card.text.startswith("A report needs your attention."), card.text
