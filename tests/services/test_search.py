"""/find on a real database: Chinese substrings by bigrams, combinations, visibility, paging."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import InvalidInput, NotFound
from bot.events import service as events
from bot.incidents import actions
from bot.people import service as people
from bot.people.view import TgUser
from bot.policy.schema import Kind, Severity
from bot.search import conditions
from bot.search import service as search
from bot.search.models import EVENT, INCIDENT
from standin.ledger_year import ELI, HAN, MIN, OU, a_year, at
from tests.support.events import draft as event_draft
from tests.support.incidents import staff
from tests.support.search import LI, WANG, migrated, refs, report
from tests.support.staff import EMERGENCY, MEMBER, OFFICE


async def test_a_two_character_word_is_found_inside_a_longer_one(deps: Deps) -> None:
    await staff(deps)
    await report(deps, MEMBER, "网络舆情处置：某网帖转发量激增")
    await report(deps, MEMBER, "门户网站首页被篡改")
    assert await refs(deps, OFFICE, "舆情") == ["INC-2026-0001"]
    assert await refs(deps, OFFICE, "舆情处置") == ["INC-2026-0001"]
    assert await refs(deps, OFFICE, "情处置网") == []  # every bigram there, not in this order
    assert await refs(deps, OFFICE, "舆论") == []
    assert await refs(deps, OFFICE, "篡") == ["INC-2026-0002"]  # one character: by LIKE
    assert await refs(deps, OFFICE, "网") == ["INC-2026-0002", "INC-2026-0001"]  # newest first
    assert await refs(deps, OFFICE, "已断网") == ["INC-2026-0002", "INC-2026-0001"]  # actions


async def test_updates_closing_summaries_and_events_are_searched(deps: Deps) -> None:
    await staff(deps)
    incident = await report(deps, MEMBER, "门户网站首页被篡改")
    await actions.add_update(deps, EMERGENCY, incident, "已向网信办通报")
    assert await refs(deps, OFFICE, "网信办") == ["INC-2026-0001"]
    await actions.close(deps, EMERGENCY, incident, "漏洞已修补，复盘完成")
    assert await refs(deps, OFFICE, "复盘") == ["INC-2026-0001"]
    await events.submit(deps, MEMBER, event_draft())
    assert await refs(deps, OFFICE, "宣讲") == ["EVT-2026-0001"]  # the title
    assert await refs(deps, OFFICE, "党校") == ["EVT-2026-0001"]  # a speaker's affiliation
    assert await refs(deps, OFFICE, "EVT-2026-0001") == ["EVT-2026-0001"]
    assert await refs(deps, OFFICE, "inc-2026-0001") == ["INC-2026-0001"]


async def test_word_period_status_and_person_combine(deps: Deps, clock: MovableClock) -> None:
    await staff(deps)
    await people.start(deps, LI)
    await people.start(deps, WANG)
    first = await report(deps, LI, "网络舆情：网帖一")  # 2026-11 (the clock's month)
    await report(deps, WANG, "网络舆情：网帖二")
    clock.advance(timedelta(days=30))  # December
    third = await report(deps, LI, "网络舆情：网帖三", severity=Severity.GENERAL)
    await actions.close(deps, EMERGENCY, first, "已处置")
    assert await refs(deps, OFFICE, "舆情 2026年11月") == ["INC-2026-0002", "INC-2026-0001"]
    assert await refs(deps, OFFICE, "舆情 2026年12月") == ["INC-2026-0003"]
    assert await refs(deps, OFFICE, "舆情 @li_ming") == ["INC-2026-0003", "INC-2026-0001"]
    assert await refs(deps, OFFICE, "@li_ming open") == ["INC-2026-0003"]
    assert await refs(deps, OFFICE, "@li_ming 已办结 2026年11月") == ["INC-2026-0001"]
    assert await refs(deps, OFFICE, "舆情 2026年11月1日至11月30日 @wang_fang") == ["INC-2026-0002"]
    assert await refs(deps, OFFICE, "舆情 general") == ["INC-2026-0003"]
    assert await refs(deps, OFFICE, "舆情 closed 2026年12月") == []
    # The handler is a person of the record too.
    assert len(await refs(deps, OFFICE, "@" + "li_ming")) == 2 and third
    with pytest.raises(InvalidInput):
        await search.find(deps, OFFICE, "@nobody_here")
    with pytest.raises(InvalidInput):
        await search.find(deps, OFFICE, "2026年2月30日")


async def test_each_role_finds_only_what_it_may_see(deps: Deps) -> None:
    await staff(deps)
    await people.start(deps, LI)
    await report(deps, MEMBER, "网络舆情：本人报告")
    await report(deps, LI, "网络舆情：他人报告", kind=Kind.PUBLIC_OPINION)
    await report(deps, LI, "网络舆情：信息报送", kind=Kind.INFORMATION, severity=None)
    await events.submit(deps, LI, event_draft(title="舆情研判讲座"))
    mine = await search.find(deps, MEMBER, "舆情")
    assert [h.ref for h in mine.hits] == ["INC-2026-0001"] and mine.total == 1  # counts too
    assert await refs(deps, MEMBER, "INC-2026-0002") == []
    assert await refs(deps, MEMBER, "@li_ming") == []
    assert (await search.find(deps, OFFICE, "舆情")).total == 4  # the office sees everything
    # The emergency office handles network security reports, not the information report.
    handled = await refs(deps, EMERGENCY, "舆情")
    assert "INC-2026-0001" in handled and "INC-2026-0003" not in handled
    assert "EVT-2026-0001" not in handled


async def test_pages_of_ten_newest_first(deps: Deps, clock: MovableClock) -> None:
    await staff(deps)
    for n in range(23):
        await report(deps, MEMBER, f"舆情第{n + 1}号")
        clock.advance(timedelta(minutes=5))
    first = await search.find(deps, MEMBER, "舆情")
    assert first.total == 23 and first.pages == 3 and len(first.hits) == 10
    assert first.hits[0].ref == "INC-2026-0023" and first.hits[9].ref == "INC-2026-0014"
    last = await search.page(deps, MEMBER, first.search_id, 2)
    assert [h.ref for h in last.hits] == ["INC-2026-0003", "INC-2026-0002", "INC-2026-0001"]
    beyond = await search.page(deps, MEMBER, first.search_id, 9)
    assert beyond.page == 2  # the last page, not an empty one
    with pytest.raises(NotFound):  # a forwarded page button reads nothing for another
        await search.page(deps, OFFICE, first.search_id, 1)


async def test_the_migration_indexes_the_records_already_there(tmp_path: Path) -> None:
    """Reports and requests filed before the index existed are found like new ones."""
    engine = await migrated(tmp_path / "old.sqlite3", "0019", OLD_ROWS)
    try:
        async with engine.connect() as conn:
            found = {
                word: list(
                    (
                        await conn.execute(
                            conditions.matching(INCIDENT, word).union(
                                conditions.matching(EVENT, word)
                            )
                        )
                    ).scalars()
                )
                for word in ("舆情", "网信办", "党校", "宣讲", "地震")
            }
        assert found == {"舆情": [1], "网信办": [1], "党校": [1], "宣讲": [1], "地震": []}
    finally:
        await engine.dispose()


OLD_ROWS = (
    "INSERT INTO people (telegram_id, first_name, created_at, updated_at, admission) "
    "VALUES (1, 'Mei', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'admitted')",
    "INSERT INTO incidents (year, number, kind, severity, status, reporter_id, what, "
    "discovered_at, discovered_precision, location, actions_taken, reported_at, "
    "needs_secretary_ack, escalation_level) VALUES (2026, 1, 'public_opinion', 'general', "
    "'open', 1, '网络舆情处置', '2026-01-01 00:00:00', 'minute', '微博', '已研判', "
    "'2026-01-01 00:00:00', 0, 0)",
    "INSERT INTO incident_timeline (incident_id, at, kind, text, data) "
    "VALUES (1, '2026-01-02 00:00:00', 'update', '已向网信办通报', '{}')",
    "INSERT INTO event_requests (year, number, version, event_type, title, requester_id, "
    "organiser_id, starts_at, venue, audience, speakers, outline, speakers_vetted, attachments, "
    "short_lead, status, requested_at) VALUES (2026, 1, 1, 'lecture', '理论宣讲报告会', 1, 1, "
    "'2026-02-01 00:00:00', '三楼会议室', 50, "
    '\'[{"name": "\\u5f20\\u6559\\u6388", "affiliation": "\\u5e02\\u59d4\\u515a\\u6821"}]\', '
    "'一、形势', 1, '[]', 0, 'pending', '2026-01-01 00:00:00')",
)


async def test_a_committee_head_finds_his_committees_records(
    deps: Deps, clock: MovableClock
) -> None:
    """L3, R5: the ledger's view of a year; the same records, counted the same (scope.py)."""
    await a_year(deps, clock)
    clock.set(at(1, 10, year=2027))
    meetings = [r for r in await every(deps, OU, "2026年") if r.startswith("MTG-")]
    assert len(meetings) == 18  # the office sees every meeting's record (R2, R3, A2, A3)
    # A meeting's record (conclusions, attendees, minutes) is the leadership's, the office's
    # and its attendees': the head attended none of the sample year's meetings.
    head = await every(deps, HAN, "2026年")
    assert sorted(head) == [
        "EVT-2026-0001",
        "EVT-2026-0003",
        "EVT-2026-0005",
        "INC-2026-0001",
        "INC-2026-0003",
        "INC-2026-0005",
    ]
    assert (await search.find(deps, HAN, "2026年")).total == 6
    assert (await search.find(deps, OU, "2026年")).total == 11 + 18  # the office: 5 + 6
    mine = [r for r in await every(deps, MIN, "2026年") if not r.startswith("MTG-")]
    assert sorted(mine) == [  # her own, as her ledger shows them
        "EVT-2026-0002",
        "EVT-2026-0004",
        "EVT-2026-0006",
        "INC-2026-0002",
        "INC-2026-0004",
    ]
    handled = await every(deps, ELI, "2026年")  # the incidents Eli handles
    assert sorted(r for r in handled if r.startswith("INC")) == ["INC-2026-0001", "INC-2026-0004"]


async def every(deps: Deps, who: TgUser, text: str) -> list[str]:
    """Every reference a search finds, page after page."""
    first = await search.find(deps, who, text)
    found = [h.ref for h in first.hits]
    for number in range(1, first.pages):
        found += [h.ref for h in (await search.page(deps, who, first.search_id, number)).hits]
    return found
