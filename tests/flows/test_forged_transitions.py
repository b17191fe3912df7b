"""Forged button data never moves a record its state and dates do not allow (R6, R7, rule 5):
whatever a button says, each transition checks the record as it stands; the refusal is one
clear sentence and nothing is recorded or sent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.buttons import EventAction
from bot.events import after, decisions
from bot.events import service as events
from bot.events.models import EventRequest
from bot.incidents import actions
from bot.incidents.service import file_report
from bot.people.view import TgUser
from tests.support import callback_data as cd
from tests.support.bot import Harness
from tests.support.events import draft as lecture
from tests.support.incidents import draft
from tests.support.outsiders import counts
from tests.support.world import MEMBER, OFFICE, SECRETARY, tap, world

MEI = TgUser(MEMBER, "Mei", username="mei", language_code="en")
SHU, OU = TgUser(SECRETARY, "Shu", username="shu"), TgUser(OFFICE, "Ou", username="ou")


async def outcome_of(h: Harness, event_id: int) -> str | None:
    async with h.deps.db.read() as session:
        return await session.scalar(select(EventRequest.outcome).where(EventRequest.id == event_id))


async def cleared(h: Harness, days: int) -> int:
    sent = await events.submit(h.deps, MEI, lecture(days))
    await decisions.decide(h.deps, SHU, sent.id, 1, EventAction.APPROVE)
    await after.record_filing(h.deps, OU, sent.id, 1, "2026-11-24", "宣备〔2026〕12号")
    return sent.id


async def test_a_forged_held_as_planned_records_nothing_the_event_does_not_allow(
    harness: Harness,
) -> None:
    """The organiser forges "held as planned" (and its siblings) on a withdrawn request dated
    next year, on one still waiting for a decision and on a cleared one not yet held: each is
    refused with why, and no outcome is recorded."""
    s, h = harness.standin, harness
    users = await world(h)
    withdrawn = await events.submit(h.deps, MEI, lecture(days=300))  # next year, within the window
    await events.withdraw(h.deps, MEI, withdrawn.id)
    pending = await events.submit(h.deps, MEI, lecture(days=20))
    future = await cleared(h, days=30)
    await s.quiet()
    place = s.bot_messages(MEMBER)[-1]
    cases = {
        withdrawn.id: "EVT-2026-0001 was withdrawn by the requester.",
        pending.id: "EVT-2026-0002 was not cleared for holding, so how it went cannot be recorded.",
        future: "EVT-2026-0003 has not taken place yet, so how it went cannot be recorded.",
    }
    for event_id, refusal in cases.items():
        for action in ("oh", "on", "oi"):
            before = await counts(h)
            answer = await tap(s, users[MEMBER], place, data=cd.encode("ev", action, event_id, 1))
            assert answer == (refusal, True), (event_id, action)
            await s.quiet()
            assert await counts(h) == before
            assert await outcome_of(h, event_id) is None
    # Once it has been held, the same press is what it always was.
    harness.clock.advance(timedelta(days=31))
    await tap(s, users[MEMBER], place, data=cd.encode("ev", "oh", future, 1))
    assert place.text == "Thank you. How EVT-2026-0003 went is recorded."
    assert await outcome_of(h, future) == "held"


async def test_forged_decisions_filings_cancellations_and_pull_ins_are_refused(
    harness: Harness,
) -> None:
    """Approving a request whose date has passed, filing with a forged version or a withdrawn
    request, cancelling an event that took place, pulling in nobody, containing a closed
    report: refused at the press, before any question, and nothing changes."""
    s, h = harness.standin, harness
    users = await world(h)
    late = await events.submit(h.deps, MEI, lecture(days=2))
    withdrawn = await events.submit(h.deps, MEI, lecture(days=20))
    await events.withdraw(h.deps, MEI, withdrawn.id)
    held = await cleared(h, days=1)
    approved = await events.submit(h.deps, MEI, lecture(days=40))
    await decisions.decide(h.deps, SHU, approved.id, 1, EventAction.APPROVE)
    incident = await file_report(h.deps, MEI, draft())
    await actions.close(h.deps, SHU, incident.incident_id, "已处置完毕")
    await s.quiet()
    s.mark_read(SECRETARY, OFFICE)
    harness.clock.advance(timedelta(days=3))
    presses = [
        (
            SECRETARY,
            cd.encode("ev", "ap", late.id, 1),
            "EVT-2026-0001 was planned for a moment that has passed; it can no longer be approved.",
        ),
        (OFFICE, cd.encode("ev", "fi", approved.id, 7), "This button is no longer valid."),
        (
            OFFICE,
            cd.encode("ev", "fi", withdrawn.id, 1),
            "EVT-2026-0002 was withdrawn by the requester.",
        ),
        (
            OFFICE,
            cd.encode("ev", "cx", held, 1),
            "EVT-2026-0003 has already taken place; it can no longer be cancelled.",
        ),
        (
            SECRETARY,
            cd.encode("in", "pp", incident.incident_id, 99999),
            "INC-2026-0001 is already closed.",
        ),
        (
            SECRETARY,
            cd.encode("in", "ct", incident.incident_id),
            "INC-2026-0001 is already closed.",
        ),
    ]
    for uid, data, refusal in presses:
        before = await counts(h)
        answer = await tap(s, users[uid], s.bot_messages(uid)[-1], data=data)
        assert answer == (refusal, True), data
        await s.quiet()
        assert await counts(h) == before, data
        assert s.unread(uid) == [], data  # no question was asked
    # A pull-in of somebody the bot does not know, on an open report, is refused too.
    open_one = await file_report(h.deps, MEI, draft())
    await s.quiet()
    before = await counts(h)
    answer = await tap(
        s,
        users[SECRETARY],
        s.bot_messages(SECRETARY)[-1],
        data=cd.encode("in", "pp", open_one.incident_id, 99999),
    )
    assert answer == ("This person is not known to the bot.", True)
    assert await counts(h) == before
