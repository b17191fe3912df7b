"""Nobody decides their own case (R6, L2) on a real database (SQLite and PostgreSQL): each
chain — secretary, deputy, acting approver, committee head, a named organiser — routes a
request past the people it belongs to, says why on the card, audits the rule, and refuses
their own decision; /acting lists and revokes appointments; the secretary's own
acknowledgement (R2) is hers alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.buttons import EventAction
from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed
from bot.events import decisions
from bot.events import service as events
from bot.events.acting import appointments, name_acting, revoke_acting, tell_appointees
from bot.events.sweep import sweep
from bot.incidents import actions
from bot.incidents.models import Incident
from bot.incidents.service import file_report
from bot.people import committees, grants
from bot.people import service as people
from bot.people.roles import Role
from bot.people.view import TgUser
from tests.support.events import draft, messages, staff
from tests.support.incidents import draft as incident
from tests.support.staff import ADMIN, DEPUTY, HEAD, MEMBER, OFFICE, SECRETARY

OWN = (
    "You made or organise {ref}, so another approver decides it: nobody decides their own case "
    "(R6)."
)


async def own_case(deps: Deps) -> list[AuditEntry]:
    async with deps.db.read() as s:
        rows = await s.scalars(select(AuditEntry).where(AuditEntry.action == "event.own_case"))
        return list(rows)


async def pid(deps: Deps, tg: TgUser) -> int:
    return (await people.identify(deps, tg, private=True)).id


async def decide_cards(deps: Deps, ref: str) -> list[int]:
    return sorted(m.chat_id for m in await messages(deps, "event.decide") if m.params["ref"] == ref)


async def refused_own(deps: Deps, tg: TgUser, event_id: int, ref: str) -> None:
    for decision in (EventAction.APPROVE, EventAction.REJECT, EventAction.REQUEST_CHANGES):
        with pytest.raises(NotAllowed) as refused:
            await decisions.decide(deps, tg, event_id, 1, decision, "理由")
        assert refused.value.key == OWN and refused.value.params == {"ref": ref}
    with pytest.raises(NotAllowed):
        await decisions.check_can_act(deps, tg, event_id, 1, review=False)


async def test_the_secretarys_request_goes_to_the_deputy(deps: Deps) -> None:
    await staff(deps)
    sent = await events.submit(deps, SECRETARY, draft())
    assert await decide_cards(deps, sent.ref) == [DEPUTY.id]
    (card,) = await messages(deps, "event.decide")
    assert card.params["own_case"] == ["Shu"]  # the card says why it came to the deputy
    (entry,) = await own_case(deps)
    assert entry.clause == "R6" and entry.data["rule"] == "nobody decides their own case"
    assert entry.data["passed"] == [await pid(deps, SECRETARY)]
    assert entry.data["to"] == [await pid(deps, DEPUTY)]
    await refused_own(deps, SECRETARY, sent.id, sent.ref)
    assert (
        await decisions.decide(deps, DEPUTY, sent.id, 1, EventAction.APPROVE)
    ).status == "approved"


async def test_the_deputys_request_goes_to_the_secretary(deps: Deps) -> None:
    await staff(deps)
    sent = await events.submit(deps, DEPUTY, draft())
    assert await decide_cards(deps, sent.ref) == [SECRETARY.id]
    await refused_own(deps, DEPUTY, sent.id, sent.ref)
    assert (
        await decisions.decide(deps, SECRETARY, sent.id, 1, EventAction.APPROVE)
    ).status == "approved"


async def test_an_acting_approvers_request_goes_to_the_others_and_theirs_to_the_acting(
    deps: Deps,
) -> None:
    await staff(deps)
    await name_acting(
        deps,
        SECRETARY,
        person_id=await pid(deps, OFFICE),
        first_day="2026-11-24",
        last_day="2026-11-30",
    )
    own = await events.submit(deps, OFFICE, draft())
    assert await decide_cards(deps, own.ref) == sorted([SECRETARY.id, DEPUTY.id])
    await refused_own(deps, OFFICE, own.id, own.ref)
    # The secretary organises, the deputy requests: only the acting approver remains.
    shu = await pid(deps, SECRETARY)
    both = await events.submit(deps, DEPUTY, draft(title="第二场", organiser_id=shu))
    await events.confirm_organiser(deps, SECRETARY, both.id, 1, accept=True)
    assert await decide_cards(deps, both.ref) == [OFFICE.id]
    assert (await own_case(deps))[-1].data["passed"] == sorted([shu, await pid(deps, DEPUTY)])
    await refused_own(deps, SECRETARY, both.id, both.ref)  # the organiser decides nothing
    assert (
        await decisions.decide(deps, OFFICE, both.id, 1, EventAction.APPROVE)
    ).status == "approved"


async def test_a_request_the_secretary_organises_for_a_member_goes_past_her(deps: Deps) -> None:
    await staff(deps)
    sent = await events.submit(deps, MEMBER, draft(organiser_id=await pid(deps, SECRETARY)))
    await events.confirm_organiser(deps, SECRETARY, sent.id, 1, accept=True)
    assert await decide_cards(deps, sent.ref) == [DEPUTY.id]
    await refused_own(deps, SECRETARY, sent.id, sent.ref)


async def test_nobody_left_in_the_chain_tells_the_administrators(deps: Deps) -> None:
    await staff(deps)
    no_deputy = deps.policy.events.model_copy(update={"deputy_may_approve": False})
    deps.policy = deps.policy.model_copy(update={"events": no_deputy})
    sent = await events.submit(deps, SECRETARY, draft())
    assert await decide_cards(deps, sent.ref) == [ADMIN.id]
    assert (await own_case(deps))[0].data["to"] == [await pid(deps, ADMIN)]


async def test_a_committee_heads_own_request_skips_their_review(deps: Deps) -> None:
    await staff(deps)
    head = (await people.start(deps, HEAD)).person
    cid, _ = await committees.create_committee(deps, ADMIN, "教科文卫委")
    await grants.change_role(
        deps, ADMIN, person_id=head.id, role=Role.COMMITTEE_HEAD, grant=True, committee_id=cid
    )
    await committees.set_committee(deps, ADMIN, person_id=head.id, committee_id=cid)
    sent = await events.submit(deps, HEAD, draft())
    assert sent.status == "pending"  # straight to the approvers, not to their own review
    assert await messages(deps, "event.review") == []
    assert await decide_cards(deps, sent.ref) == sorted([SECRETARY.id, DEPUTY.id])
    (card, _) = await messages(deps, "event.decide")
    assert card.params["own_case"] == ["Han"]
    (entry,) = await own_case(deps)
    assert entry.data["passed"] == [head.id]
    with pytest.raises(NotAllowed):  # a forged review press
        await decisions.review(deps, HEAD, sent.id, 1, forward=True)


async def test_a_committee_head_does_not_review_what_they_organise(deps: Deps) -> None:
    await staff(deps)
    head = (await people.start(deps, HEAD)).person
    mei = await pid(deps, MEMBER)
    cid, _ = await committees.create_committee(deps, ADMIN, "教科文卫委")
    await grants.change_role(
        deps, ADMIN, person_id=head.id, role=Role.COMMITTEE_HEAD, grant=True, committee_id=cid
    )
    await committees.set_committee(deps, ADMIN, person_id=mei, committee_id=cid)
    sent = await events.submit(deps, MEMBER, draft(organiser_id=head.id))
    await events.confirm_organiser(deps, HEAD, sent.id, 1, accept=True)
    assert await messages(deps, "event.review") == []
    assert await decide_cards(deps, sent.ref) == sorted([SECRETARY.id, DEPUTY.id])


async def test_reminders_and_the_deputys_escalation_skip_their_own(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    sent = await events.submit(deps, DEPUTY, draft(days=20))
    clock.advance(timedelta(days=1))
    await sweep(deps)
    reminders = await messages(deps, "event.decision_reminder")
    assert [m.chat_id for m in reminders] == [SECRETARY.id]
    clock.advance(timedelta(days=1))
    await sweep(deps)
    assert await messages(deps, "event.decision_overdue") == []  # not to the deputy: theirs
    assert sent.ref


async def test_nobody_is_named_acting_approver_for_themselves(deps: Deps) -> None:
    await staff(deps)
    with pytest.raises(InvalidInput):
        await name_acting(
            deps,
            SECRETARY,
            person_id=await pid(deps, SECRETARY),
            first_day="2026-11-24",
            last_day="2026-11-30",
        )
    assert await appointments(deps, SECRETARY) == []


async def test_acting_lists_revokes_once_and_tells_the_appointee(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    ou, dai = await pid(deps, OFFICE), await pid(deps, DEPUTY)
    await name_acting(deps, SECRETARY, person_id=ou, first_day="2026-11-24", last_day="2026-11-25")
    await name_acting(deps, SECRETARY, person_id=dai, first_day="2026-11-27", last_day="2026-11-30")
    listed = await appointments(deps, SECRETARY)
    assert [(a.name, a.current) for a in listed] == [("Ou", True), ("Dai", False)]
    with pytest.raises(NotAllowed):
        await appointments(deps, DEPUTY)
    with pytest.raises(NotAllowed):
        await revoke_acting(deps, OFFICE, listed[0].id)
    await revoke_acting(deps, SECRETARY, listed[0].id)
    with pytest.raises(AlreadyDone):
        await revoke_acting(deps, SECRETARY, listed[0].id)
    async with deps.db.read() as s:
        (entry,) = await s.scalars(
            select(AuditEntry).where(AuditEntry.action == "event.acting_revoked")
        )
    assert entry.subject_id == ou and entry.clause == "R6"
    assert [m.chat_id for m in await messages(deps, "event.acting_ended")] == [OFFICE.id]
    sent = await events.submit(deps, MEMBER, draft())
    assert OFFICE.id not in await decide_cards(deps, sent.ref)  # revoked: not asked
    with pytest.raises(NotAllowed):
        await decisions.decide(deps, OFFICE, sent.id, 1, EventAction.APPROVE)
    assert [a.name for a in await appointments(deps, SECRETARY)] == ["Dai"]
    # The deputy's appointment starts on the 27th and ends on the 30th: told each once.
    clock.advance(timedelta(days=3))
    await sweep(deps)
    await sweep(deps)
    assert [m.chat_id for m in await messages(deps, "event.acting_starts")] == [DEPUTY.id]
    clock.advance(timedelta(days=4))
    await sweep(deps)
    async with deps.db.transaction() as session:
        assert await tell_appointees(session, deps, clock.now()) == 0
    assert [m.chat_id for m in await messages(deps, "event.acting_over")] == [DEPUTY.id]
    assert await appointments(deps, SECRETARY) == []


async def test_an_acting_approver_cannot_give_the_secretarys_own_acknowledgement(
    deps: Deps,
) -> None:
    """R2: major incidents need the secretary's own acknowledgement; "personally" means the
    secretary, not whoever decides on events in her place."""
    await staff(deps)
    await name_acting(
        deps,
        SECRETARY,
        person_id=await pid(deps, DEPUTY),
        first_day="2026-11-24",
        last_day="2026-11-30",
    )
    filed = await file_report(deps, MEMBER, incident())
    await actions.acknowledge(deps, DEPUTY, filed.incident_id)
    async with deps.db.read() as s:
        row = await s.get(Incident, filed.incident_id)
    assert row is not None and row.needs_secretary_ack and row.secretary_ack_at is None
    await actions.acknowledge(deps, SECRETARY, filed.incident_id)
    async with deps.db.read() as s:
        row = await s.get(Incident, filed.incident_id)
    assert row is not None and row.secretary_ack_at is not None
