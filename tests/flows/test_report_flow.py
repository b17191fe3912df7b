"""A member files a report through the chat; handlers act on their cards (L4, P2, P3, L5, R2)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.incidents.models import Incident
from bot.incidents.sweep import sweep
from tests.support.bot import Harness
from tests.support.world import (
    DEPUTY,
    EMERGENCY,
    GROUP,
    MEMBER,
    OFFICE,
    SECRETARY,
    ask,
    file_major_network_incident,
    tap,
    world,
)


async def test_member_files_and_handlers_handle_to_the_end(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    member = users[MEMBER]
    summary = await file_major_network_incident(harness, member)
    assert await tap(s, member, summary, "Submit") == ("Submitted as INC-2026-0001.", False)
    assert "Submitted as INC-2026-0001." in summary.text
    assert summary.button_texts() == ["Add to this report"]  # the reporter's copy (R7)

    # Routing (L4, L1): emergency office + deputy, and the secretary for a major incident.
    cards = {uid: await s.next_message(uid) for uid in (EMERGENCY, DEPUTY, SECRETARY)}
    card = cards[EMERGENCY]
    assert card.text.startswith("A report needs your attention.")
    assert "INC-2026-0001 · Network-security incident · Major" in card.text
    assert "<script>alert('x')</script>" in card.text  # shown literally, escaped on the wire
    assert "&lt;script&gt;" in card.html
    assert card.button_texts() == [
        "Acknowledge",
        "Add update",
        "Escalate upward",
        "Pull in",
        "Contain",
        "Close",
        "Change severity",
        "Timeline",
        "Attachments",
    ]
    for uid in (EMERGENCY, DEPUTY, SECRETARY):  # the member's photo follows each card
        photo = await s.next_message(uid)
        assert photo.photo is not None and photo.text == "INC-2026-0001: attachment 1 of 1"
    await s.quiet()
    assert s.unread(OFFICE) == []  # not routed to the office
    notice = await s.next_message(GROUP)  # in the organisation's language, and no content
    assert notice.text == "于2026年11月24日 10:00报告了一起重大突发事件，正在处置中。"

    # A stranger pressing a forwarded card's button changes nothing.
    assert await tap(s, users[OFFICE], card, "Acknowledge") == (
        "Only the handlers of this report and the leadership can do that.",
        True,
    )
    # Acknowledge: once; the second handler is told who was first.
    acknowledge = card.buttons[0][0][1]
    assert await tap(s, users[EMERGENCY], card, "Acknowledge") == (
        "You acknowledged INC-2026-0001.",
        False,
    )
    assert await tap(s, users[DEPUTY], cards[DEPUTY], "Acknowledge") == (
        "Eli has already acknowledged INC-2026-0001.",
        True,
    )
    assert (await s.next_message(MEMBER)).text == (
        "Your report INC-2026-0001 has been acknowledged and is being handled."
    )
    # The secretary's own acknowledgement is still recorded (R2, C2).
    await tap(s, users[SECRETARY], cards[SECRETARY], "Acknowledge")

    # Add update: relayed to the secretary and deputy at once (P2).
    await tap(s, users[EMERGENCY], card, "Add update")
    assert (await s.next_message(EMERGENCY)).text.startswith("Send the progress update")
    await users[EMERGENCY].send("已恢复首页 <b>")
    assert (await s.next_message(EMERGENCY)).text == "The update on INC-2026-0001 was saved."
    for leader in (DEPUTY, SECRETARY):
        relay = await s.next_message(leader)
        assert relay.text == "Update on INC-2026-0001 (Major) from Eli:\n已恢复首页 <b>"

    # Escalate upward (P3): to whom, what.
    await tap(s, users[EMERGENCY], card, "Escalate upward")
    await s.next_message(EMERGENCY)
    await users[EMERGENCY].send("市委网信办 王科长")
    assert (await s.next_message(EMERGENCY)).text == "What was reported to them?"
    await users[EMERGENCY].send("电话报告了篡改情况")
    assert (await s.next_message(EMERGENCY)).text.startswith("The report to the higher")

    # Pull in (L5).
    await tap(s, users[EMERGENCY], card, "Pull in")
    choose = await s.next_message(EMERGENCY)
    await tap(s, users[EMERGENCY], choose, "Ou")
    assert choose.text == "Ou has been asked to help."
    pulled = await s.next_message(OFFICE)
    assert pulled.text.startswith("Eli asked you to help handle this report.")

    # Contain, then close with a summary the reporter receives.
    await tap(s, users[OFFICE], pulled, "Contain")
    assert (await s.next_message(MEMBER)).text.startswith("Your report INC-2026-0001 is under")
    await tap(s, users[OFFICE], pulled, "Close")
    await s.next_message(OFFICE)
    await users[OFFICE].send("已处置完毕，原因为弱口令")
    assert (await s.next_message(OFFICE)).text.startswith("INC-2026-0001 is closed.")
    assert (await s.next_message(MEMBER)).text == (
        "Your report INC-2026-0001 has been closed. Summary: 已处置完毕，原因为弱口令"
    )
    # The spent button is gone from the card; its data pressed again (a stale copy) is refused.
    assert "Acknowledge" not in card.button_texts()
    assert await tap(s, users[EMERGENCY], card, data=acknowledge) == (
        "INC-2026-0001 is already closed.",
        True,
    )

    # The timeline tells the whole life; the reporter sees it from /my.
    await member.send("/my")
    mine = await s.next_message(MEMBER)
    assert "INC-2026-0001 · Network-security incident · closed" in mine.text
    await tap(s, member, mine, "Timeline of INC-2026-0001")
    timeline = (await s.next_message(MEMBER)).text
    for step in [
        "Filed",
        "Sent to the handlers",
        "Acknowledged · Eli",
        "Acknowledged by the secretary · Shu",
        "Update · Eli",
        "Reported to the higher department · Eli",
        "Pulled in · Eli",
        "Contained · Ou",
        "Closed · Ou",
    ]:
        assert step in timeline, step


async def test_escalation_chain_when_nobody_acknowledges(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    summary = await file_major_network_incident(harness, users[MEMBER])
    await tap(s, users[MEMBER], summary, "Submit")
    for uid in (EMERGENCY, DEPUTY, SECRETARY):
        await s.next_message(uid)  # the card
        await s.next_message(uid)  # the attachment
    harness.clock.advance(timedelta(minutes=31))  # major: 30 minutes to acknowledge
    await sweep(harness.deps)
    escalated = await s.next_message(EMERGENCY)
    assert escalated.text.startswith(
        "Nobody acknowledged INC-2026-0001 in time; it has been escalated."
    )
    reminder = await s.next_message(SECRETARY)  # one message each: escalation and R2 reminder
    texts = {reminder.text.splitlines()[0], (await s.next_message(SECRETARY)).text}
    assert "INC-2026-0001 (Major) still needs your own acknowledgement as secretary." in texts


async def test_draft_survives_a_restart_and_cancel_leaves(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    member = users[MEMBER]
    await member.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Information report")  # no severity for information reports
    assert q.text == "What happened? Describe it in a message."
    await harness.restart()
    await member.send("网上出现不实传言")
    assert (await s.next_message(MEMBER)).text.startswith("When was it discovered?")
    await member.send_photo(b"sticker-ish")  # a file where text is expected
    assert (await s.next_message(MEMBER)).text.startswith(
        "Please type your answer as a text message or use the buttons above"
    )
    await member.send("/cancel")
    assert (await s.next_message(MEMBER)).text == "Cancelled."
    async with harness.deps.db.read() as session:
        assert await session.scalar(select(Incident)) is None


async def test_reporter_who_blocked_the_bot_does_not_stop_the_handling(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    summary = await file_major_network_incident(harness, users[MEMBER])
    await tap(s, users[MEMBER], summary, "Submit")
    users[MEMBER].block()
    card = await s.next_message(EMERGENCY)
    await tap(s, users[EMERGENCY], card, "Acknowledge")
    contain = card.buttons[2][0][1]
    await tap(s, users[EMERGENCY], card, "Contain")
    assert await tap(s, users[EMERGENCY], card, data=contain) == (  # a double tap
        "INC-2026-0001 is already marked as contained.",
        True,
    )
    await s.quiet()
    refused = [c for c in s.calls if c.method == "sendmessage" and c.status == 403]
    assert len(refused) == 1  # told once that the reporter blocked us; not retried
    async with harness.deps.db.read() as session:
        incident = await session.scalar(select(Incident))
    assert incident is not None and incident.status == "contained"


async def test_information_report_edit_a_field_then_submit(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    member = users[MEMBER]
    await member.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Information report")
    await member.send("某论坛出现涉我机关帖子")
    when = await s.next_message(MEMBER)
    await tap(s, member, when, "Yesterday")
    assert when.text == "Where? Name the system, platform or place."
    await member.send("本地论坛")
    await s.next_message(MEMBER)
    await member.send("已截图留存")
    attach = await s.next_message(MEMBER)
    await tap(s, member, attach, "Done")
    assert "Where: 本地论坛" in attach.text and "Severity" not in attach.text
    assert "Discovered: November 23, 2026" in attach.text  # a day, without a time
    await tap(s, member, attach, "Edit a field")
    assert attach.button_texts() == [
        "Kind",
        "What happened",
        "Discovered",
        "Where",
        "Already done",
        "‹ Back to the summary",
        "Cancel",
    ]
    await tap(s, member, attach, "What happened")
    assert attach.text == "What happened? Describe it in a message."
    await tap(s, member, attach, "‹ Back")  # changing nothing: back where it was chosen from
    assert "What happened: 某论坛出现涉我机关帖子" in attach.text
    assert attach.button_texts() == ["Submit", "Edit a field", "Cancel"]
    await tap(s, member, attach, "Edit a field")
    await tap(s, member, attach, "Where")
    await member.send("本地论坛“城事”版块")
    summary = await s.next_message(MEMBER)  # straight back to the summary
    assert "Where: 本地论坛“城事”版块" in summary.text
    await tap(s, member, summary, "Submit")
    office_card = await s.next_message(OFFICE)  # A1: information reports go to the office
    assert "INC-2026-0001 · Information report" in office_card.text
    await s.quiet()
    assert s.unread(GROUP) == []  # no group notice for information


async def test_a_file_too_large_to_forward_is_refused_kindly(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    member = users[MEMBER]
    policy = harness.deps.policy
    harness.deps.policy = policy.model_copy(
        update={"incidents": policy.incidents.model_copy(update={"max_attachment_mb": 1})}
    )
    await member.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Information report")
    for answer in ("传言", "9:00", "论坛", "无"):
        await member.send(answer)
        await s.next_message(MEMBER)
    await member.send_document("big.pdf", b"x" * (1024 * 1024 + 1))
    assert (await s.next_message(MEMBER)).text == (
        "That file is larger than 1 MB, the most the office accepts for one file. "
        "Please send a smaller one or describe it in text."
    )
    await member.send_document("small.pdf", b"%PDF-1.4")
    assert "1 file received." in (await s.next_message(MEMBER)).text


async def test_the_longest_report_reaches_its_handlers_shortened_and_kept_whole(
    harness: Harness,
) -> None:
    """Three answers of 2,000 characters make a card over Telegram's 4,096: it is shortened
    on the wire (the record keeps every character), never refused and lost."""
    s = harness.standin
    users = await world(harness)
    member = users[MEMBER]
    await member.send("/report")
    q = await ask(s, MEMBER)
    await tap(s, member, q, "Public-opinion incident")
    await tap(s, member, q, "General")
    for answer in ("甲" * 2000, "2026-11-24 09:00", "乙" * 2000, "丙" * 2000):
        await member.send(answer)
        q = await ask(s, MEMBER)
    await tap(s, member, q, "Done")
    assert "…" in q.text  # the summary itself is shortened, in its free text
    assert await tap(s, member, q, "Submit") == ("Submitted as INC-2026-0001.", False)
    card = await s.next_message(OFFICE)
    assert card.text.startswith("A report needs your attention.") and "…" in card.text
    assert card.button_texts()[0] == "Acknowledge"
    assert not [c for c in s.calls if c.status == 400]  # nothing refused
    async with harness.deps.db.read() as session:
        incident = await session.scalar(select(Incident))
    assert incident is not None
    assert (incident.what, incident.location, incident.actions_taken) == (
        "甲" * 2000,
        "乙" * 2000,
        "丙" * 2000,
    )
