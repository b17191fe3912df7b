"""/find on a real database (SQLite and PostgreSQL), the newer parts: meetings and their
references (MTG-2026-0001), an inspector's searches (R7: the grant's period, every search
audited), the count that stops at CAP, and each way a search can start (by a bigram's records,
by the reader's own, by a status, or reading the records newest first) finding the same."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.audit.models import AuditEntry
from bot.calendar.meetings import MeetingDraft, record_meeting
from bot.calendar.models import Meeting, MeetingKind
from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.incidents import actions
from bot.people import inspectors
from bot.people import service as people
from bot.people.view import TgUser
from bot.policy.schema import People, Severity
from bot.records import meetings
from bot.records import service as records
from bot.records.meetings import MeetingRecord
from bot.search import conditions
from bot.search import service as search
from tests.support.incidents import staff
from tests.support.search import LI, migrated, refs, report
from tests.support.staff import EMERGENCY, MEMBER, OFFICE, SECRETARY

IDA = TgUser(3001, "Ida", username="ida")  # of the inspection group


async def meeting(
    deps: Deps, kind: MeetingKind, on: date, title: str, notes: str = "", came: tuple[int, ...] = ()
) -> Meeting:
    draft = MeetingDraft(kind=kind, held_on=on, title=title, notes=notes, attendee_ids=list(came))
    return await record_meeting(deps, OFFICE, draft)


@pytest.fixture(params=["chosen", "newest first"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each search as the service chooses to start it, and again read newest first with every
    condition asked of each record (DENSE 0: no list is ever few enough to start from)."""
    if request.param == "newest first":
        monkeypatch.setattr(search, "DENSE", 0)
    return str(request.param)


async def test_meetings_are_numbered_found_and_read(deps: Deps, plan: str) -> None:
    """R2, A3: a meeting's reference is the year it was held and its number in that year."""
    await staff(deps)
    first = await meeting(
        deps,
        MeetingKind.DEDICATED,
        date(2026, 11, 2),
        "意识形态工作专题会议",
        "研究网络舆情处置工作",
    )
    second = await meeting(deps, MeetingKind.STUDY, date(2026, 10, 20), "理论学习中心组学习")
    assert (first.ref, second.ref) == ("MTG-2026-0001", "MTG-2026-0002")
    await report(deps, MEMBER, "网络舆情：网帖一")
    assert await refs(deps, OFFICE, "MTG-2026-0002") == ["MTG-2026-0002"]
    assert await refs(deps, OFFICE, "舆情") == ["INC-2026-0001", "MTG-2026-0001"]  # the notes
    assert await refs(deps, OFFICE, "专题会议") == ["MTG-2026-0001"]  # the kind
    assert await refs(deps, OFFICE, "study") == ["MTG-2026-0002"]
    assert await refs(deps, OFFICE, "学习 2026年10月") == ["MTG-2026-0002"]
    assert await refs(deps, OFFICE, "舆情 open") == ["INC-2026-0001"]  # a meeting has no status
    # A meeting's record is the leadership's, the office's and its attendees': a member who
    # did not attend finds only their own report, and the meeting is "no such record".
    assert await refs(deps, MEMBER, "舆情") == ["INC-2026-0001"]
    with pytest.raises(NotFound):
        await records.read(deps, MEMBER, "MTG-2026-0001")
    member = (await people.start(deps, MEMBER)).person
    await meeting(deps, MeetingKind.STUDY, date(2026, 11, 3), "集体学习", "网络舆情", (member.id,))
    assert await refs(deps, MEMBER, "舆情") == ["INC-2026-0001", "MTG-2026-0003"]  # attended
    found = await records.read(deps, OFFICE, "mtg-2026-0001")
    assert isinstance(found, MeetingRecord) and found.title == "意识形态工作专题会议"
    assert found.held_on == date(2026, 11, 2) and found.recorded_by == "Ou"
    assert (await records.read(deps, MEMBER, "MTG-2026-0003")).ref == "MTG-2026-0003"
    with pytest.raises(NotFound):
        await records.read(deps, MEMBER, "MTG-2026-0004")
    async with deps.db.read() as s:
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.action == "meeting.record"))
    assert entry is not None and entry.data["ref"] == "MTG-2026-0001"


async def test_an_inspector_searches_the_grants_period_and_each_search_is_recorded(
    deps: Deps, clock: MovableClock, plan: str
) -> None:
    """R7, C: an inspector who is not a member finds what the ledger lets them read (the
    period the grant names) and nothing else; each search and each page is on record."""
    await staff(deps)
    await report(deps, MEMBER, "网络舆情：早先的")
    clock.advance(timedelta(days=10))
    await report(deps, MEMBER, "网络舆情：近日的")
    deps.policy = deps.policy.model_copy(update={"people": People(admission="approve")})
    ida = (await people.start(deps, IDA)).person
    with pytest.raises(NotAllowed):  # not a member, not yet an inspector
        await search.find(deps, IDA, "舆情")
    now = clock.now().astimezone(deps.zone).date()
    first = (now - timedelta(days=5)).isoformat()
    await inspectors.grant(
        deps,
        SECRETARY,
        person_id=ida.id,
        first_day=now.isoformat(),
        last_day=(now + timedelta(days=3)).isoformat(),
        period_first=first,
        period_last=now.isoformat(),
    )
    found = await search.find(deps, IDA, "舆情")
    assert [h.ref for h in found.hits] == ["INC-2026-0002"] and found.total == 1
    assert await refs(deps, IDA, "INC-2026-0001") == []  # outside the period: not there
    await search.page(deps, IDA, found.search_id, 0)
    async with deps.db.read() as s:
        entries = list(
            await s.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == search.SEARCHED)
                .order_by(AuditEntry.id)
            )
        )
    assert [(e.actor_id, e.clause, e.data["query"]) for e in entries] == [
        (ida.id, "R7", "舆情"),
        (ida.id, "R7", "INC-2026-0001"),
        (ida.id, "R7", "舆情"),
    ]
    assert entries[0].data["refs"] == ["INC-2026-0002"] and entries[1].data["total"] == 0
    await search.find(deps, OFFICE, "舆情")  # a member's search is not an inspection
    async with deps.db.read() as s:
        assert (
            len(
                list(
                    await s.scalars(select(AuditEntry).where(AuditEntry.action == search.SEARCHED))
                )
            )
            == 3
        )


