"""Granting and revoking roles through the chat (R4), with audit and announcements."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.chats.models import ChatBinding
from bot.outbox.models import OutboxMessage, OutboxStatus
from bot.people.models import Person
from standin.model import Message, SimUser
from tests.support.bot import ADMIN_ID, Harness
from tests.support.world import register, tap

GROUP = -5001


async def people_world(h: Harness) -> tuple[SimUser, SimUser]:
    s = h.standin
    admin = s.add_user(ADMIN_ID, "Ada", language_code="en", username="ada")
    li = s.add_user(1002, "李明", language_code="zh-hans", username="li_ming")
    s.add_group(GROUP, "机关工作群", members=[admin, li])
    await register(s, admin)
    return admin, li


async def open_card_by_reply(h: Harness, admin: SimUser, li: SimUser) -> Message:
    """The admin replies /role to Li's group message and follows the deep link."""
    s = h.standin
    hello = await li.send("大家好", chat=GROUP)
    await admin.send("/role", chat=GROUP, reply_to=hello)
    link = await s.next_message(GROUP)
    assert link.text == "Open the private chat to set the roles of 李明."
    payload = link.buttons[0][0][1].partition("?start=")[2]
    assert payload.startswith("role_")
    await admin.send(f"/start {payload}")
    return await s.next_message(ADMIN_ID)


async def audit(h: Harness, action: str) -> list[AuditEntry]:
    async with h.deps.db.read() as session:
        rows = await session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return list(rows)


async def test_grant_by_reply_announces_to_a_person_who_started_later(harness: Harness) -> None:
    s = harness.standin
    admin, li = await people_world(harness)
    card = await open_card_by_reply(harness, admin, li)
    assert card.text.startswith("李明 @li_ming\nRoles: member")
    assert "Has not started the bot yet" in card.text
    assert await tap(s, admin, card, "Grant: Office") == (
        "李明 now holds the role Office. They will be told when they start the bot.",
        False,
    )
    assert "Roles: Office" in card.text and "Revoke: Office" in card.button_texts()
    [_bootstrap, entry] = await audit(harness, "role.grant")
    assert entry.clause == "R4" and entry.data["role"] == "office"
    await s.quiet()
    assert s.bot_messages(1002) == []  # held: Telegram would refuse (403) before Start

    await li.send("/start")
    first = await s.next_message(1002)
    second = await s.next_message(1002)
    texts = {first.text, second.text}
    assert "Ada已授予您办公室工作人员职务。发送 /help 可查看可用功能。" in texts


async def test_double_tap_grants_once(harness: Harness) -> None:
    s = harness.standin
    admin, li = await people_world(harness)
    await register(s, li, "中文")
    card = await open_card_by_reply(harness, admin, li)
    data = card.button_data("Grant: Deputy secretary")
    await tap(s, admin, card, data=data)
    # The same button again (a double tap, or a stale copy).
    assert await tap(s, admin, card, data=data) == ("李明 already holds this role.", True)
    assert len(await audit(harness, "role.grant")) == 2  # bootstrap admin + this one
    notice = await s.next_message(1002)
    assert notice.text == "Ada已授予您党组副书记职务。发送 /help 可查看可用功能。"
    await s.quiet()
    assert len(s.bot_messages(1002)) == 2  # the welcome and one notice, not two


async def test_a_member_cannot_grant_and_nothing_changes(harness: Harness) -> None:
    s = harness.standin
    admin, li = await people_world(harness)
    await register(s, li)
    card = await open_card_by_reply(harness, admin, li)
    # Li copies the admin's button (anyone who sees a message can press it: rule 5).
    forged = card.button_data("Grant: Administrator")
    assert await tap(s, li, card, data=forged) == ("Only an administrator can change roles.", True)
    hello = await admin.send("hi", chat=GROUP)
    await li.send("/role", chat=GROUP, reply_to=hello)
    assert (await s.next_message(GROUP)).text == "Only an administrator can change roles."
    assert len(await audit(harness, "role.grant")) == 1


async def test_role_by_username_and_revoke(harness: Harness) -> None:
    s = harness.standin
    admin, li = await people_world(harness)
    await admin.send("/role @nobody")
    assert (await s.next_message(ADMIN_ID)).text.startswith("I do not know @nobody yet.")
    await register(s, li)
    await admin.send("/role @Li_Ming")
    card = await s.next_message(ADMIN_ID)
    await admin.press(card, "Grant: Emergency office")
    await s.wait_until(lambda: "Revoke: Emergency office" in card.button_texts())
    await admin.press(card, "Revoke: Emergency office")
    await s.wait_until(lambda: "Grant: Emergency office" in card.button_texts())
    notices = [await s.next_message(1002) for _ in range(2)]
    assert [n.text for n in notices] == [
        "You now hold the role <b>Emergency office</b>, given by Ada. Send /help to see what "
        "you can do.".replace("<b>", "").replace("</b>", ""),
        "Your role Emergency office was revoked by Ada.",
    ]
    assert len(await audit(harness, "role.revoke")) == 1


