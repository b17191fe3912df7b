"""The compliance calendar on a real database, with a movable clock (A2, A1, R2, R3, A3, P4).

Expectations are worked out by hand from the default policy and China's official 2026
calendar (State Council notice): 1 Jan–3 Jan off, Sunday 4 Jan worked; Spring Festival
15–23 Feb off, Saturdays 14 and 28 Feb worked; National Day 1–7 Oct off.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.calendar import meetings, runner
from bot.calendar.meetings import MeetingDraft
from bot.calendar.models import MeetingKind, Occurrence, Snooze
from bot.clock import MovableClock
from bot.db.engine import Database
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed
from bot.outbox.models import OutboxStatus
from bot.people import service as people
from tests.support.calendar import CN, LEADERS, ORG, local, organisation, outbox
from tests.support.staff import DEPUTY, MEMBER, OFFICE, SECRETARY


async def sent(deps: Deps) -> list[Occurrence]:
    async with deps.db.read() as s:
        rows = await s.scalars(
            select(Occurrence).where(Occurrence.outcome == "sent").order_by(Occurrence.id)
        )
        return list(rows)


def fired(rows: list[Occurrence]) -> dict[str, str]:
    """key → the local moment it went out."""
    return {o.key: f"{o.fired_at.astimezone(CN):%a %m-%d %H:%M}" for o in rows}


async def record(deps: Deps, kind: MeetingKind, held_on: date, **more: object) -> None:
    draft = MeetingDraft(kind=kind, held_on=held_on, **more)  # type: ignore[arg-type]
    await meetings.record_meeting(deps, OFFICE, draft)


# Meetings the office records during the test year, on the day they were held at 16:00. Each
# review concludes all five areas (A2): one that leaves areas out keeps the quarter open.
WHOLE = {"topics": ["theory", "news", "society", "morality", "online"]}
MEETINGS = [
    (date(2026, 3, 10), MeetingKind.QUARTERLY_REVIEW, WHOLE),
    (date(2026, 5, 20), MeetingKind.DEDICATED, {}),
    (date(2026, 9, 25), MeetingKind.QUARTERLY_REVIEW, WHOLE),
    (
        date(2026, 9, 25),
        MeetingKind.FORWARD_ANALYSIS,
        {"sensitive_key": "national-day", "sensitive_on": date(2026, 10, 1)},
    ),
    (date(2026, 11, 20), MeetingKind.DEDICATED, {}),
    (date(2026, 12, 15), MeetingKind.QUARTERLY_REVIEW, WHOLE),
] + [  # a study session every month but April, on the 10th
    (date(2026, m, 10), MeetingKind.STUDY, {}) for m in range(1, 13) if m != 4
]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_whole_year_of_the_default_policy(deps: Deps, clock: MovableClock) -> None:
    clock.set(local(2025, 12, 31, 20, 0))
    await organisation(deps)
    await runner.run(deps)  # the calendar starts here: nothing of 2025 is sent
    due_meetings = sorted(MEETINGS, key=lambda m: m[0])
    day = date(2026, 1, 1)
    while day <= date(2027, 1, 10):
        # Three looks a day: just before send time, at it, and in the evening.
        for hour, minute in ((9, 29), (9, 30), (18, 0)):
            clock.set(local(day.year, day.month, day.day, hour, minute))
            before = len(await sent(deps))
            await runner.run(deps)
            if (hour, minute) == (9, 29):
                assert len(await sent(deps)) == before, f"something went out early on {day}"
        while due_meetings and due_meetings[0][0] == day:
            held_on, kind, more = due_meetings.pop(0)
            clock.set(local(day.year, day.month, day.day, 16, 0))
            await record(deps, kind, held_on, **more)
        day += timedelta(1)

    rows = await sent(deps)
    got = fired(rows)
    assert len(got) == len(rows)  # every key once
    assert all(not o.late for o in rows)
    assert all(moment.endswith("09:30") for moment in got.values())
    by_kind = Counter(o.obligation for o in rows)

    # A2: every quarter told on its first working day; reminders only while unrecorded. A1:
    # the briefing a week before the last reminder, unless the review is already recorded
    # (Q1's was held on 10 Mar; Q4's briefing went out the morning of its review).
    assert {k: v for k, v in got.items() if k.startswith("A2:2026")} == {
        "A2:2026-Q1:open": "Sun 01-04 09:30",  # the make-up Sunday is a working day
        "A2:2026-Q1:d30": "Mon 03-02 09:30",  # 1 Mar is a Sunday
        "A2:2026-Q2:open": "Wed 04-01 09:30",
        "A2:2026-Q2:d30": "Mon 06-01 09:30",
        "A2:2026-Q2:briefing": "Fri 06-12 09:30",
        "A2:2026-Q2:d10": "Mon 06-22 09:30",
        "A2:2026-Q2:lapse": "Wed 07-01 09:30",  # no review in Q2: a lapse
        "A2:2026-Q3:open": "Wed 07-01 09:30",
        "A2:2026-Q3:d30": "Tue 09-01 09:30",
        "A2:2026-Q3:briefing": "Mon 09-14 09:30",
        "A2:2026-Q3:d10": "Mon 09-21 09:30",
        "A2:2026-Q4:open": "Thu 10-08 09:30",  # after the National Day week
        "A2:2026-Q4:d30": "Wed 12-02 09:30",
        "A2:2026-Q4:briefing": "Tue 12-15 09:30",
    }
    # R2: one meeting by mid-year (no July reminder); Q4 reminders while fewer than two.
    assert {k: v for k, v in got.items() if k.startswith("R2:")} == {
        "R2:2026:10-09": "Fri 10-09 09:30",
        "R2:2026:11-16": "Mon 11-16 09:30",
    }
    # R3: every month told; April (no session) reminded on its last working day, then a lapse.
    assert by_kind["study_open"] == 12 + 1  # and January 2027
    assert {k: v for k, v in got.items() if k.startswith("R3:") and "open" not in k} == {
        "R3:2026-04:last": "Thu 04-30 09:30",
        "R3:2026-04:lapse": "Wed 05-06 09:30",  # 1–5 May are the Labour Day holiday
    }
    assert got["R3:2026-02:open"] == "Mon 02-02 09:30"
    # A3: every sensitive date of 2026 reminded; the National Day one was analysed on 25 Sep
    # (after its reminder of 21 Sep), so it went out as well; none before the 2027 dates yet.
    assert {k: v for k, v in got.items() if k.startswith("A3:")} == {
        "A3:spring-festival:2026-02-17": "Tue 02-10 09:30",
        "A3:two-sessions:2026-03-04": "Tue 02-24 09:30",  # 14 days ahead is in the holiday
        "A3:may-fourth:2026-05-04": "Mon 04-27 09:30",
        "A3:party-founding:2026-07-01": "Wed 06-24 09:30",
        "A3:army-day:2026-08-01": "Mon 07-27 09:30",  # 25 Jul is a Saturday
        "A3:victory-day:2026-09-03": "Thu 08-27 09:30",
        "A3:national-day:2026-10-01": "Mon 09-21 09:30",
        "A3:memorial-day:2026-12-13": "Mon 12-07 09:30",
    }
    # The Spring Festival week: nothing from 15 to 23 Feb, no digest for a week without a
    # working day, everything waiting goes out on Tuesday 24 Feb; Saturday 28 Feb is worked.
    holiday = [v for v in got.values() if "02-15" <= v[4:9] <= "02-23"]
    assert holiday == []
    assert "digest:2026-W08" not in got
    assert got["digest:2026-W09"] == "Tue 02-24 09:30"
    assert got["digest:2026-W41"] == "Thu 10-08 09:30"
    # ISO weeks 2 to 53 of 2026 (week 1 began before the calendar did) without week 8, whose
    # days are all off, and the first week of 2027.
    assert by_kind["digest"] == 52 - 1 + 1
    # The year ended with two dedicated meetings and a Q4 review: no lapse in January.
    assert not [k for k in got if k.startswith(("R2:2026:lapse", "A2:2026-Q4:lapse"))]

    messages = await outbox(deps)
    per_key = Counter((m.params["key"], m.chat_id) for m in messages)
    assert set(per_key.values()) == {1}  # nobody got anything twice
    opening = [m for m in messages if m.params["key"] == "A2:2026-Q2:open"]
    assert sorted(m.chat_id for m in opening) == [LEADERS, ORG]
    assert [t[0] for t in opening[0].params["topics"]] == [  # A2's five areas
        "思想理论",
        "新闻舆论",
        "社会舆论",
        "思想道德",
        "网上舆论",
    ]
    dedicated = [m for m in messages if m.params["key"] == "R2:2026:11-16"]
    assert sorted(m.chat_id for m in dedicated) == [SECRETARY.id, OFFICE.id]
    assert dedicated[0].params["held"] == 1
    lapse = [m for m in messages if m.params["key"] == "A2:2026-Q2:lapse"]
    assert sorted(m.chat_id for m in lapse) == [LEADERS, ORG]
    async with deps.db.read() as s:
        lapses = list(
            await s.scalars(select(AuditEntry.clause).where(AuditEntry.action == "calendar.lapse"))
        )
    assert sorted(lapses) == ["A2", "R3"]


async def test_downtime_across_a_due_time_sends_once_and_late(
    deps: Deps, clock: MovableClock
) -> None:
    clock.set(local(2026, 11, 24, 10, 0))
    await organisation(deps)
    await runner.run(deps)
    assert await sent(deps) == []
    # Down over the weekend until Monday 30 Nov 11:00: the study reminder of November's last
    # working day and the weekly digest, both due at 09:30, go out once, marked late.
    clock.set(local(2026, 11, 30, 11, 0))
    assert await runner.run(deps) == 2
    rows = await sent(deps)
    assert {o.key: o.late for o in rows} == {"R3:2026-11:last": True, "digest:2026-W49": True}
    late = [m for m in await outbox(deps) if m.params["key"] == "R3:2026-11:last"]
    assert late[0].params["late_since"] == local(2026, 11, 30, 9, 30).isoformat()
    # Started again: nothing new; the next morning's are on time.
    clock.set(local(2026, 11, 30, 11, 5))
    assert await runner.run(deps) == 0
    clock.set(local(2026, 12, 1, 9, 30))
    assert await runner.run(deps) == 2  # November's lapse, December's study session
    assert [o.late for o in await sent(deps)][2:] == [False, False]
    # Down for longer than a reminder lives: the 2 Dec quarterly reminder expired on 1 Jan.
    clock.set(local(2027, 1, 2, 10, 0))
    await runner.run(deps)
    keys = {o.key for o in await sent(deps)}
    assert "A2:2026-Q4:d30" not in keys and "A2:2026-Q4:d10" not in keys
    clock.set(local(2027, 1, 4, 9, 30))
    await runner.run(deps)
    keys = {o.key for o in await sent(deps)}
    # December's study session was announced, so its absence is a lapse; no quarterly review
    # reminder ever reached anyone (the bot was down), so none is claimed for Q4.
    assert "R3:2026-12:lapse" in keys and "A2:2026-Q4:lapse" not in keys


async def test_two_schedulers_at_the_same_moment_send_once(
    deps: Deps, clock: MovableClock, db: Database, settings: object
) -> None:
    clock.set(local(2026, 11, 24, 10, 0))
    await organisation(deps)
    await runner.run(deps)
    clock.set(local(2026, 12, 1, 9, 30))
    other = Deps(settings=deps.settings, db=Database(db.engine), clock=clock, policy=deps.policy)
    results = await asyncio.gather(runner.run(deps), runner.run(other), runner.run(deps))
    # Monday's digest (late) and December's study session; Monday's study reminder expired
    # with November, and November's lapse is not claimed: the calendar started too late to
    # remind anyone of November's session.
    assert sum(results) == 2
    per_key = Counter((m.params["key"], m.chat_id) for m in await outbox(deps))
    assert per_key and set(per_key.values()) == {1}


async def test_a_recorded_meeting_stops_its_reminders(deps: Deps, clock: MovableClock) -> None:
    clock.set(local(2026, 11, 24, 10, 0))
    await organisation(deps)
    await runner.run(deps)
    await record(deps, MeetingKind.STUDY, date(2026, 11, 20), title="学习")
    clock.set(local(2026, 11, 30, 9, 30))
    assert await runner.run(deps) == 1
    assert [o.key for o in await sent(deps)] == ["digest:2026-W49"]
    [row] = [o for o in await _all(deps) if o.key == "R3:2026-11:last"]
    assert row.outcome == "not_needed"
    clock.set(local(2026, 12, 1, 9, 30))
    await runner.run(deps)
    assert "R3:2026-11:lapse" not in {o.key for o in await sent(deps)}


async def _all(deps: Deps) -> list[Occurrence]:
    async with deps.db.read() as s:
        return list(await s.scalars(select(Occurrence)))


async def test_snooze_reminds_the_person_the_next_working_morning(
    deps: Deps, clock: MovableClock
) -> None:
    clock.set(local(2026, 12, 4, 10, 0))
    await organisation(deps)
    await runner.run(deps)
    clock.set(local(2026, 12, 7, 9, 30))  # Monday: the memorial day of 13 Dec is a week off
    await runner.run(deps)
    [occurrence] = [o for o in await sent(deps) if o.key == "A3:memorial-day:2026-12-13"]
    at, new = await meetings.snooze(deps, SECRETARY, occurrence.id)
    assert (at, new) == (local(2026, 12, 8, 9, 30), True)
    assert await meetings.snooze(deps, SECRETARY, occurrence.id) == (at, False)  # double tap
    clock.set(local(2026, 12, 8, 9, 29))
    await runner.run(deps)
    assert not [m for m in await outbox(deps) if m.params.get("snoozed")]
    clock.set(local(2026, 12, 8, 9, 31))
    await runner.run(deps)
    [again] = [m for m in await outbox(deps) if m.params.get("snoozed")]
    assert (again.chat_id, again.template) == (SECRETARY.id, "calendar.sensitive")
    async with deps.db.read() as s:
        [row] = list(await s.scalars(select(Snooze)))
    assert row.sent_at is not None
    await runner.run(deps)  # never twice
    assert len([m for m in await outbox(deps) if m.params.get("snoozed")]) == 1


async def test_snooze_too_late_or_already_recorded(deps: Deps, clock: MovableClock) -> None:
    clock.set(local(2026, 11, 30, 9, 0))
    await organisation(deps)
    await runner.run(deps)
    clock.set(local(2026, 11, 30, 9, 30))
    await runner.run(deps)
    [occurrence] = [o for o in await sent(deps) if o.key == "R3:2026-11:last"]
    with pytest.raises(InvalidInput):  # the last working day: tomorrow is too late
        await meetings.snooze(deps, MEMBER, occurrence.id)
    await record(deps, MeetingKind.STUDY, date(2026, 11, 30))
    with pytest.raises(AlreadyDone):
        await meetings.snooze(deps, MEMBER, occurrence.id)


async def test_groups_not_set_up_fall_back_to_people(deps: Deps, clock: MovableClock) -> None:
    clock.set(local(2026, 12, 6, 12, 0))
    await organisation(deps, groups=False)
    await runner.run(deps)
    clock.set(local(2026, 12, 7, 9, 30))
    await runner.run(deps)
    sensitive = [m for m in await outbox(deps) if m.template == "calendar.sensitive"]
    # The leadership group is not set up: the secretary and the deputy, privately.
    assert sorted(m.chat_id for m in sensitive) == [DEPUTY.id, SECRETARY.id]


async def test_a_person_who_blocked_the_bot_does_not_hold_up_the_others(
    deps: Deps, clock: MovableClock
) -> None:
    clock.set(local(2026, 12, 6, 12, 0))
    await organisation(deps, groups=False)
    deputy = (await people.start(deps, DEPUTY)).person
    await people.mark_blocked(deps, deputy.id)
    await runner.run(deps)
    clock.set(local(2026, 12, 7, 9, 30))
    await runner.run(deps)
    status = {m.chat_id: m.status for m in await outbox(deps) if m.template == "calendar.sensitive"}
    # Kept for the deputy until they write again (the office is told by delivery).
    assert status == {SECRETARY.id: OutboxStatus.PENDING, DEPUTY.id: OutboxStatus.HELD}


async def test_recording_is_checked(deps: Deps, clock: MovableClock) -> None:
    clock.set(local(2026, 11, 24, 10, 0))
    await organisation(deps)
    with pytest.raises(NotAllowed):
        await meetings.record_meeting(
            deps, MEMBER, MeetingDraft(MeetingKind.STUDY, date(2026, 11, 20))
        )
    with pytest.raises(InvalidInput):  # not held yet
        await record(deps, MeetingKind.STUDY, date(2026, 11, 25))
    with pytest.raises(InvalidInput):  # A2: which areas were covered
        await record(deps, MeetingKind.QUARTERLY_REVIEW, date(2026, 11, 20), topics=[])
    with pytest.raises(InvalidInput):
        await record(deps, MeetingKind.QUARTERLY_REVIEW, date(2026, 11, 20), topics=["astrology"])
