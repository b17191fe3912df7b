"""/find through the chat: a Chinese word finds a report; nobody finds another's (L3, R4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.service import ReportDraft, file_report
from bot.people.view import TgUser
from bot.policy.schema import Kind, Severity
from tests.support.admission import actions, close_door
from tests.support.bot import Harness
from tests.support.world import MEMBER, OFFICE, file_major_network_incident, register, tap, world

OTHER = 1006


async def test_a_chinese_word_finds_the_report_and_another_member_finds_nothing(
    harness: Harness,
) -> None:
    s = harness.standin
    users = await world(harness)
    member = users[MEMBER]
    summary = await file_major_network_incident(harness, member)
    await tap(s, member, summary, "Submit")
    other = s.add_user(OTHER, "Wu", language_code="en", username="wu")
    await register(s, other)
    await s.quiet()
    s.mark_read(MEMBER, OTHER, OFFICE)

    await member.send("/find 篡改")  # inside "首页被篡改"
    found = await s.next_message(MEMBER)
    assert found.text.startswith("1 record found for “篡改” (page 1 of 1):")
    assert "INC-2026-0001 · November 24, 2026 · Network-security incident, Major · open" in (
        found.text
    )
    assert "首页被篡改" in found.text
    assert found.button_texts() == ["Details of INC-2026-0001"]
    await tap(s, member, found, "Details of INC-2026-0001")
    assert (await s.next_message(MEMBER)).text.startswith("INC-2026-0001")

    await other.send("/find 篡改")
    nothing = await s.next_message(OTHER)
    assert nothing.text == "Nothing found for “篡改” among the records you may see."
    await other.send("/find INC-2026-0001")
    assert (await s.next_message(OTHER)).text.startswith("Nothing found")
    await users[OFFICE].send("/find 篡改 open")  # the office sees every report
    assert (await s.next_message(OFFICE)).text.startswith("1 record found")


async def twelve_reports(harness: Harness) -> None:
    """Mei files twelve public-opinion reports a minute apart (INC-2026-0001 … 0012)."""
    start = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    for n in range(12):
        draft = ReportDraft(
            kind=Kind.PUBLIC_OPINION,
            severity=Severity.GENERAL,
            what=f"网络舆情处置{n + 1}",
            discovered_at=start,
            discovered_precision="minute",
            location="微博",
            actions_taken="已研判",
            attachments=[],
        )
        await file_report(harness.deps, TgUser(MEMBER, "Mei"), draft)
        harness.clock.advance(timedelta(minutes=1))
    await harness.standin.quiet()
    harness.standin.mark_read(MEMBER)


async def test_pages_turn_with_the_arrows(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    member = users[MEMBER]
    await twelve_reports(harness)
    await member.send("/find 舆情")
    page = await s.next_message(MEMBER)
    assert page.text.startswith("12 records found for “舆情” (page 1 of 2):")
    assert "INC-2026-0012" in page.text and "INC-2026-0002" not in page.text
    assert page.button_texts()[-1] == "›"
    await tap(s, member, page, "›")
    assert page.text.startswith("12 records found for “舆情” (page 2 of 2):")
    assert "INC-2026-0002" in page.text and "INC-2026-0001" in page.text
    assert page.button_texts()[-1] == "‹"


async def test_in_chinese_with_a_period_and_without_words(harness: Harness) -> None:
    s = harness.standin
    await world(harness)
    li = s.add_user(1007, "李明", language_code="zh-hans", username="li_ming")
    await register(s, li, "中文")
    draft = ReportDraft(
        kind=Kind.PUBLIC_OPINION,
        severity=Severity.GENERAL,
        what="关于网络舆情处置的情况",
        discovered_at=datetime(2026, 11, 24, 1, 0, tzinfo=UTC),
        discovered_precision="minute",
        location="微博",
        actions_taken="已研判",
        attachments=[],
    )
    await file_report(harness.deps, TgUser(1007, "李明"), draft)
    await s.quiet()
    s.mark_read(1007)
    await li.send("/find 舆情 2026年11月")
    found = await s.next_message(1007)
    assert found.text.startswith("查到与“舆情 2026年11月”相符的记录1条（第1页，共1页）：")
    assert "INC-2026-0001 · 2026年11月24日 · " in found.text and "（一般） · 处置中" in found.text
    assert found.button_texts() == ["INC-2026-0001详情"]
    await li.send("/find 舆情 2026年10月")
    assert (await s.next_message(1007)).text == (
        "在您有权查看的记录中，未查到与“舆情 2026年10月”相符的记录。"
    )
    await li.send("/find")
    assert (await s.next_message(1007)).text.startswith("请输入查询内容：")
    await li.send("/find 2026年2月30日")
    assert (await s.next_message(1007)).text == "该日期不存在，请核对。"


async def test_an_inspector_finds_and_opens_a_report_each_search_on_record(
    harness: Harness,
) -> None:
    """R7, C: an inspector in office, not a member, finds a report by a Chinese word, opens its
    whole record with Details; the search and the reading are in the audit trail."""
    from bot.people import directory, inspectors
    from tests.support.world import SECRETARY

    s, h = harness.standin, harness
    users = await world(h)
    summary = await file_major_network_incident(h, users[MEMBER])
    await tap(s, users[MEMBER], summary, "Submit")
    close_door(h, "approve")
    ida = s.add_user(OTHER, "Ida", language_code="en", username="ida")
    await ida.send("/start")
    await s.quiet()
    person = await directory.find_person(h.deps, username="ida")
    await inspectors.grant(
        h.deps,
        TgUser(SECRETARY, "Shu"),
        person_id=person.id,
        first_day="2026-11-24",
        last_day="2026-11-30",
    )
    await s.quiet()
    s.mark_read(OTHER)
    await ida.send("/find 篡改")
    found = await s.next_message(OTHER)
    assert found.text.startswith("1 record found for “篡改” (page 1 of 1):")
    assert found.button_texts() == ["Details of INC-2026-0001"]
    await tap(s, ida, found, "Details of INC-2026-0001")
    assert (await s.next_message(OTHER)).text.startswith("INC-2026-0001")
    done = await actions(h)
    assert done.count("record.find") == 1 and done.count("record.read") == 1
    await ida.send("/report")  # reading, nothing else
    assert (await s.next_message(OTHER)).text.startswith("As an inspector you may only read")


async def test_beyond_the_cap_the_page_says_more_and_asks_to_narrow(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search counts no further than its cap (docs/decisions/009-search.md): the page says
    "more than", newest first, and › still turns to what follows."""
    from bot.search import service as search

    monkeypatch.setattr(search, "CAP", 5)
    s = harness.standin
    users = await world(harness)
    await twelve_reports(harness)
    await users[MEMBER].send("/find 舆情")
    page = await s.next_message(MEMBER)
    assert page.text.startswith(
        "More than 5 records found for “舆情” (page 1); the newest first. Add words, a status "
        "or a period to narrow the search:\n\nINC-2026-0012 · "
    )
    assert page.button_texts()[-1] == "›"
    await tap(s, users[MEMBER], page, "›")
    assert page.text.startswith("More than 5 records found for “舆情” (page 2)")
    assert "INC-2026-0002" in page.text and "INC-2026-0001" in page.text
    assert page.button_texts()[-1] == "‹"
