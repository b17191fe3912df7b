"""/record through the stand-in: the whole record for whoever may read it (R4, L3, L5, P3, R6,
R7); a member who may not read it is answered as for a reference that does not exist."""

from __future__ import annotations

from datetime import timedelta

from bot.incidents.sweep import sweep
from tests.support.bot import Harness
from tests.support.evidence import report_general, settled
from tests.support.lecture import request_lecture
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import MEMBER, SECRETARY, register, tap, world

MIN = 1006


async def record_of(s: ReadingStandIn, chat: int, ref: str, link: str = "") -> list[str]:
    """Every message /record sends, in order (or the Details link of `link` opened)."""
    s.mark_read(chat)
    await s.users[chat].send(f"/start rec-{link}" if link else f"/record {ref}")
    await s.quiet()
    return [m.text for m in s.unread(chat)]


async def test_the_secretary_reads_the_whole_record_a_member_gets_not_found(
    harness: Harness,
) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    member = users[MEMBER]
    q = await report_general(s, member, [b"\x89PNG the defaced page"])
    await tap(s, member, q, "Done")
    assert await tap(s, member, q, "Submit") == ("Submitted as INC-2026-0001.", False)
    assert await settled(h, 1) == ["kept"]
    for _ in range(2):  # nobody acknowledges: the deputy's step, then the secretary (L2, L1)
        h.clock.advance(timedelta(days=1))
        await sweep(h.deps)
    await s.quiet()
    card = s.unread(SECRETARY)[-1]
    assert card.text.startswith("Nobody acknowledged INC-2026-0001 in time")
    shu = users[SECRETARY]
    s.mark_read(SECRETARY)
    await tap(s, shu, card, "Add update")
    await shu.send("已恢复首页")
    await tap(s, shu, card, "Escalate upward")
    await shu.send("市委网信办 王科长")
    await shu.send("电话报告了篡改情况")
    await tap(s, shu, card, "Close")
    await shu.send("已处置完毕，原因为弱口令")
    await s.quiet()

    sent = await record_of(s, SECRETARY, "INC-2026-0001")
    whole = "\n".join(sent)
    for line in [
        "INC-2026-0001 · Network-security incident · General",
        "Reported by: Mei",
        "What happened: 首页被篡改",
        "Where: 门户网站",
        "Already done: 已断开外网",
        "Status: closed",
        "Handlers",
        "Shu (Secretary): escalated to them on",
        "Timeline",
        "Escalated",
        "Update · Shu\n    已恢复首页",
        "Report to the higher department",
        "to 市委网信办 王科长: 电话报告了篡改情况",
        "Closing summary",
        "Summary: 已处置完毕，原因为弱口令",
        "1. Photo (1 KB): kept by the office",
    ]:
        assert line in whole, line
    last = s.unread(SECRETARY)[-1]
    assert last.button_texts() == ["Attachments", "Reopen"]  # closed; she may reopen it
    s.mark_read(SECRETARY)
    await tap(s, shu, last, "Attachments")
    assert (await s.next_message(SECRETARY)).text.startswith("INC-2026-0001: 1 attachment")
    assert (await s.next_message(SECRETARY)).photo is not None

    # A member who neither filed nor handles it: the same answer as for no such reference.
    other = s.add_user(MIN, "Min", language_code="en")
    await register(s, other)
    assert await record_of(s, MIN, "INC-2026-0001") == ["There is no record INC-2026-0001."]
    assert await record_of(s, MIN, "INC-2026-0099") == ["There is no record INC-2026-0099."]
    # A Details link in a group's message (the briefing's) opens the record privately, with
    # the same visibility as /record.
    assert await record_of(s, MIN, "", link="INC-2026-0001") == [
        "There is no record INC-2026-0001."
    ]
    linked = await record_of(s, SECRETARY, "", link="INC-2026-0001")
    assert "Summary: 已处置完毕，原因为弱口令" in "\n".join(linked)
    # Its reporter reads it, and opens it from /my with Details.
    assert "Closing summary" in "\n".join(await record_of(s, MEMBER, "INC-2026-0001"))
    s.mark_read(MEMBER)
    await member.send("/my")
    mine = await s.next_message(MEMBER)
    await tap(s, member, mine, "Details of INC-2026-0001")
    assert (await s.next_message(MEMBER)).text.startswith("INC-2026-0001 · Network-security")


async def test_a_request_sent_back_and_resubmitted_shows_both_versions(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    member, shu = users[MEMBER], users[SECRETARY]
    summary = await request_lecture(s, member)
    await tap(s, member, summary, "Submit")
    card = await s.next_message(SECRETARY)
    await tap(s, shu, card, "Request changes")
    await s.next_message(SECRETARY)
    await shu.send("请补充报告人简历")
    await s.next_message(SECRETARY)
    notice = await s.next_message(MEMBER)
    await tap(s, member, notice, "Edit and resubmit")
    vet = await s.next_message(MEMBER)
    await tap(s, member, vet, "I confirm")
    await tap(s, member, vet, "Done")
    await tap(s, member, vet, "Edit a field")
    await tap(s, member, vet, "Title")
    await member.send("理论宣讲（修改稿）")
    resubmit = await s.next_message(MEMBER)
    await tap(s, member, resubmit, "Submit")
    await s.quiet()

    whole = "\n".join(await record_of(s, MEMBER, "EVT-2026-0001"))
    for line in [
        "EVT-2026-0001 · 理论宣讲（修改稿）",
        "Status: waiting for a decision",
        "Requested by: Mei",
        "Version 1 · submitted on",
        "Title: 理论宣讲 <b>&",
        "Version 2 · submitted on",
        "Title: 理论宣讲（修改稿）",
        "Sent back for changes · Shu\n    Reason: 请补充报告人简历",
        "Resubmitted · Mei · version 2",
    ]:
        assert line in whole, line
    s.add_user(MIN, "Min", language_code="en")
    await register(s, s.users[MIN])
    assert await record_of(s, MIN, "EVT-2026-0001") == ["There is no record EVT-2026-0001."]
