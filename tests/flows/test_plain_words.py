"""Screens say what is true and let people out: typed minutes, no Skip that is not there, a
way back from Edit a field, Pull in that says why its list is empty and pages, limits said as
the rule says them, a critical incident called critical."""

from __future__ import annotations

from sqlalchemy import select

from bot.calendar.models import Meeting
from bot.incidents.sweep import sweep
from tests.support.bot import Harness
from tests.support.incident_facts import filed
from tests.support.world import (
    DEPUTY,
    EMERGENCY,
    MEMBER,
    OFFICE,
    SECRETARY,
    register,
    tap,
    world,
)


async def test_typed_minutes_are_taken_as_minutes(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    ou = users[OFFICE]
    await ou.send("/meeting")
    q = await s.next_message(OFFICE)
    await tap(s, ou, q, "Study session (R3)")
    await tap(s, ou, q, "Today")
    await ou.send("学习全会精神")
    q = await s.next_message(OFFICE)
    await tap(s, ou, q, "Done")  # attendees
    assert q.text == (
        "Send the minutes as text, or as files or photos, then press Done. With none, press "
        "Done now."
    )
    await ou.send("会议纪要：传达学习全会精神，交流研讨。")
    q = await s.next_message(OFFICE)
    assert q.text.endswith("Typed minutes received.")
    await tap(s, ou, q, "Done")
    assert "Minutes: 会议纪要：传达学习全会精神，交流研讨。" in q.text
    await tap(s, ou, q, "Save")
    async with harness.deps.db.read() as session:
        meeting = await session.scalar(select(Meeting))
    assert meeting is not None and meeting.notes == "会议纪要：传达学习全会精神，交流研讨。"


async def test_no_skip_that_is_not_there_and_a_way_back_from_edit_a_field(
    harness: Harness,
) -> None:
    s = harness.standin
    users = await world(harness)
    mei = users[MEMBER]
    await mei.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, mei, q, "Information report")
    await mei.send("网上出现不实信息")
    await tap(s, mei, await s.next_message(MEMBER), "Today")
    await mei.send("微博")
    await mei.send("已截图")
    await s.quiet()
    q = s.bot_messages(MEMBER)[-1]
    assert "skip" not in q.text.lower() and "Skip" not in q.button_texts()
    await tap(s, mei, q, "Done")
    await tap(s, mei, q, "Edit a field")
    assert q.text == "Which field do you want to change?"
    assert q.button_texts()[-2:] == ["‹ Back to the summary", "Cancel"]
    await tap(s, mei, q, "‹ Back to the summary")
    assert q.text.startswith("Please check your report.")
    assert q.button_texts() == ["Submit", "Edit a field", "Cancel"]


async def test_pull_in_says_why_it_is_empty_and_pages(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    cards = await filed(harness)
    eli, card = users[EMERGENCY], cards[EMERGENCY]
    for _ in range(3):  # Ada, Ou and Shu: everyone else handles it already
        await tap(s, eli, card, "Pull in")
        choose = await s.next_message(EMERGENCY)
        await tap(s, eli, choose, choose.button_texts()[0])
    assert await tap(s, eli, card, "Pull in") == (
        "Everyone else who has started the bot already handles INC-2026-0001 or reported it.",
        False,
    )
    for n in range(12):  # twelve more colleagues
        await register(s, s.add_user(2000 + n, f"Zed{n:02d}", language_code="en"))
    await s.quiet()  # every "Language saved." answered before the next press is counted
    await tap(s, eli, card, "Pull in")
    choose = await s.next_message(EMERGENCY)
    assert choose.text == "Whom do you want to pull in?\nPage 1 of 2."
    assert choose.button_texts()[-1] == "Next ›" and len(choose.button_texts()) == 11
    await tap(s, eli, choose, "Next ›")
    assert choose.text == "Whom do you want to pull in?\nPage 2 of 2."
    assert choose.button_texts() == ["Zed10", "Zed11", "‹ Previous"]
    await tap(s, eli, choose, "Zed11")
    assert choose.text == "Zed11 has been asked to help."
    s.mark_read(DEPUTY)


async def test_a_critical_incident_is_called_critical_in_the_ledger(harness: Harness) -> None:
    from bot.incidents.service import ReportDraft, file_report
    from bot.people.view import TgUser
    from bot.policy.schema import Kind, Severity

    s = harness.standin
    users = await world(harness)
    draft = ReportDraft(
        kind=Kind.PUBLIC_OPINION,
        severity=Severity.CRITICAL,
        what="不实信息大量转发",
        discovered_at=harness.clock.now(),
        discovered_precision="minute",
        location="微博",
        actions_taken="已截图",
        attachments=[],
    )
    await file_report(harness.deps, TgUser(MEMBER, "Mei"), draft)
    card = await s.next_message(OFFICE)
    await tap(s, users[OFFICE], card, "Close")
    await s.next_message(OFFICE)
    await users[OFFICE].send("已处置完毕")  # closed without the secretary (R2, C2)
    await s.next_message(OFFICE)
    await sweep(harness.deps)
    await s.quiet()
    s.mark_read(SECRETARY)
    await users[SECRETARY].send("/ledger")
    q = await s.next_message(SECRETARY)
    await tap(s, users[SECRETARY], q, "This quarter")
    await tap(s, users[SECRETARY], q, q.button_texts()[0])  # Lapses (n)
    assert "INC-2026-0001: a critical incident the secretary never acknowledged (R2, C2)" in (
        q.text
    )
