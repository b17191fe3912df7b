"""Event requests through the chat: request, decide, file, clear; changes and withdrawal (R6)."""

from __future__ import annotations

from sqlalchemy import select

from bot.events.models import EventRequest
from tests.support.bot import Harness
from tests.support.lecture import request_lecture
from tests.support.world import DEPUTY, MEMBER, OFFICE, SECRETARY, tap, world


async def test_request_approved_filed_and_cleared(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    summary = await request_lecture(s, users[MEMBER], attach=True)
    assert await tap(s, users[MEMBER], summary, "Submit") == ("Submitted as EVT-2026-0001.", False)
    assert summary.button_texts() == ["Withdraw"]
    card = await s.next_message(SECRETARY)
    assert card.text.startswith("An event request needs your decision.")
    programme = await s.next_message(SECRETARY)  # the attachment follows the card
    assert programme.text == "EVT-2026-0001: attachment 1 of 1" and programme.document
    assert "EVT-2026-0001 · Lecture" in card.text and "&lt;b&gt;&amp;" in card.html
    assert all(len(d.encode()) <= 64 for row in card.buttons for _, d in row)
    deputy_card = await s.next_message(DEPUTY)
    await s.next_message(DEPUTY)  # the deputy's copy of the attachment
    # A member pressing Approve on a forwarded card changes nothing.
    assert await tap(s, users[MEMBER], card, "Approve") == (
        "Only the secretary or the deputy can decide on events.",
        True,
    )
    assert await tap(s, users[SECRETARY], card, "Approve") == ("Approved.", False)
    assert await tap(s, users[DEPUTY], deputy_card, "Reject") == (
        "EVT-2026-0001 has already been dealt with by Shu.",
        True,
    )
    approved = await s.next_message(MEMBER)
    assert approved.text.startswith("EVT-2026-0001 “理论宣讲 <b>&” was approved by Shu.")
    # The member can no longer withdraw: the office must cancel.
    assert await tap(s, users[MEMBER], summary, "Withdraw") == (
        "EVT-2026-0001 is already approved. Ask the office to cancel it.",
        True,
    )
    copy = await s.next_message(OFFICE)
    assert copy.text.startswith("EVT-2026-0001")
    filing = await s.next_message(OFFICE)
    assert "Please file it with the city publicity department" in filing.text
    await tap(s, users[OFFICE], filing, "Record the filing")
    await s.next_message(OFFICE)
    await users[OFFICE].send("25/11")
    assert (await s.next_message(OFFICE)).text == "Please write the date like 2026-11-24."
    await users[OFFICE].send("２０２６年１１月２４日")  # as a Chinese input method types it
    assert (await s.next_message(OFFICE)).text == "What is the filing's reference number?"
    await users[OFFICE].send("宣备〔2026〕12号")
    assert (await s.next_message(OFFICE)).text.startswith("EVT-2026-0001 is filed and cleared")
    cleared = await s.next_message(MEMBER)
    assert cleared.text == (
        "EVT-2026-0001 “理论宣讲 <b>&” has been filed with the city publicity department on "
        "November 24, 2026 (filing reference: 宣备〔2026〕12号) and is cleared: it may be held."
    )
    async with harness.deps.db.read() as session:
        event = await session.scalar(select(EventRequest))
    assert event is not None and event.status == "cleared" and event.filing_ref


async def test_changes_requested_then_resubmitted_and_withdrawn(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    summary = await request_lecture(s, users[MEMBER])
    await tap(s, users[MEMBER], summary, "Submit")
    card = await s.next_message(SECRETARY)
    await s.next_message(DEPUTY)
    await tap(s, users[SECRETARY], card, "Request changes")
    assert (await s.next_message(SECRETARY)).text.startswith("What should be changed?")
    await users[SECRETARY].send("请补充报告人简历")
    assert (await s.next_message(SECRETARY)).text == "EVT-2026-0001 was sent back for changes."
    notice = await s.next_message(MEMBER)
    assert notice.text == "Shu asks for changes to EVT-2026-0001 “理论宣讲 <b>&”: 请补充报告人简历"
    await tap(s, users[MEMBER], notice, "Edit and resubmit")
    vet = await s.next_message(MEMBER)  # the vetting is confirmed again for the new version
    await tap(s, users[MEMBER], vet, "I confirm")
    await tap(s, users[MEMBER], vet, "Done")  # no new files
    await tap(s, users[MEMBER], vet, "Edit a field")
    await tap(s, users[MEMBER], vet, "Title")
    await users[MEMBER].send("理论宣讲（修改稿）")
    resubmit = await s.next_message(MEMBER)
    assert "Title: 理论宣讲（修改稿）" in resubmit.text
    await tap(s, users[MEMBER], resubmit, "Submit")
    new_card = await s.next_message(SECRETARY)
    assert "Title: 理论宣讲（修改稿）" in new_card.text
    assert await tap(s, users[SECRETARY], card, "Approve") == (  # the old version's card
        "This card shows an earlier version of EVT-2026-0001. Please use the newest one.",
        True,
    )
    await tap(s, users[MEMBER], resubmit, "Withdraw")
    assert resubmit.text == "EVT-2026-0001 was withdrawn."
    assert await tap(s, users[SECRETARY], new_card, "Approve") == (
        "EVT-2026-0001 was withdrawn by the requester.",
        True,
    )


async def test_committee_review_reject_cancel_and_my(harness: Harness) -> None:
    from bot.people import committees, directory, grants
    from bot.people.roles import Role
    from bot.people.view import TgUser

    s = harness.standin
    users = await world(harness)
    admin = TgUser(9001, "Ada")
    head_user = s.add_user(1006, "Han", language_code="en", username="han")
    await head_user.send("/start")
    await tap(s, head_user, await s.next_message(1006), "English")
    head = await directory.find_person(harness.deps, username="han")
    mei = await directory.find_person(harness.deps, username="mei")
    cid, _ = await committees.create_committee(harness.deps, admin, "教科文卫委")
    await grants.change_role(
        harness.deps,
        admin,
        person_id=head.id,
        role=Role.COMMITTEE_HEAD,
        grant=True,
        committee_id=cid,
    )
    await committees.set_committee(harness.deps, admin, person_id=mei.id, committee_id=cid)
    granted = await s.next_message(1006)  # delivered by the outbox, in its own time
    assert granted.text.startswith("You now hold the role Committee head (教科文卫委)")

    summary = await request_lecture(s, users[MEMBER])
    await tap(s, users[MEMBER], summary, "Submit")
    review = await s.next_message(1006)
    assert review.text.startswith("An event request from your committee needs your review.")
    await tap(s, head_user, review, "Forward")
    assert review.text == "EVT-2026-0001 was forwarded for approval."
    card = await s.next_message(SECRETARY)
    assert "Forwarded by the committee head Han." in card.text
    await s.next_message(DEPUTY)
    await tap(s, users[SECRETARY], card, "Reject")
    await s.next_message(SECRETARY)
    await users[SECRETARY].send("与全市统一安排冲突")
    assert (await s.next_message(SECRETARY)).text == "EVT-2026-0001 was rejected."
    rejected = await s.next_message(MEMBER)
    assert rejected.text.endswith("was rejected by Shu. Reason: 与全市统一安排冲突")

    summary = await request_lecture(s, users[MEMBER], title="第二场讲座")
    await tap(s, users[MEMBER], summary, "Submit")
    await tap(s, head_user, await s.next_message(1006), "Forward")
    card = await s.next_message(SECRETARY)
    await tap(s, users[SECRETARY], card, "Approve")
    s.mark_read(OFFICE, MEMBER)
    await s.wait_until(lambda: len(s.unread(OFFICE)) >= 2, what="the office's copy and card")
    filing = s.unread(OFFICE)[-1]
    await tap(s, users[OFFICE], filing, "Cancel the event")
    await s.quiet()
    s.mark_read(OFFICE)
    await users[OFFICE].send("主讲人临时有事")
    assert (await s.next_message(OFFICE)).text.startswith("EVT-2026-0002 was cancelled")
    await s.quiet()
    s.mark_read(MEMBER)
    await users[MEMBER].send("/my")
    mine = await s.next_message(MEMBER)
    assert "EVT-2026-0002 · 第二场讲座 · cancelled" in mine.text
    assert "EVT-2026-0001 · 理论宣讲 <b>& · rejected" in mine.text


async def test_after_the_event_an_incident_answer_opens_a_prefilled_report(
    harness: Harness,
) -> None:
    from datetime import timedelta

    from bot.events.sweep import sweep

    s = harness.standin
    users = await world(harness)
    summary = await request_lecture(s, users[MEMBER])
    await tap(s, users[MEMBER], summary, "Submit")
    await tap(s, users[SECRETARY], await s.next_message(SECRETARY), "Approve")
    await s.wait_until(lambda: len(s.unread(OFFICE)) >= 2, what="the office's filing card")
    filing = s.unread(OFFICE)[-1]
    await tap(s, users[OFFICE], filing, "Record the filing")
    await s.quiet()
    await users[OFFICE].send("2026-11-24")
    await s.quiet()
    await users[OFFICE].send("宣备13号")
    # The requester's "cleared" comes through the outbox; on a busy machine it can outlast a
    # quiet spell, so wait for it before skipping what came so far.
    await s.wait_until(
        lambda: any("is cleared" in (m.text or "") for m in s.unread(MEMBER)),
        what="the requester's cleared notice",
    )
    await s.quiet()
    s.mark_read(MEMBER)
    harness.clock.advance(timedelta(days=16, hours=8))  # 10 December, 18:00: three hours after
    await sweep(harness.deps)
    ask = await s.next_message(MEMBER)
    assert ask.text.startswith(
        "How did EVT-2026-0001 “理论宣讲 <b>&” (December 10, 2026 14:30) go?"
    )
    not_held = ask.button_data("Not held")  # kept for a second, stale press below
    await tap(s, users[MEMBER], ask, "Held, with an incident")
    assert ask.text == "Thank you. How EVT-2026-0001 went is recorded."
    question = await s.next_message(MEMBER)
    assert question.text == "How serious is it?"  # kind and place are already known
    await tap(s, users[MEMBER], question, "General")
    await users[MEMBER].send("有听众现场发表不当言论")
    when = await s.next_message(MEMBER)
    await tap(s, users[MEMBER], when, "Just now")
    assert when.text == "What has already been done about it?"  # the place was prefilled
    assert await tap(s, users[MEMBER], ask, data=not_held) == (
        "How EVT-2026-0001 went is already recorded.",
        True,
    )


async def test_a_named_organiser_confirms_before_it_goes_on(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    summary = await request_lecture(s, users[MEMBER], organiser="@ou")
    assert "Organiser (responsible): Ou" in summary.text
    await tap(s, users[MEMBER], summary, "Submit")
    ask = await s.next_message(OFFICE)
    assert ask.text.startswith("Mei names you as the organiser of this event.")
    await s.quiet()
    assert s.unread(SECRETARY) == []  # nothing to decide before the organiser confirms
    assert await tap(s, users[SECRETARY], ask, "I organise it") == (
        "Only the named organiser can answer this.",
        True,
    )
    await tap(s, users[OFFICE], ask, "I organise it")
    assert ask.text == "Thank you: you are the organiser of EVT-2026-0001."
    card = await s.next_message(SECRETARY)
    assert "Organiser (responsible): Ou" in card.text


async def test_filing_overdue_and_lapse_reach_people_in_the_chat(harness: Harness) -> None:
    from datetime import timedelta

    from bot.events.sweep import sweep

    s = harness.standin
    users = await world(harness)
    summary = await request_lecture(s, users[MEMBER], title="长" * 70)  # 210 bytes of title
    await tap(s, users[MEMBER], summary, "Submit")
    card = await s.next_message(SECRETARY)
    assert all(len(d.encode()) <= 64 for row in card.buttons for _, d in row)
    await tap(s, users[SECRETARY], card, "Approve")
    await s.quiet()
    s.mark_read(OFFICE, DEPUTY, SECRETARY)
    harness.clock.advance(timedelta(days=13, hours=5))  # 7 Dec 15:00: 3 days before, unfiled
    await sweep(harness.deps)
    due = await s.next_message(OFFICE)
    assert "is approved but not yet filed with the city publicity department" in due.text
    harness.clock.advance(timedelta(days=1))
    await sweep(harness.deps)
    overdue = await s.next_message(DEPUTY)
    assert overdue.text.endswith("is still not filed; it may not be held until it is.")
    harness.clock.advance(timedelta(days=3))  # 11 December: the date has passed
    await sweep(harness.deps)
    lapse = await s.next_message(SECRETARY)
    assert lapse.text.startswith("Lapse (R6): the date of EVT-2026-0001")
