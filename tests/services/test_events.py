"""Event requests on a real database: approval in advance, filing, races and history (R6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.buttons import EventAction
from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed
from bot.events import after, decisions
from bot.events import resubmit as resubmission
from bot.events import service as events
from bot.events.models import EventRequest, EventVersion
from bot.outbox.models import Semantics
from bot.people import committees, grants
from bot.people import service as people
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.view import TgUser
from tests.support.events import draft, messages, staff
from tests.support.staff import ADMIN, DEPUTY, HEAD, MEMBER, OFFICE, SECRETARY


async def test_direct_approval_then_filing_clears_it(deps: Deps) -> None:
    await staff(deps)
    sent = await events.submit(deps, MEMBER, draft())
    assert (sent.ref, sent.status, sent.short_lead) == ("EVT-2026-0001", "pending", False)
    cards = await messages(deps, "event.decide")
    assert sorted(c.chat_id for c in cards) == [DEPUTY.id, SECRETARY.id]  # L2: deputy may too
    assert all(len(b["data"].encode()) <= 64 for row in cards[0].buttons or [] for b in row)
    approved = await decisions.decide(deps, SECRETARY, sent.id, 1, EventAction.APPROVE)
    assert approved.status == "approved"
    told = await messages(deps, "event.approve")
    assert sorted(t.chat_id for t in told) == [MEMBER.id, OFFICE.id]  # office in copy
    assert all(t.semantics == Semantics.AT_MOST_ONCE for t in told)
    [filing_card] = await messages(deps, "event.file")
    assert filing_card.chat_id == OFFICE.id
    with pytest.raises(NotAllowed):
        await after.record_filing(deps, MEMBER, sent.id, 1, "2026-11-24", "宣备〔2026〕12号")
    cleared = await after.record_filing(deps, OFFICE, sent.id, 1, "2026-11-24", "宣备〔2026〕12号")
    assert cleared.status == "cleared"
    with pytest.raises(AlreadyDone):
        await after.record_filing(deps, OFFICE, sent.id, 1, "2026-11-24", "again")


async def test_two_approvers_at_once_exactly_one_decision(deps: Deps) -> None:
    await staff(deps)
    sent = await events.submit(deps, MEMBER, draft())
    await decisions.decide(deps, DEPUTY, sent.id, 1, EventAction.REJECT, "时间冲突")
    with pytest.raises(AlreadyDone) as err:
        await decisions.decide(deps, SECRETARY, sent.id, 1, EventAction.APPROVE)
    assert err.value.params == {"ref": "EVT-2026-0001", "name": "Dai"}
    async with deps.db.read() as s:
        event = await s.get(EventRequest, sent.id)
    assert event is not None and event.status == "rejected" and event.decision_note == "时间冲突"


async def test_changes_requested_resubmitted_and_the_old_card_is_dead(deps: Deps) -> None:
    await staff(deps)
    sent = await events.submit(deps, MEMBER, draft())
    await decisions.decide(
        deps, SECRETARY, sent.id, 1, EventAction.REQUEST_CHANGES, "请补充报告人简历"
    )
    with pytest.raises(NotAllowed):
        await resubmission.resubmit(deps, DEPUTY, sent.id, draft())
    again = await resubmission.resubmit(deps, MEMBER, sent.id, draft(title="修改后的标题"))
    assert again.status == "pending"
    with pytest.raises(AlreadyDone, match="earlier version"):  # the card of version 1
        await decisions.decide(deps, SECRETARY, sent.id, 1, EventAction.APPROVE)
    await decisions.decide(deps, SECRETARY, sent.id, 2, EventAction.APPROVE)
    async with deps.db.read() as s:
        versions = list(await s.scalars(select(EventVersion.snapshot).order_by(EventVersion.id)))
    assert [v["title"] for v in versions] == ["<b>新时代</b>理论宣讲报告会", "修改后的标题"]


async def test_committee_members_requests_go_to_their_head_first(deps: Deps) -> None:
    await staff(deps)
    head = (await people.start(deps, HEAD)).person
    mei = await people.identify(deps, MEMBER, private=True)
    cid, _ = await committees.create_committee(deps, ADMIN, "教科文卫委")
    await grants.change_role(
        deps, ADMIN, person_id=head.id, role=Role.COMMITTEE_HEAD, grant=True, committee_id=cid
    )
    await committees.set_committee(deps, ADMIN, person_id=mei.id, committee_id=cid)
    sent = await events.submit(deps, MEMBER, draft())
    assert sent.status == "in_review"
    [card] = await messages(deps, "event.review")
    assert card.chat_id == HEAD.id
    with pytest.raises(InvalidInput, match="still with the committee head"):
        await decisions.decide(deps, SECRETARY, sent.id, 1, EventAction.APPROVE)  # not pending yet
    with pytest.raises(NotAllowed):
        await decisions.review(deps, OFFICE, sent.id, 1, forward=True)
    await decisions.review(deps, HEAD, sent.id, 1, forward=True)
    assert len(await messages(deps, "event.decide")) == 2
    await decisions.decide(deps, SECRETARY, sent.id, 1, EventAction.APPROVE)


async def test_withdraw_before_decision_only(deps: Deps) -> None:
    await staff(deps)
    first = await events.submit(deps, MEMBER, draft())
    await events.withdraw(deps, MEMBER, first.id)
    with pytest.raises(AlreadyDone) as err:
        await decisions.decide(deps, SECRETARY, first.id, 1, EventAction.APPROVE)
    assert err.value.key == "{ref} was withdrawn by the requester."
    second = await events.submit(deps, MEMBER, draft())
    assert second.ref == "EVT-2026-0002"
    await decisions.decide(deps, SECRETARY, second.id, 1, EventAction.APPROVE)
    with pytest.raises(InvalidInput) as err2:
        await events.withdraw(deps, MEMBER, second.id)
    assert err2.value.key == "{ref} is already approved. Ask the office to cancel it."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"audience": 0}, "Please give the expected audience as a number from 1 to {max}."),
        ({"speakers": []}, "An event needs between 1 and {max} speakers."),
        (
            {"speakers": [{"name": "x", "affiliation": "y"}] * 21},
            "An event needs between 1 and {max} speakers.",
        ),
        ({"speakers_vetted": False}, "Please confirm that the speakers were vetted."),
        (
            {"title": "长" * 121},
            "“{field}” is too long: {length} characters, at most {limit} fit. Please shorten it.",
        ),
        (
            {"venue": "室" * 301},
            "“{field}” is too long: {length} characters, at most {limit} fit. Please shorten it.",
        ),
        (
            {"outline": "\x00\u200b"},
            "“{field}” cannot be empty: invisible and control characters are not kept. Please "
            "type some text.",
        ),
        ({"event_type": "party"}, "Please choose the type of event."),
    ],
)
async def test_bad_requests_are_refused(
    deps: Deps, changes: dict[str, object], message: str
) -> None:
    await staff(deps)
    with pytest.raises(InvalidInput) as err:
        await events.submit(deps, MEMBER, draft(**changes))
    assert err.value.key == message


async def test_short_lead_time_is_allowed_with_a_warning_and_past_dates_refused(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    assert (await events.submit(deps, MEMBER, draft(days=3))).short_lead
    with pytest.raises(InvalidInput):
        await events.submit(deps, MEMBER, draft(days=-1))


async def test_reminders_filing_deadline_eve_and_lapse(deps: Deps, clock: MovableClock) -> None:
    from bot.events.sweep import sweep

    await staff(deps)
    # Tuesday 10:00 Shanghai; the lecture is on Thursday 3 December, 10:00.
    pending = await events.submit(deps, MEMBER, draft(days=9))
    approved = await events.submit(deps, MEMBER, draft(days=9, title="已批准的讲座"))
    await decisions.decide(deps, SECRETARY, approved.id, 1, EventAction.APPROVE)
    assert await sweep(deps) == 0  # submitted today: nothing to remind yet

    clock.advance(timedelta(days=1))  # Wednesday 10:00: the morning reminder, once
    await sweep(deps)
    await sweep(deps)
    reminders = await messages(deps, "event.decision_reminder")
    assert sorted(m.chat_id for m in reminders) == [DEPUTY.id, SECRETARY.id]

    clock.advance(timedelta(days=1))  # Thursday: two working days → the deputy (L2)
    await sweep(deps)
    [overdue] = await messages(deps, "event.decision_overdue")
    assert overdue.chat_id == DEPUTY.id

    clock.advance(timedelta(days=4, hours=1))  # Monday 30 Nov 11:00: filing deadline (3 days)
    await sweep(deps)
    [due] = await messages(deps, "event.filing_due")
    assert due.chat_id == OFFICE.id and due.params["ref"] == approved.ref
    clock.advance(timedelta(days=1))  # still not filed a day later: the deputy
    await sweep(deps)
    assert [m.chat_id for m in await messages(deps, "event.filing_overdue")] == [DEPUTY.id]

    await after.record_filing(deps, OFFICE, approved.id, 1, "2026-12-01", "宣备12号")
    clock.advance(timedelta(days=1, hours=1))  # Wednesday 2 Dec 12:00: the day before
    await sweep(deps)
    [eve] = await messages(deps, "event.eve")
    assert eve.chat_id == MEMBER.id and eve.params["ref"] == approved.ref

    clock.advance(timedelta(days=1))  # Thursday 3 Dec: the pending one lapses (R6), once
    await sweep(deps)
    await sweep(deps)
    lapses = await messages(deps, "event.lapse")
    assert {m.params["ref"] for m in lapses} == {pending.ref}
    assert sorted(m.chat_id for m in lapses) == [DEPUTY.id, SECRETARY.id]


async def test_more_requests_than_one_sweep_takes_are_each_reminded_and_escalated_once(
    deps: Deps, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep takes BATCH requests at a time; those it has dealt with must not come back and
    hide the rest. Before, the pending query read the same first batch every sweep: the third
    request was never reminded nor sent to the deputy (R6, L2)."""
    from bot.events import sweep as event_sweep

    monkeypatch.setattr(event_sweep, "BATCH", 2)
    await staff(deps)
    # Tuesday 24 Nov 10:00. Three wait for a decision; three approved, on Sunday 29th, unfiled.
    pending = [await events.submit(deps, MEMBER, draft(20, title=f"讲座{i}")) for i in "一二三"]
    approved = [await events.submit(deps, MEMBER, draft(5, title=f"报告会{i}")) for i in "一二三"]
    for event in approved:
        await decisions.decide(deps, SECRETARY, event.id, 1, EventAction.APPROVE)

    async def sent(template: str, to: TgUser) -> list[str]:
        await event_sweep.sweep(deps)
        await event_sweep.sweep(deps)
        await event_sweep.sweep(deps)
        return sorted(
            str(m.params["ref"]) for m in await messages(deps, template) if m.chat_id == to.id
        )

    refs = sorted(e.ref for e in pending)
    clock.advance(timedelta(days=1))  # Wednesday 10:00: the morning reminder
    assert await sent("event.decision_reminder", SECRETARY) == refs
    clock.advance(timedelta(days=1))  # Thursday: two working days pending → the deputy (L2);
    assert await sent("event.decision_overdue", DEPUTY) == refs
    assert await sent("event.decision_reminder", SECRETARY) == sorted(refs * 2)  # and again
    # the filing deadline (three days before) has come for the approved ones
    assert await sent("event.filing_due", OFFICE) == sorted(e.ref for e in approved)
    clock.advance(timedelta(days=1))  # Friday: still not filed → the deputy
    assert await sent("event.filing_overdue", DEPUTY) == sorted(e.ref for e in approved)
    assert await sent("event.decision_overdue", DEPUTY) == refs  # once each, not again


