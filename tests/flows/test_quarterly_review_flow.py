"""Recording a quarterly review through the chat: each of the five areas (A2) answered, one of
them not discussed, so the review is held, incomplete, and /calendar says so."""

from __future__ import annotations

from sqlalchemy import select

from bot.calendar import runner
from bot.calendar.models import Meeting
from tests.support.bot import ADMIN_ID, Harness
from tests.support.calendar import local
from tests.support.world import GROUP, OFFICE, tap, world


async def test_a_review_with_one_area_not_discussed(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    h.clock.set(local(2026, 11, 24, 10, 0))
    await runner.run(h.deps)
    office = users[OFFICE]
    await office.send("/start meeting-qr")
    q = await s.next_message(OFFICE)
    await office.send("11-20")
    q = await s.next_message(OFFICE)
    assert q.text == (
        "Area 1 of 5 (A2): Political theory\nSend the conclusion the review reached on it, or "
        "press “Not discussed”."
    )
    await office.send("理论学习扎实，思想总体稳定")
    q = await s.next_message(OFFICE)
    assert q.text.startswith("Area 2 of 5 (A2): News and media opinion\n")
    await tap(s, office, q, "Not discussed")
    assert q.text == "Why was “News and media opinion” not discussed? Send the reason."
    await tap(s, office, q, "‹ Back")  # Back returns to the area's question
    assert q.text.startswith("Area 2 of 5 (A2): News and media opinion\n")
    await tap(s, office, q, "Not discussed")
    await office.send("会议时间不足，下次专题研判")
    for conclusion in ("社会舆论平稳", "<b>道德</b>建设持续加强", "网上舆论未见异常"):
        q = await s.next_message(OFFICE)
        assert q.text.startswith("Area ")
        await office.send(conclusion)
    q = await s.next_message(OFFICE)
    assert q.text == "What was it about? Send a title or a short description."
    await office.send("四季度意识形态领域情况分析研判")
    q = await s.next_message(OFFICE)
    await tap(s, office, q, "Done")
    await tap(s, office, q, "Done")
    assert q.text == (
        "Please check the record.\nMeeting: Quarterly review (A2)\nHeld on: November 20, 2026\n"
        "Political theory: 理论学习扎实，思想总体稳定\n"
        "News and media opinion: not discussed (会议时间不足，下次专题研判)\n"
        "Public opinion in society: 社会舆论平稳\n"
        "Ideology and morality: <b>道德</b>建设持续加强\n"
        "Online opinion: 网上舆论未见异常\n"
        "1 area has no conclusion: the review will be recorded as held, incomplete.\n"
        "Subject: 四季度意识形态领域情况分析研判\n0 attendees\n0 files"
    )
    await tap(s, office, q, "Save")
    assert q.text.endswith(
        "Recorded as MTG-2026-0001, held, incomplete. The areas without a conclusion stay open: "
        "the reminders continue for them until the quarter ends, and the ledger does not count "
        "the quarter as met until they are recorded."
    )
    async with h.deps.db.read() as session:
        meeting = (await session.scalars(select(Meeting))).one()
    assert meeting.topics == ["theory", "society", "morality", "online"]
    assert meeting.conclusions["news"] == {"not_discussed": "会议时间不足，下次专题研判"}
    # /calendar shows the quarter as held, incomplete, with the area still missing.
    await users[ADMIN_ID].send("/calendar", chat=GROUP)
    view = await s.next_message(GROUP)
    assert (
        "· Quarterly review, Q4 2026: held, incomplete; still without a conclusion: News and "
        "media opinion; by December 31, 2026" in view.text.splitlines()
    ), view.text


async def test_a_review_with_no_conclusion_at_all_starts_the_areas_again(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    h.clock.set(local(2026, 11, 24, 10, 0))
    office = users[OFFICE]
    await office.send("/start meeting-qr")
    await s.next_message(OFFICE)
    await office.send("11-20")
    for n in range(5):
        q = await s.next_message(OFFICE)
        assert q.text.startswith(f"Area {n + 1} of 5 (A2): ")
        await tap(s, office, q, "Not discussed")
        await office.send("时间不足")
    assert (await s.next_message(OFFICE)).text == (
        "A quarterly review reaches a conclusion on at least one area. Please start the areas "
        "again from the first."
    )
    await office.send("理论学习扎实")  # the first area's conclusion, kept
    q = await s.next_message(OFFICE)
    assert q.text.startswith("Area 2 of 5 (A2): News and media opinion\n")
