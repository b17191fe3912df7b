"""Facts on requests and drafts are kept and checked: the confirmed organiser on resubmission
(R6), the filing's date and reference, an open draft asked about, dates nobody means."""

from __future__ import annotations

from datetime import timedelta

from standin.model import Message
from tests.support.bot import Harness
from tests.support.lecture import request_lecture
from tests.support.world import (
    DEPUTY,
    EMERGENCY,
    MEMBER,
    OFFICE,
    SECRETARY,
    tap,
    world,
)


async def sent_back(h: Harness, users: dict, organiser: str | None = "@ou") -> Message:
    """Mei's lecture, organised by Ou who confirms, sent back for changes; returns the notice
    with Edit and resubmit."""
    s = h.standin
    summary = await request_lecture(s, users[MEMBER], organiser=organiser)
    await tap(s, users[MEMBER], summary, "Submit")
    if organiser:
        await tap(s, users[OFFICE], await s.next_message(OFFICE), "I organise it")
    card = await s.next_message(SECRETARY)
    await tap(s, users[SECRETARY], card, "Request changes")
    await s.next_message(SECRETARY)
    await users[SECRETARY].send("请补充主讲人简历")
    await s.next_message(SECRETARY)
    notice = await s.next_message(MEMBER)
    await s.wait_until(lambda: len(s.unread(OFFICE)) >= 1, what="the organiser's copy")
    await s.quiet()
    s.mark_read(OFFICE, DEPUTY, SECRETARY)
    return notice


async def resubmission(h: Harness, users: dict, notice: Message) -> Message:
    """Edit and resubmit: the vetting again, no new files; returns the summary."""
    s, mei = h.standin, users[MEMBER]
    await tap(s, mei, notice, "Edit and resubmit")
    q = await s.next_message(MEMBER)
    await tap(s, mei, q, "I confirm")
    await tap(s, mei, q, "Done")
    return q


