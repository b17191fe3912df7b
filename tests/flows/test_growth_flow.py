"""Records that grow, through the stand-in: the reporter adds facts and a photo from the receipt
of the report (handlers told, the record shows it); a handler raises the severity (the secretary
comes in, R2, L1); the office reopens a closed report from /record (L4: acknowledged again);
double taps, old and forged buttons change nothing."""

from __future__ import annotations

from sqlalchemy import select

from bot.incidents.models import Incident
from standin.model import Message
from tests.support import callback_data as cd
from tests.support.bot import Harness
from tests.support.evidence import report_general, settled
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import DEPUTY, EMERGENCY, MEMBER, OFFICE, SECRETARY, tap, world


async def filed(s: ReadingStandIn, h: Harness, users: dict) -> Message:  # type: ignore[type-arg]
    """A general network-security report, submitted; its receipt (the reporter's copy)."""
    q = await report_general(s, users[MEMBER], [])
    await tap(s, users[MEMBER], q, "Done")
    assert await tap(s, users[MEMBER], q, "Submit") == ("Submitted as INC-2026-0001.", False)
    await s.quiet()
    s.mark_read(EMERGENCY, DEPUTY)
    return q


async def test_the_reporter_adds_facts_and_a_photo_and_the_handlers_are_told(
    harness: Harness,
) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    member = users[MEMBER]
    receipt = await filed(s, h, users)
    assert receipt.button_texts() == ["Add to this report"]
    assert await tap(s, member, receipt, "Add to this report") == (None, False)
    prompt = await s.next_message(MEMBER)
    assert prompt.text.startswith("What do you want to add to INC-2026-0001?")
    assert prompt.button_texts() == ["Done", "Cancel"]
    await member.send("又发现两处页面被篡改")
    assert (await s.next_message(MEMBER)).text == "1 text received.\nSend more, or press Done."
    await member.send_photo(b"\x89PNG the third page")
    status = await s.next_message(MEMBER)
    assert status.text.splitlines()[:2] == ["1 text received.", "1 file received."]
    await tap(s, member, status, "Done")
    assert status.text == (
        "Added to INC-2026-0001; it is addition number 1.\n2 handlers have been told."
    )
    assert await settled(h, 1) == ["kept"]  # the office keeps it like the report's own
    await s.quiet()
    for uid in (EMERGENCY, DEPUTY):
        told = s.unread(uid)[-1]
        assert told.text.splitlines()[:2] == [
            "Mei added to the report INC-2026-0001:",
            "“又发现两处页面被篡改”",
        ]
        assert "Attachments" in told.button_texts()
    # A second Done (a double tap, or the older message) adds nothing.
    assert await tap(s, member, prompt, "Done") == (
        "This addition was already sent or cancelled. To add more, press Add to this report.",
        True,
    )
    await member.send("/record INC-2026-0001")
    record = await s.next_message(MEMBER)
    lines = record.text.splitlines()
    assert "Additions by the reporter" in lines
    assert "    又发现两处页面被篡改" in lines
    assert record.button_texts() == ["Attachments", "Add to this report"]