async def test_the_count_stops_at_the_cap(
    deps: Deps, clock: MovableClock, monkeypatch: pytest.MonkeyPatch, plan: str
) -> None:
    """Beyond CAP matches the page says "more than", newest first, and pages on."""
    monkeypatch.setattr(search, "CAP", 12)
    await staff(deps)
    for n in range(15):
        await report(deps, MEMBER, f"舆情第{n + 1}号")
        clock.advance(timedelta(minutes=5))
    first = await search.find(deps, MEMBER, "舆情")
    assert (first.total, first.more, first.has_next) == (12, True, True)
    assert first.hits[0].ref == "INC-2026-0015"
    second = await search.page(deps, MEMBER, first.search_id, 1)
    assert [h.ref for h in second.hits][:2] == ["INC-2026-0005", "INC-2026-0004"]
    assert len(second.hits) == 5 and not second.has_next  # 15 read for the second page


async def test_every_way_to_start_finds_the_same(
    deps: Deps, clock: MovableClock, plan: str
) -> None:
    """A person's reports, a status, words and a period, in combination (L3, R4)."""
    await staff(deps)
    await people.start(deps, LI)
    first = await report(deps, LI, "网络舆情：网帖一")
    await report(deps, MEMBER, "门户网站首页被篡改")
    clock.advance(timedelta(days=30))
    third = await report(deps, LI, "网络舆情：网帖三", severity=Severity.GENERAL)
    await actions.close(deps, EMERGENCY, first, "已处置")
    assert await refs(deps, OFFICE, "@li_ming closed") == ["INC-2026-0001"]
    assert await refs(deps, OFFICE, "open 舆情") == ["INC-2026-0003"]
    assert await refs(deps, OFFICE, "网帖 2026年12月 general") == ["INC-2026-0003"]
    assert await refs(deps, OFFICE, "首页被篡") == ["INC-2026-0002"]
    assert await refs(deps, OFFICE, "篡 open") == ["INC-2026-0002"]  # one character
    assert await refs(deps, LI, "网") == ["INC-2026-0003", "INC-2026-0001"]  # her own only
    assert await refs(deps, MEMBER, "网帖") == []
    assert await refs(deps, EMERGENCY, "@li_ming") == ["INC-2026-0003", "INC-2026-0001"]
    assert third


OLD_MEETINGS = (
    "INSERT INTO people (telegram_id, first_name, created_at, updated_at, admission) VALUES "
    "(1, 'Ou', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'admitted')",
    *(
        "INSERT INTO meetings (kind, held_on, title, topics, inputs, notes, recorded_by_id, "
        f"recorded_at, conclusions, studied) VALUES ('dedicated', '{held}', '{title}', '[]', "
        "'[]', '', 1, '2026-06-01 00:00:00', '{}', '[]')"
        for held, title in (
            ("2026-05-02", "五月"),
            ("2025-12-30", "岁末"),
            ("2026-03-01", "三月专题会议"),
        )
    ),
)


async def test_the_migration_numbers_meetings_in_the_order_they_were_held(
    tmp_path: Path,
) -> None:
    """Meetings recorded before references existed: each year's numbered by the day held, and
    findable like new ones."""
    engine = await migrated(tmp_path / "old.sqlite3", "0021", OLD_MEETINGS)
    try:
        async with engine.connect() as conn:
            numbered = await conn.execute(text("SELECT title, year, number FROM meetings"))
            found = await conn.execute(conditions.matching("mtg", "专题会议"))
            assert [tuple(r) for r in numbered] == [
                ("五月", 2026, 2),
                ("岁末", 2025, 1),
                ("三月专题会议", 2026, 1),
            ]
            assert list(found.scalars()) == [3]
    finally:
        await engine.dispose()


async def test_a_meetings_files_go_to_whoever_may_read_it(deps: Deps) -> None:
    """R7: the minutes and photos of a meeting, sent to a reader, the opening on record."""
    await staff(deps)
    draft = MeetingDraft(
        kind=MeetingKind.STUDY,
        held_on=date(2026, 11, 20),
        title="集体学习",
        files=[("file-1", "document", "minutes.pdf")],
    )
    held = await record_meeting(deps, OFFICE, draft)
    with pytest.raises(NotFound):  # a member who did not attend: not theirs to read
        await meetings.send_meeting_files(deps, MEMBER, held.id)
    sent = await meetings.send_meeting_files(deps, OFFICE, held.id)
    assert sent.ref == "MTG-2026-0001" and [a.name for a in sent.attachments] == ["minutes.pdf"]
    async with deps.db.read() as s:
        opened = await s.scalar(
            select(AuditEntry).where(AuditEntry.action == "meeting.evidence_opened")
        )
    assert opened is not None and opened.clause == "R3" and opened.data["files"] == 1
    bare = await meeting(deps, MeetingKind.DEDICATED, date(2026, 11, 21), "专题会议")
    with pytest.raises(InvalidInput):
        await meetings.send_meeting_files(deps, OFFICE, bare.id)
    with pytest.raises(NotFound):
        await meetings.send_meeting_files(deps, OFFICE, 99)