async def test_resubmission_keeps_the_confirmed_organiser(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    notice = await sent_back(harness, users)
    q = await resubmission(harness, users, notice)
    assert "Organiser (responsible): Ou" in q.text
    await tap(s, users[MEMBER], q, "Submit")
    card = await s.next_message(SECRETARY)  # straight on: Ou confirmed this request already
    assert "Organiser (responsible): Ou" in card.text
    told = await s.next_message(OFFICE)
    assert told.text == (
        "Mei changed EVT-2026-0001 “理论宣讲 <b>&” and submitted it again; you remain its "
        "organiser and responsible for it (R6)."
    )
    await users[OFFICE].send("/my")
    mine = await s.next_message(OFFICE)
    assert "EVT-2026-0001 · 理论宣讲 <b>& · waiting for a decision · you organise it" in mine.text


async def test_a_new_organiser_confirms_and_the_old_one_is_told(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    notice = await sent_back(harness, users)
    q = await resubmission(harness, users, notice)
    await tap(s, users[MEMBER], q, "Edit a field")
    await tap(s, users[MEMBER], q, "Organiser")
    await tap(s, users[MEMBER], q, "Someone else (by @username)")
    await users[MEMBER].send("@eli")
    q = await s.next_message(MEMBER)
    assert "Organiser (responsible): Eli" in q.text
    await tap(s, users[MEMBER], q, "Submit")
    ask = await s.next_message(EMERGENCY)
    assert ask.text.startswith("Mei names you as the organiser of this event.")
    told = await s.next_message(OFFICE)
    assert told.text == (
        "Mei named another organiser for EVT-2026-0001 “理论宣讲 <b>&”: you are no longer "
        "responsible for it (R6)."
    )
    await s.quiet()
    assert s.unread(SECRETARY) == []  # nothing to decide before Eli confirms
    await users[EMERGENCY].send("/my")
    assert (await s.next_message(EMERGENCY)).text == (
        "Waiting for your decision\n"
        "EVT-2026-0001 · 理论宣讲 <b>& · waiting for the organiser to confirm"
    )
    await tap(s, users[EMERGENCY], ask, "I organise it")
    assert "Organiser (responsible): Eli" in (await s.next_message(SECRETARY)).text


async def test_the_filing_date_is_checked_and_the_reference_labelled(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    summary = await request_lecture(s, users[MEMBER])  # on December 10, 2026 at 14:30
    await tap(s, users[MEMBER], summary, "Submit")
    await tap(s, users[SECRETARY], await s.next_message(SECRETARY), "Approve")
    await s.quiet()
    filing = s.unread(OFFICE)[-1]
    s.mark_read(OFFICE, MEMBER)
    office = users[OFFICE]
    await office.send("/my")  # the office finds what it has to file
    assert (await s.next_message(OFFICE)).text == (
        "Waiting for your decision\nEVT-2026-0001 · 理论宣讲 <b>& · approved, not yet filed"
    )
    await tap(s, office, filing, "Record the filing")
    await s.next_message(OFFICE)
    await office.send("2026-11-30")  # today is November 24
    assert (await s.next_message(OFFICE)).text == (
        "2026-11-30 is still to come. On which date was it filed? Write it like 2026-11-24."
    )
    harness.clock.advance(timedelta(days=18))  # December 12: the event is past
    await office.send("2026-12-11")
    assert (await s.next_message(OFFICE)).text == (
        "2026-12-11 is after the event (2026-12-10): a filing clears an event only before it "
        "is held. On which date was it filed?"
    )
    await office.send("2026-12-09")
    assert (await s.next_message(OFFICE)).text == "What is the filing's reference number?"
    await office.send("宣备〔2026〕12号")
    assert (await s.next_message(OFFICE)).text.startswith("EVT-2026-0001 is filed and cleared")
    cleared = await s.next_message(MEMBER)
    assert "(filing reference: 宣备〔2026〕12号)" in cleared.text
    assert "on December 9, 2026" in cleared.text


async def test_an_open_draft_is_asked_about_before_another_starts(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    mei = users[MEMBER]
    await mei.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, mei, q, "Public-opinion incident")
    await mei.send("/event")
    asked = await s.next_message(MEMBER)
    assert asked.text == (
        "You have a report that is not submitted yet.\n"
        "Continue it, or discard it and start a new one?"
    )
    assert asked.button_texts() == ["Continue it", "Discard it and start anew"]
    await tap(s, mei, asked, "Continue it")
    assert asked.text == "How serious is it?"  # the report, where it was left
    await tap(s, mei, asked, "Major")
    await mei.send("/report")  # the same kind of draft is asked about too
    again = await s.next_message(MEMBER)
    assert again.text.startswith("You have a report that is not submitted yet.")
    await tap(s, mei, again, "Discard it and start anew")
    assert again.text == "The unfinished draft was discarded."
    assert (await s.next_message(MEMBER)).text == "What do you want to report?"
    await mei.send("/event")  # the new report is open: asked again, then the event starts
    third = await s.next_message(MEMBER)
    await tap(s, mei, third, "Discard it and start anew")
    assert (await s.next_message(MEMBER)).text == "Which kind of event do you want approved?"


async def test_dates_nobody_means_are_refused_naming_the_window(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    mei = users[MEMBER]
    await mei.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, mei, q, "Information report")
    await mei.send("网上出现不实信息")
    await s.next_message(MEMBER)
    await mei.send("1999-01-01 10:00")
    assert (await s.next_message(MEMBER)).text == (
        "That is more than a year ago. A report is for what was discovered within the last "
        "year, from 2025-11-24. When was it discovered?"
    )
    await mei.send("2026-11-20 10:00")
    assert (await s.next_message(MEMBER)).text == "Where? Name the system, platform or place."
    await mei.send("/cancel")
    await s.next_message(MEMBER)

    await mei.send("/event")
    q = await s.next_message(MEMBER)
    await tap(s, mei, q, "Forum")
    await mei.send("形势政策论坛")
    await tap(s, mei, await s.next_message(MEMBER), "I organise it myself")
    await mei.send("2099-01-01 10:00")
    assert (await s.next_message(MEMBER)).text == (
        "That is more than a year ahead. A request is for an event within the next year, "
        "until 2027-11-24. When will it take place?"
    )
    await mei.send("/cancel")
    await s.next_message(MEMBER)

    await users[OFFICE].send("/start meeting-st")
    await s.next_message(OFFICE)
    await users[OFFICE].send("1999-01-01")
    assert (await s.next_message(OFFICE)).text == (
        "That date is too long ago: a meeting can be recorded up to 400 days after it was "
        "held, so from 2025-10-20. Please check the date."
    )
