"""A lecture requested through /event, every step of the conversation."""

from __future__ import annotations

from standin.model import Message, SimUser
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import MEMBER, tap


async def request_lecture(
    s: ReadingStandIn,
    member: SimUser,
    title: str = "理论宣讲 <b>&",
    organiser: str | None = None,
    attach: bool = False,
) -> Message:
    """Walk /event to the summary; returns the summary message."""
    await member.send("/event")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Lecture")
    assert q.text == "What is the title of the event?"
    await member.send(title)
    who = await s.next_message(MEMBER)
    assert who.text == "Who organises it? Whoever organises is responsible (R6)."
    if organiser is None:
        await tap(s, member, who, "I organise it myself")
        assert who.text.startswith("When will it take place?")
    else:
        await tap(s, member, who, "Someone else (by @username)")
        assert who.text.startswith("Send the organiser's @username.")
        await member.send("@nobody_here")
        assert (await s.next_message(MEMBER)).text.startswith("I do not know @nobody_here")
        await member.send(organiser)
        assert (await s.next_message(MEMBER)).text.startswith("When will it take place?")
    await member.send("2026-02-30 14:30")  # no such day
    assert (await s.next_message(MEMBER)).text.startswith("I could not read that date.")
    await member.send("2026-12-10")
    assert (await s.next_message(MEMBER)).text.startswith("Please include the time too")
    await member.send("2026-12-10 14:30")
    assert (await s.next_message(MEMBER)).text == "Where will it take place?"
    await member.send("机关三楼会议室")
    assert (await s.next_message(MEMBER)).text.startswith("How many people are expected?")
    await member.send("eighty")
    assert (await s.next_message(MEMBER)).text.startswith("Please give the expected audience")
    await member.send("80")
    assert (await s.next_message(MEMBER)).text.startswith("Send each speaker as")
    await member.send("张教授")
    assert (await s.next_message(MEMBER)).text.startswith("Please write the speaker as")
    await member.send("张教授，市委党校")
    q = await s.next_message(MEMBER)
    assert "1 speaker so far." in q.text
    await tap(s, member, q, "Done")
    assert q.text == "Send an outline of the topics."
    await member.send("一、学习全会精神；二、交流研讨")
    q = await s.next_message(MEMBER)
    assert q.text.startswith("Please confirm: the speakers have been vetted")
    await tap(s, member, q, "I confirm")
    assert q.text.startswith("Send the programme, speakers' CVs")
    if attach:
        await member.send_document("方案.pdf", b"%PDF-1.4 programme")
        q = await s.next_message(MEMBER)
        assert "1 file received." in q.text
    await tap(s, member, q, "Done")
    assert q.text.startswith("Please check your request.")
    assert ("1 attachment" if attach else "0 attachments") in q.text
    assert f"Title: {title}" in q.text and "Speakers: 张教授 (市委党校)" in q.text
    return q