async def test_acting_approver_decides_only_within_the_named_days(
    deps: Deps, clock: MovableClock
) -> None:
    from bot.events.acting import name_acting

    await staff(deps)
    ou = await people.identify(deps, OFFICE, private=True)
    with pytest.raises(NotAllowed):
        await name_acting(
            deps, DEPUTY, person_id=ou.id, first_day="2026-11-25", last_day="2026-11-26"
        )
    with pytest.raises(InvalidInput):
        await name_acting(
            deps, SECRETARY, person_id=ou.id, first_day="2026-11-26", last_day="2026-11-25"
        )
    await name_acting(
        deps, SECRETARY, person_id=ou.id, first_day="2026-11-25", last_day="2026-11-26"
    )
    first = await events.submit(deps, MEMBER, draft())
    with pytest.raises(NotAllowed):  # today is the 24th: not yet
        await decisions.decide(deps, OFFICE, first.id, 1, EventAction.APPROVE)
    clock.advance(timedelta(days=1))
    second = await events.submit(deps, MEMBER, draft(title="第二场"))
    decide_cards = await messages(deps, "event.decide")
    assert OFFICE.id in [c.chat_id for c in decide_cards[-3:]]  # the acting approver is asked
    assert (
        await decisions.decide(deps, OFFICE, second.id, 1, EventAction.APPROVE)
    ).status == "approved"
    clock.advance(timedelta(days=2))
    with pytest.raises(NotAllowed):  # the 27th: the range is over
        await decisions.decide(deps, OFFICE, first.id, 1, EventAction.APPROVE)


