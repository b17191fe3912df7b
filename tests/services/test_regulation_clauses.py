"""R1, R8, P4 and A4 in the clause views: a study session (R3) that names the policy's study
materials is evidence for their clauses; R1 and A4 are said to be left to people."""

from __future__ import annotations

from datetime import date

import pytest

from bot.calendar import meetings
from bot.calendar.meetings import MeetingDraft
from bot.calendar.models import Meeting, MeetingKind
from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import InvalidInput
from bot.ledger import service as ledger
from bot.ledger.period import between
from tests.support.calendar import CN, local, organisation
from tests.support.staff import OFFICE


async def test_study_materials_are_evidence_for_r8_and_p4(deps: Deps, clock: MovableClock) -> None:
    clock.set(local(2026, 11, 24, 10, 0))
    await organisation(deps)
    film = MeetingDraft(
        MeetingKind.STUDY, date(2026, 11, 20), title="观看先进模范事迹影片", studied=["model-films"]
    )
    both = MeetingDraft(
        MeetingKind.STUDY,
        date(2026, 11, 23),
        title="专题学习",
        studied=["core-values", "political-ability"],
    )
    for draft in (film, both):
        await meetings.record_meeting(deps, OFFICE, draft)
    async with deps.db.read() as s:
        kept = await s.get(Meeting, 1)
    assert kept is not None and kept.studied == [
        {
            "key": "model-films",
            "name": "先进模范典型人物事迹影片",
            "name_en": "Films about model figures",
            "clauses": ["P4"],
        }
    ]
    period = between(date(2026, 11, 1), date(2026, 11, 30), CN)

    async def seen(clause: str) -> list[tuple[str, str]]:
        book = await ledger.build(deps, OFFICE, period, clause=clause)
        return [(e.source, e.subject) for e in book.evidence(clause) if e.source == "meeting"]

    assert await seen("P4") == [("meeting", "观看先进模范事迹影片"), ("meeting", "专题学习")]
    assert await seen("R8") == [("meeting", "专题学习")]
    assert await seen("R3") == [("meeting", "观看先进模范事迹影片"), ("meeting", "专题学习")]
    with pytest.raises(InvalidInput):  # a material the policy does not list
        await meetings.record_meeting(
            deps, OFFICE, MeetingDraft(MeetingKind.STUDY, date(2026, 11, 23), studied=["astrology"])
        )


def test_r1_and_a4_are_left_to_people_in_the_policy(deps: Deps) -> None:
    reg = deps.policy.regulation
    assert reg.r1.startswith("认真贯彻落实党中央")
    assert [n.clause for n in reg.not_automated] == ["R1", "A4"]
    assert reg.why_not("A2") is None
    assert {c for m in reg.study_materials for c in m.clauses} == {"R8", "P4"}
