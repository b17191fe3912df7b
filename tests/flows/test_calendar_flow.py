"""The calendar through the chat: reminders with their buttons, /meeting, /calendar (R3, A3)."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.calendar import runner
from bot.calendar.models import Meeting, Snooze
from tests.support.bot import ADMIN_ID, Harness
from tests.support.calendar import local
from tests.support.world import DEPUTY, GROUP, MEMBER, OFFICE, SECRETARY, tap, world


async def test_a_reminder_recorded_through_its_button_stops(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    h.clock.set(local(2026, 11, 27, 18, 0))
    await runner.run(h.deps)  # the calendar starts: nothing is due
    h.clock.set(local(2026, 11, 30, 9, 30))  # November's last working day; Monday
    assert await runner.run(h.deps) == 2
    reminder = await s.next_message(GROUP)
    # The group reads the organisation's language, Chinese.
    assert reminder.text == "提醒：2026年11月尚未记录理论学习（R3）。今天是本期最后一个工作日。"
    assert reminder.buttons == [
        [
            ("记录会议", "https://t.me/dutydesk_test_bot?start=meeting-st"),
            ("明天再提醒我", reminder.buttons[0][1][1]),
        ]
    ]
    # No leadership group is set up: the digest goes to the secretary and deputy privately.
    for uid in (SECRETARY, DEPUTY):
        digest = await s.next_message(uid)
        assert digest.text.startswith("Weekly digest: the week of November 30, 2026\n")
        assert "Open incidents: 0 " in digest.text
    # Tomorrow is December: too late for November, and the member is told so.
    answer = await tap(s, users[MEMBER], reminder, "明天再提醒我")
    assert answer == (
        "There is no working day left before this falls due; please see to it today.",
        True,
    )
    # A member may not record; the office follows the button's deep link.
    await users[MEMBER].send("/start meeting-st")
    assert (await s.next_message(MEMBER)).text == (
        "Only the secretary, the deputy secretary or the office can record meetings."
    )
    office = users[OFFICE]
    await office.send("/start meeting-st")
    q = await s.next_message(OFFICE)
    assert q.text == "When was it held? Choose, or type a date such as 2026-11-30."
    await office.send("2026-12-24")
    assert (await s.next_message(OFFICE)).text == (
        "A meeting can be recorded once it has been held; that date is in the future."
    )
    await office.send("11-28")
    q = await s.next_message(OFFICE)
    # R3; R8, P4: the policy's study materials, marked as studied.
    assert q.text == (
        "Which of the policy's study materials were studied (R8, P4)? Tap to mark, then Done; "
        "with none of them, press Done now."
    )
    await tap(s, office, q, "Films about model figures")
    await tap(s, office, q, "Done")
    assert q.text == "What was it about? Send a title or a short description."
    await office.send("<script>x</script> 学习贯彻会议精神")
    q = await s.next_message(OFFICE)
    assert q.text.startswith("Who attended? Tap names to mark them, then Done.")
    await tap(s, office, q, "Mei")
    await tap(s, office, q, "Shu")
    assert q.text.endswith("2 people marked.")
    await tap(s, office, q, "✓ Mei")  # a second tap unmarks
    assert q.text.endswith("1 person marked.")
    await tap(s, office, q, "Done")
    assert q.text == (
        "Send the minutes as text, or as files or photos, then press Done. With none, press "
        "Done now."
    )
    await office.send_document("minutes.pdf", b"%PDF-1.4 minutes")
    files = await s.next_message(OFFICE)
    assert files.text.endswith("1 file received.")
    await tap(s, office, files, "Done")
    assert files.text == (
        "Please check the record.\nMeeting: Study session (R3)\nHeld on: November 28, 2026\n"
        "Studied: Films about model figures\nSubject: <script>x</script> 学习贯彻会议精神\n"
        "1 attendee\n1 file"
    )
    await tap(s, office, files, "Save")
    assert files.text.endswith(
        "Recorded as MTG-2026-0001. Its reminders stop; the ledger shows it under clause R3."
    )
    assert files.button_texts() == ["Details of MTG-2026-0001"]  # R7: the whole record
    await tap(s, office, files, "Details of MTG-2026-0001")
    whole = await s.next_message(OFFICE)
    assert whole.text.startswith("MTG-2026-0001 · Study session (R3)\nHeld on: November 28, 2026")
    assert "Studied: Films about model figures" in whole.text
    assert "\nAttendees: Shu\n" in whole.text and "Files\n1. minutes.pdf: " in whole.text
    assert whole.text.splitlines()[-1].startswith("Recorded by ")
    assert whole.button_texts() == ["Attachments"]  # the minutes, sent to whoever reads it
    await tap(s, office, whole, "Attachments")
    assert (await s.next_message(OFFICE)).text.startswith("MTG-2026-0001: 1 attachment follows.")
    assert (await s.next_message(OFFICE)).document is not None
    # /calendar and /find name it by its reference too.
    await office.send("/calendar")
    listed = (await s.next_message(OFFICE)).text
    assert (
        "Meetings held most recently\n· MTG-2026-0001 · November 28, 2026 · Study session "
        "(R3) · <script>x</script> 学习贯彻会议精神" in listed
    )
    await office.send("/find 学习贯彻")
    found = await s.next_message(OFFICE)
    assert found.text.startswith(
        "1 record found for “学习贯彻” (page 1 of 1):\n\n"
        "MTG-2026-0001 · November 28, 2026 · Study session (R3)"
    )
    assert found.button_texts() == ["Details of MTG-2026-0001"]
    # A second Save (a double tap) records nothing twice.
    assert await tap(s, office, files, data="1mt:ok") == (
        "This record is no longer being filled in. Send /meeting to start.",
        True,
    )
    # The next morning: December's session is announced, November has no lapse.
    h.clock.set(local(2026, 12, 1, 9, 30))
    assert await runner.run(h.deps) == 1
    december = await s.next_message(GROUP)
    assert december.text.startswith("理论学习：2026年12月（R3、P4）")
    await s.quiet()
    assert s.unread(GROUP) == []


async def test_calendar_command_in_the_group(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    h.clock.set(local(2026, 12, 3, 10, 0))
    await runner.run(h.deps)
    await users[ADMIN_ID].send("/calendar", chat=GROUP)
    view = await s.next_message(GROUP)
    lines = view.text.splitlines()
    # The admin reads in their language, English, even in the group.
    assert lines[0] == "The regulation's calendar (December 3, 2026)"
    assert lines[1] == "Dedicated meetings this year (R2): 0 of at least 2."
    assert "· Quarterly review, Q4 2026: by December 31, 2026" in lines
    assert "· Study session, December 2026: by December 31, 2026" in lines
    assert (
        "· December 7, 2026: Forward-looking analysis before National Memorial Day "
        "(December 13, 2026)" in lines
    )
    assert "Overdue" not in lines  # the calendar started today: nothing is claimed before


async def test_forged_calendar_buttons_change_nothing(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    await users[ADMIN_ID].send("/calendar", chat=GROUP)
    view = await s.next_message(GROUP)
    admin = users[ADMIN_ID]
    forged = {
        "1cl:sz:999999": ("This reminder no longer exists.", True),
        "1cl:sz:-1": ("This button is no longer valid.", True),
        "1cl:zz:1": ("This button is no longer valid.", True),
        "1mt:ok": ("This record is no longer being filled in. Send /meeting to start.", True),
        "1po:ok": ("This policy is no longer waiting for you.", True),
        "\x00\xff" * 20: ("This button is no longer valid.", True),
    }
    for data, expected in forged.items():
        assert await tap(s, admin, view, data=data) == expected, data
    async with h.deps.db.read() as session:
        assert await session.scalar(select(func.count(Snooze.id))) == 0
        assert await session.scalar(select(func.count(Meeting.id))) == 0
