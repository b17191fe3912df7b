"""The briefing (会前材料) before the quarterly review (A1, A2): its content for a seeded quarter,
its moment, its readers, and that it goes out once."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.calendar import briefing, runner
from bot.calendar.schedule import dues_of_year
from bot.clock import MovableClock
from bot.deps import Deps
from bot.incidents.service import ReportDraft, file_report
from bot.policy.schema import Kind, Severity
from standin.ledger_year import CN, MEI, MIN, a_year
from tests.support.calendar import LEADERS, ORG, local, organisation, outbox
from tests.support.review import review
from tests.support.staff import OFFICE

Q4 = "A2:2026-Q4:briefing"


def report(kind: Kind, severity: Severity | None, what: str) -> ReportDraft:
    return ReportDraft(
        kind=kind,
        severity=severity,
        what=what,
        discovered_at=local(2026, 11, 5),
        discovered_precision="day",
        location="门户网站",
        actions_taken="已截图留存",
        attachments=[],
    )


def test_the_briefing_comes_a_week_before_the_last_reminder(deps: Deps) -> None:
    dues = {d.key: d for d in dues_of_year(deps.policy, CN, 2026)}
    # The last reminder is 10 days before the quarter ends; the briefing 7 days before it, on
    # a working day (the day before, when that is a day off).
    when = {
        k: dues[k].due_at.astimezone(CN).strftime("%a %m-%d %H:%M")
        for k in dues
        if k.endswith(":briefing")
    }
    assert when == {
        "A2:2026-Q1:briefing": "Fri 03-13 09:30",  # 15 Mar is a Sunday
        "A2:2026-Q2:briefing": "Fri 06-12 09:30",  # 14 Jun is a Sunday
        "A2:2026-Q3:briefing": "Mon 09-14 09:30",
        "A2:2026-Q4:briefing": "Tue 12-15 09:30",
    }
    assert dues[Q4].clause == "A1"


async def test_the_briefing_of_a_seeded_quarter(deps: Deps, clock: MovableClock) -> None:
    await a_year(deps, clock)
    clock.set(local(2026, 11, 5, 11, 0))  # an information report for the Q4 review (A1)
    await file_report(deps, MIN, report(Kind.INFORMATION, None, "群众反映网上有关我机关的议论"))
    clock.set(local(2026, 12, 15, 9, 30))
    due = next(d for d in dues_of_year(deps.policy, CN, 2026) if d.key == Q4)
    async with deps.db.read() as session:
        lines = await briefing.lines(session, deps, due, clock.now())
    shown = [
        line[:5] if line[0] == "h" else line[:5] if line[0] == "inc" else line[1:4:2]
        for line in lines
    ]
    assert shown == [
        # A1: the reports sent in since the Q3 review (Sep 28): the one above, not I3 (Jul 7).
        ["h", "information", 1],
        ["inc", "INC-2026-0006", "information", "", "open"],
        # A2: the quarter's incidents under the area of their kind: I5 (an event, theory).
        ["h", "area", "思想理论", "Political theory", 1],
        ["inc", "INC-2026-0005", "event_incident", "major", "open"],
        ["h", "area", "新闻舆论", "News and media opinion", 0],
        ["h", "area", "社会舆论", "Public opinion in society", 0],
        ["h", "area", "思想道德", "Ideology and morality", 0],
        ["h", "area", "网上舆论", "Online opinion", 0],
        # Open at the time, in the order reported: I3 (acknowledged, never closed), the new
        # report (Nov 5) and I5 (Nov 20).
        ["h", "open", 3],
        ["inc", "INC-2026-0003", "information", "", "open"],
        ["inc", "INC-2026-0006", "information", "", "open"],
        ["inc", "INC-2026-0005", "event_incident", "major", "open"],
        # The quarter's lapses so far (as the ledger shows them for Q4), oldest limit first.
        ["h", "lapses", 6],
        ["event_uncleared", "EVT-2026-0005"],
        ["ack_missing", "INC-2026-0006"],
        ["ack_missing", "INC-2026-0005"],
        ["secretary_ack_missing", "INC-2026-0005"],
        ["upward_late", "INC-2026-0005"],
        ["study_missing", "2026-11"],
    ]
    assert lines[1][5] == "群众反映网上有关我机关的议论"


def test_a_long_briefing_is_cut_into_parts() -> None:
    lines: list[list[Any]] = [["h", "information", 70]]
    lines += [["inc", f"INC-2026-{n:04d}", "information", "", "open", "x"] for n in range(70)]
    lines += [["h", "open", 0]]
    parts = briefing.parts(lines)
    assert [len(p) for p in parts] == [30, 30, 12]
    assert [line for part in parts for line in part] == lines


async def test_sent_once_to_the_office_and_the_leadership(deps: Deps, clock: MovableClock) -> None:
    clock.set(local(2026, 10, 7, 20, 0))
    await organisation(deps)
    await runner.run(deps)
    clock.set(local(2026, 11, 5, 11, 0))
    filed = await file_report(
        deps, MEI, report(Kind.PUBLIC_OPINION, Severity.GENERAL, "网帖质疑工作作风")
    )
    for _ in range(2):  # a second run (or a second scheduler) sends nothing again
        clock.set(local(2026, 12, 15, 9, 30))
        await runner.run(deps)
    sent = await outbox(deps, "calendar.quarter_briefing")
    # Not the organisation group: the briefing names incidents.
    assert sorted(m.chat_id for m in sent) == sorted([LEADERS, OFFICE.id])
    assert ORG not in {m.chat_id for m in sent}
    lines = sent[0].params["lines"]
    assert ["h", "area", "社会舆论", "Public opinion in society", 1] in lines
    assert sent[0].params["part"] == sent[0].params["parts"] == 1
    # Each incident named has a Details link into the reader's private chat (not shown in the
    # group), then the reminder's own buttons.
    assert sent[0].buttons[0] == [{"text": filed.ref, "data": f"start:rec-{filed.ref}"}]
    assert [b["label"] for b in sent[0].buttons[1]] == ["Record it"]
    assert sent[0].buttons[2][0]["label"] == "As a document (.docx)"  # the same, for printing


async def test_no_briefing_once_the_review_is_recorded_in_full(
    deps: Deps, clock: MovableClock
) -> None:
    clock.set(local(2026, 10, 7, 20, 0))
    await organisation(deps)
    await runner.run(deps)
    clock.set(local(2026, 12, 10, 16, 0))
    from bot.calendar import meetings

    whole = review(date(2026, 12, 10), ["theory", "news", "society", "morality", "online"], {})
    await meetings.record_meeting(deps, OFFICE, whole)
    clock.set(local(2026, 12, 15, 9, 30))
    await runner.run(deps)
    assert await outbox(deps, "calendar.quarter_briefing") == []