async def test_raised_to_major_the_secretary_comes_in_and_a_second_tap_is_told(
    harness: Harness,
) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    await filed(s, h, users)
    card = s.bot_messages(EMERGENCY)[-1]
    assert "Change severity" in card.button_texts()
    assert await tap(s, users[EMERGENCY], card, "Change severity") == (None, False)
    choice = await s.next_message(EMERGENCY)
    assert choice.text == "INC-2026-0001 is now General. What should it be?"
    assert choice.button_texts() == ["Major", "Critical"]
    await tap(s, users[EMERGENCY], choice, "Major")
    assert choice.text == (
        "Why is INC-2026-0001 to be Major? Send the reason as a message, or /cancel."
    )
    await users[EMERGENCY].send("涉及大量个人信息")
    answer = await s.next_message(EMERGENCY)
    assert answer.text == (
        "INC-2026-0001 is now Major; its handlers have been told.\n"
        "Brought in by the new severity: Shu."
    )
    await s.quiet()
    assert s.unread(SECRETARY)[-1].text.startswith("A report needs your attention.")
    told = s.unread(DEPUTY)[-1]
    assert told.text == (
        "Eli changed the severity of INC-2026-0001 from General to Major. Reason: 涉及大量个人信息"
    )
    s.mark_read(DEPUTY)
    # The deputy's card now offers the severities but the one in force.
    mine = next(m for m in s.bot_messages(DEPUTY) if "Change severity" in m.button_texts())
    await tap(s, users[DEPUTY], mine, "Change severity")
    old = await s.next_message(DEPUTY)
    assert old.button_texts() == ["General", "Critical"]
    # Major pressed on the emergency office's older choice: told it already is.
    assert await tap(s, users[EMERGENCY], choice, data=cd.encode("in", "sc", 1, "m")) == (
        "INC-2026-0001 is already Major.",
        False,
    )
    await tap(s, users[DEPUTY], mine, "Timeline")
    timeline = await s.next_message(DEPUTY)
    assert any(
        line.endswith("Severity changed · Eli · General → Major")
        for line in timeline.text.splitlines()
    )
    # A forged severity code is a stale button.
    stale = await tap(s, users[DEPUTY], old, data=cd.encode("in", "sc", 1, "z"))
    assert stale[1] is True and "no longer valid" in (stale[0] or "")
    # The reporter does not handle it, whatever the button says.
    forged = await tap(s, users[MEMBER], old, data=cd.encode("in", "sc", 1, "c"))
    assert forged == ("Only the handlers of this report and the leadership can do that.", True)


async def test_the_office_reopens_a_closed_report_from_the_record(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    receipt = await filed(s, h, users)
    card = s.bot_messages(EMERGENCY)[-1]
    await tap(s, users[EMERGENCY], card, "Close")
    await s.next_message(EMERGENCY)
    await users[EMERGENCY].send("已恢复，处置完毕")
    await s.next_message(EMERGENCY)
    await s.quiet()
    s.mark_read(MEMBER, EMERGENCY, DEPUTY)
    # Closed: the reporter is told plainly that nothing more can be added.
    refusal = await tap(s, users[MEMBER], receipt, "Add to this report")
    assert refusal[1] is True and (refusal[0] or "").startswith(
        "INC-2026-0001 is closed, so nothing more can be added to it."
    )
    await users[OFFICE].send("/record INC-2026-0001")
    record = await s.next_message(OFFICE)
    assert record.button_texts() == ["Reopen"]
    await tap(s, users[OFFICE], record, "Reopen")
    assert (await s.next_message(OFFICE)).text.startswith("Why is INC-2026-0001 to be reopened?")
    await users[OFFICE].send("同类问题再次出现")
    assert (await s.next_message(OFFICE)).text == (
        "INC-2026-0001 is open again. Its handlers have been told and must acknowledge it again."
    )
    await s.quiet()
    again = s.unread(EMERGENCY)[-1]
    assert again.text.splitlines()[:2] == [
        "Ou reopened INC-2026-0001. Reason: 同类问题再次出现",
        "It needs acknowledging again.",
    ]
    assert "Acknowledge" in again.button_texts()
    assert s.unread(MEMBER)[-1].text == (
        "Your report INC-2026-0001 has been reopened. Reason: 同类问题再次出现"
    )
    # The same Reopen pressed again: told who reopened it, nothing moves.
    assert await tap(s, users[OFFICE], record, "Reopen") == (
        "INC-2026-0001 is not closed, so there is nothing to reopen.",
        True,
    )
    await tap(s, users[EMERGENCY], again, "Acknowledge")
    assert again.text.splitlines()[1].startswith("Reopened 1 time, on ")  # the card's status
    async with h.db.read() as session:
        row = await session.scalar(select(Incident))
    assert row is not None and (row.status, row.reopen_count) == ("open", 1)
    # The ledger counts the reopening in its incidents view.
    await users[SECRETARY].send("/ledger")
    q = await s.next_message(SECRETARY)
    await tap(s, users[SECRETARY], q, "This year")
    assert "Reopened after closing: 1." in q.text.splitlines()
    await tap(s, users[SECRETARY], q, "By clause")
    await tap(s, users[SECRETARY], q, "L4")
    assert "· November 24, 2026 10:00 · Step: Reopened · INC-2026-0001 (Ou)" in q.text.splitlines()