async def test_resubmission_keeps_a_confirmed_organiser_and_tells_a_replaced_one(
    deps: Deps,
) -> None:
    """R6: the organiser who confirmed stays responsible across versions; naming another
    asks them to confirm and tells the one replaced."""
    await staff(deps)
    async with deps.db.read() as s:
        ou, dai = [
            await s.scalar(select(Person).where(Person.telegram_id == tg.id))
            for tg in (OFFICE, DEPUTY)
        ]
    assert ou is not None and dai is not None
    sent = await events.submit(deps, MEMBER, draft(organiser_id=ou.id))
    await events.confirm_organiser(deps, OFFICE, sent.id, 1, accept=True)
    await decisions.decide(
        deps, SECRETARY, sent.id, 1, EventAction.REQUEST_CHANGES, "请补充主讲人简历"
    )
    kept = await resubmission.for_resubmission(deps, MEMBER, sent.id)
    assert (kept["organiser_id"], kept["organiser_name"]) == (ou.id, "Ou")
    again = await resubmission.resubmit(deps, MEMBER, sent.id, draft(organiser_id=ou.id))
    assert again.status == "pending"  # not asked twice
    async with deps.db.read() as s:
        event = await s.get(EventRequest, sent.id)
    assert event is not None and event.organiser_id == ou.id
    assert [m.chat_id for m in await messages(deps, "event.organiser_kept")] == [OFFICE.id]

    await decisions.decide(deps, SECRETARY, sent.id, 2, EventAction.REQUEST_CHANGES, "请更换组织者")
    moved = await resubmission.resubmit(deps, MEMBER, sent.id, draft(organiser_id=dai.id))
    assert moved.status == "organiser"
    assert [m.chat_id for m in await messages(deps, "event.organiser_replaced")] == [OFFICE.id]
    asks = await messages(deps, "event.organiser")
    assert asks[-1].chat_id == DEPUTY.id


async def test_the_filing_date_must_be_past_and_before_the_event(deps: Deps) -> None:
    await staff(deps)
    sent = await events.submit(deps, MEMBER, draft(days=10))  # December 4
    await decisions.decide(deps, SECRETARY, sent.id, 1, EventAction.APPROVE)
    for day in ("2026-11-30", "2026-11-23", "2026-13-01"):  # future, before the request, none
        with pytest.raises(InvalidInput):
            await after.record_filing(deps, OFFICE, sent.id, 1, day, "宣备〔2026〕12号")
    deps.clock.advance(timedelta(days=12))  # December 6: the event is past
    with pytest.raises(InvalidInput, match="after the event"):
        await after.record_filing(deps, OFFICE, sent.id, 1, "2026-12-05", "宣备〔2026〕12号")
    cleared = await after.record_filing(deps, OFFICE, sent.id, 1, "2026-12-03", "宣备〔2026〕12号")
    assert cleared.status == "cleared"
    async with deps.db.read() as s:
        event = await s.get(EventRequest, sent.id)
    assert event is not None and event.filing_date == "2026-12-03"