async def test_new_committee_survives_a_restart_mid_conversation(harness: Harness) -> None:
    s = harness.standin
    admin, li = await people_world(harness)
    await register(s, li)
    await admin.send("/role @li_ming")
    card = await s.next_message(ADMIN_ID)
    await admin.press(card, "Make head of a committee…")
    await s.wait_until(lambda: "New committee…" in card.button_texts())
    await admin.press(card, "New committee…")
    await s.wait_until(lambda: card.text.startswith("Send the name of the new committee"))

    await harness.restart()  # the draft lives in SQL, not in memory

    await admin.send("<b>教科文卫</b> & 委员会")
    toast = await s.next_message(ADMIN_ID)
    assert toast.text == "李明 now holds the role Committee head (<b>教科文卫</b> & 委员会)."
    new_card = await s.next_message(ADMIN_ID)
    assert "Revoke: Committee head (<b>教科文卫</b> & 委员会)" in new_card.button_texts()
    await admin.send("/cancel")
    assert (await s.next_message(ADMIN_ID)).text == "There is nothing to cancel."


async def test_members_list_pages(harness: Harness) -> None:
    s = harness.standin
    admin, _ = await people_world(harness)
    for i in range(10):
        await register(s, s.add_user(2000 + i, f"P{i:02d}", language_code="en"))
    await admin.send("/members")
    page = await s.next_message(ADMIN_ID)
    assert page.text == "11 people are known to the bot (page 1 of 2)."  # Li never wrote
    assert page.button_texts()[-1] == "›"
    await admin.press(page, "›")
    await s.wait_until(lambda: "page 2 of 2" in page.text)
    assert page.button_texts()[-1] == "‹"
    await admin.press(page, page.button_texts()[0])
    await s.wait_until(lambda: "Roles:" in page.text)


async def test_setup_binds_group_and_follows_supergroup_upgrade(harness: Harness) -> None:
    s = harness.standin
    admin, li = await people_world(harness)
    await li.send("/setup", chat=GROUP)
    question = await s.next_message(GROUP)
    assert question.button_texts() == ["机关工作群", "领导班子群"]  # in Li's language
    assert await tap(s, li, question, "机关工作群") == ("只有管理员可以设置群组。", True)
    await admin.press(question, "机关工作群")
    await s.wait_until(lambda: question.edits)
    assert question.text == "This group is now the organisation group. Set up by Ada."

    new_id = s.upgrade_group(GROUP)
    await s.quiet()
    async with harness.deps.db.read() as session:
        binding = await session.scalar(select(ChatBinding))
    assert binding is not None and binding.chat_id == new_id and binding.purpose == "org"
    assert len(await audit(harness, "chat.migrate")) == 1


async def test_notice_to_a_person_who_blocked_the_bot_is_recorded(harness: Harness) -> None:
    s = harness.standin
    admin, li = await people_world(harness)
    await register(s, li)
    li.block()
    await admin.send("/role @li_ming")
    card = await s.next_message(ADMIN_ID)
    await admin.press(card, "Grant: Office")

    async def outbox_status() -> str:
        async with harness.deps.db.read() as session:
            return str(await session.scalar(select(OutboxMessage.status)))

    for _ in range(50):
        if await outbox_status() == OutboxStatus.HELD:
            break
        await s.quiet(0.05)
    assert await outbox_status() == OutboxStatus.HELD  # kept for when Li writes again
    async with harness.deps.db.read() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == 1002))
    assert person is not None and person.blocked_at is not None
    li.unblock()
    await li.send("/help")  # writing again means unblocked: the held notice goes out
    notices = [await s.next_message(1002) for _ in range(2)]
    assert any(n.text.startswith("You now hold the role Office") for n in notices)


async def test_notice_is_retried_after_429(harness: Harness) -> None:
    s = harness.standin
    admin, li = await people_world(harness)
    await register(s, li)
    s.faults.flood(chat_id=1002, retry_after=1, times=1)
    await admin.send("/role @li_ming")
    card = await s.next_message(ADMIN_ID)
    await admin.press(card, "Grant: Office")

    async def last_error() -> str | None:
        async with harness.deps.db.read() as session:
            return await session.scalar(select(OutboxMessage.last_error))

    for _ in range(100):  # until the delivery task has recorded the 429 and its retry time
        if (await last_error() or "").startswith("429"):
            break
        await asyncio.sleep(0.05)
    assert await last_error() == "429 retry after 1 s"
    harness.clock.advance(timedelta(seconds=2))  # retry_after has passed
    notice = await s.next_message(1002, timeout=5)
    assert notice.text.startswith("You now hold the role Office")
    refused = [c for c in s.calls if c[0] == "sendmessage" and c[2] == 429]
    assert len(refused) == 1
