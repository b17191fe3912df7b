"""What people type, through the stand-in on SQLite and PostgreSQL: control and invisible
characters never enter the record (NUL stopped PostgreSQL), every limit is told at the step
that asks, naming the field, the line "Submitted as …" survives the longest report, and a
message of the wrong kind gets the one sentence that fits the step."""

from __future__ import annotations

from sqlalchemy import select

from bot.incidents.models import Incident
from standin.model import Message, SimUser
from tests.support.bot import Harness
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import MEMBER, tap, world

FAMILY = "👨\u200d👩\u200d👧"  # a ZWJ sequence: the joiners carry meaning and stay


def shown(s: ReadingStandIn, chat: int, message: Message) -> str:
    """The text of `message` as it stands now (after the bot's edits)."""
    return next(m for m in s.bot_messages(chat) if m.message_id == message.message_id).text


async def report_to_where(s: ReadingStandIn, member: SimUser) -> None:
    await member.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Public-opinion incident")
    await tap(s, member, q, "General")
    assert q.text == "What happened? Describe it in a message."


async def test_invisible_and_control_text_is_refused_or_cleaned(harness: Harness) -> None:
    """A zero-width-only answer is refused naming the field; NUL, escapes and bidi controls
    are removed, a ZWJ emoji is kept; the report is filed on either database."""
    s = harness.standin
    member = (await world(harness))[MEMBER]
    await report_to_where(s, member)
    for invisible in ("\u200b\u200b", "\x00", "\u2060\ufeff\u200e", "\u3164"):
        await member.send(invisible)
        assert (await s.next_message(MEMBER)).text == (
            "“What happened” cannot be empty: invisible and control characters are not kept. "
            "Please type some text."
        )
    await member.send("网上\x00出现\u200b不实\x1b[31m传言\u202e")
    assert (await s.next_message(MEMBER)).text.startswith("When was it discovered?")
    await member.send("2026-11-24\x00 09:00")
    assert (await s.next_message(MEMBER)).text.startswith("Where?")
    await member.send("微博\r\n论坛\x07")
    assert (await s.next_message(MEMBER)).text.startswith("What has already been done")
    await member.send(f"已告知家属 {FAMILY}")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Done")
    assert "What happened: 网上出现不实[31m传言" in q.text
    assert await tap(s, member, q, "Submit") == ("Submitted as INC-2026-0001.", False)
    async with harness.deps.db.read() as session:
        incident = await session.scalar(select(Incident))
    assert incident is not None
    assert (incident.what, incident.location) == ("网上出现不实[31m传言", "微博\n论坛")
    assert incident.actions_taken == f"已告知家属 {FAMILY}"


async def test_the_venue_limit_is_told_at_its_step(harness: Harness) -> None:
    """The venue keeps at most 300 characters: refused when typed, naming the field, not
    at Submit."""
    s = harness.standin
    member = (await world(harness))[MEMBER]
    await member.send("/event")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Lecture")
    await member.send("理论宣讲")
    who = await s.next_message(MEMBER)
    await tap(s, member, who, "I organise it myself")
    await member.send("2026-12-10 14:30")
    assert (await s.next_message(MEMBER)).text == "Where will it take place?"
    await member.send("室" * 301)
    assert (await s.next_message(MEMBER)).text == (
        "“Venue” is too long: 301 characters, at most 300 fit. Please shorten it."
    )
    await member.send("\u200b")
    assert (await s.next_message(MEMBER)).text.startswith("“Venue” cannot be empty")
    await member.send("室" * 300)
    assert (await s.next_message(MEMBER)).text.startswith("How many people are expected?")
    await member.send("１２０")  # full-width digits, as a Chinese keyboard types them
    assert (await s.next_message(MEMBER)).text.startswith("Send each speaker as")
    await member.send("张" * 101 + "，市委党校")
    assert (await s.next_message(MEMBER)).text == (
        "“Speaker's name” is too long: 101 characters, at most 100 fit. Please shorten it."
    )


async def test_submitted_as_is_never_the_part_cut(harness: Harness) -> None:
    """ "What happened" and "where" at 2,000 characters each: the summary edited at Submit is
    over 4,096 characters, so its free text is shortened and the line saying where the report
    went is shown whole."""
    s = harness.standin
    member = (await world(harness))[MEMBER]
    await report_to_where(s, member)
    for answer in ("甲" * 2000, "2026-11-24 09:00", "乙" * 2000, "已处置"):
        await member.send(answer)
        q = await s.next_message(MEMBER)
    await tap(s, member, q, "Done")
    assert await tap(s, member, q, "Submit") == ("Submitted as INC-2026-0001.", False)
    await s.quiet()
    text = shown(s, MEMBER, q)
    assert text.startswith("Please check your report.")
    assert text.endswith(
        "Submitted as INC-2026-0001. The people responsible have been notified; follow it with /my."
    ), text[-300:]
    assert "Already done: 已处置" in text and "…" in text
    assert not [c for c in s.calls if c.status == 400]


async def test_a_message_of_the_wrong_kind_gets_the_sentence_of_its_step(
    harness: Harness,
) -> None:
    """Buttons only: "use the buttons"; text only: "type"; files or Done: "send files"."""
    s = harness.standin
    member = (await world(harness))[MEMBER]
    buttons = "Please use the buttons above, or send /cancel."
    await member.send("/event")
    q = await s.next_message(MEMBER)
    await member.send("a lecture")  # the type is chosen with a button
    assert (await s.next_message(MEMBER)).text == buttons
    await tap(s, member, q, "Lecture")
    await member.send_photo(b"not a title")
    assert (await s.next_message(MEMBER)).text == (
        "Please type your answer as a text message, or send /cancel."
    )
    await member.send("理论宣讲")
    who = await s.next_message(MEMBER)
    await member.send("me")  # the organiser is chosen with a button
    assert (await s.next_message(MEMBER)).text == buttons
    await member.send("/cancel")
    await s.next_message(MEMBER)
    await member.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Information report")
    for answer in ("传言", "9:00", "论坛", "无"):
        await member.send(answer)
        q = await s.next_message(MEMBER)
    await member.send("here is the file")  # files or Done
    assert (await s.next_message(MEMBER)).text == (
        "Please send photos or documents, or use the buttons above, or send /cancel."
    )
    assert who.message_id < q.message_id


async def test_the_longest_event_request_keeps_its_submitted_line(harness: Harness) -> None:
    """Fifteen speakers at their longest and a 2,000-character outline: the request's summary
    is shortened in its free text and the line that says it went for approval stays whole."""
    s = harness.standin
    member = (await world(harness))[MEMBER]
    await member.send("/event")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Lecture")
    await member.send("理论宣讲")
    who = await s.next_message(MEMBER)
    await tap(s, member, who, "I organise it myself")
    for answer in ("2026-12-10 14:30", "机关三楼会议室", "80"):
        await member.send(answer)
        q = await s.next_message(MEMBER)
    for n in range(15):
        await member.send(f"{n:02d}" + "张" * 98 + "，" + "党" * 200)
        q = await s.next_message(MEMBER)
    await tap(s, member, q, "Done")
    await member.send("纲" * 2000)
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "I confirm")
    await tap(s, member, q, "Done")
    assert await tap(s, member, q, "Submit") == ("Submitted as EVT-2026-0001.", False)
    await s.quiet()
    text = shown(s, MEMBER, q)
    assert text.startswith("Please check your request.") and "Venue: 机关三楼会议室" in text
    assert text.endswith(
        "Submitted as EVT-2026-0001 for approval. You can withdraw it until it is decided."
    ), text[-300:]
    assert not [c for c in s.calls if c.status == 400]
