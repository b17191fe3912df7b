"""Revocation and deactivation on a real database: authority ends with what it came from, and
the open work the person held moves to someone who can act (R4, L1, L2, L3, L5, R6)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.buttons import EventAction
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed
from bot.events import decisions
from bot.events import service as events
from bot.events.acting import name_acting
from bot.events.models import ActingApprover, EventRequest
from bot.incidents import actions, pulling, queries
from bot.incidents.models import IncidentHandler
from bot.incidents.service import file_report
from bot.people import committees, grants, leaving
from bot.people import service as people
from bot.people.authority import NOT_A_HANDLER, NOT_A_MEMBER
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.view import TgUser
from bot.policy.schema import Kind, Severity
from tests.support.events import draft as lecture
from tests.support.incidents import draft, notices, staff
from tests.support.staff import ADMIN, DEPUTY, EMERGENCY, MEMBER, OFFICE, SECRETARY

HEAD, PIA = TgUser(6, "Han"), TgUser(7, "Pia")


async def pid(deps: Deps, tg: TgUser) -> int:
    return (await people.start(deps, tg)).person.id


async def assignments(deps: Deps, incident_id: int) -> dict[int, tuple[str, str | None]]:
    """Telegram id → (why the assignment was made, why it ended)."""
    async with deps.db.read() as s:
        rows = await s.execute(
            select(Person.telegram_id, IncidentHandler.reason, IncidentHandler.ended_reason)
            .join(Person, Person.id == IncidentHandler.person_id)
            .where(IncidentHandler.incident_id == incident_id)
        )
        return {tg: (reason, ended) for tg, reason, ended in rows}


async def audit(deps: Deps, action: str) -> int:
    async with deps.db.read() as s:
        return int(
            await s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))
            or 0
        )


async def test_a_revoked_deputy_keeps_no_power_and_his_incidents_go_to_the_office(
    deps: Deps,
) -> None:
    """Routed by his role, the deputy's assignment ends with the role; the office takes the
    open incident over and is told; a pull-in (not from the role) stands (L2, L5)."""
    await staff(deps)
    open_one = await file_report(deps, MEMBER, draft())
    closed = await file_report(deps, MEMBER, draft())
    await actions.close(deps, SECRETARY, closed.incident_id, "已处置")
    pulled = await file_report(deps, MEMBER, draft(Kind.INFORMATION, None))  # the office's
    await pulling.pull_in(deps, OFFICE, pulled.incident_id, await pid(deps, DEPUTY))
    await grants.change_role(
        deps, ADMIN, person_id=await pid(deps, DEPUTY), role=Role.DEPUTY, grant=False
    )
    assert (await assignments(deps, open_one.incident_id))[DEPUTY.id] == ("routed", "role_revoked")
    assert (await assignments(deps, open_one.incident_id))[OFFICE.id] == ("handed_over", None)
    [card] = [c for c in await notices(deps, "incident.card") if c.params.get("handed_over_from")]
    assert (card.chat_id, card.params["handed_over_from"]) == (OFFICE.id, "Dai")
    assert OFFICE.id not in await assignments(deps, closed.incident_id)  # nothing to hand over
    for act in (actions.acknowledge, actions.contain, actions.check_may_act):
        with pytest.raises(NotAllowed) as err:
            await act(deps, DEPUTY, open_one.incident_id)
        assert err.value.key == NOT_A_HANDLER
    with pytest.raises(NotAllowed):
        await pulling.pull_in(deps, DEPUTY, open_one.incident_id, await pid(deps, PIA))
    assert [i.ref for i in await queries.pending_for(deps, DEPUTY)] == [pulled.ref]
    await actions.add_update(deps, DEPUTY, pulled.incident_id, "已核实")  # the pull-in stands
    await actions.acknowledge(deps, OFFICE, open_one.incident_id)  # the office can act


async def test_deactivating_a_handler_ends_roles_and_hands_every_incident_over(
    deps: Deps,
) -> None:
    """Eli leaves: his role ends (audited as a role change), the incidents he handles, routed
    or pulled in, go to the office (told), he can no longer act, report or be picked, and his
    name stays on the record (R4, L4, L5)."""
    await staff(deps)
    routed = await file_report(deps, MEMBER, draft())
    pulled = await file_report(deps, MEMBER, draft(Kind.INFORMATION, None))
    eli = await pid(deps, EMERGENCY)
    await pulling.pull_in(deps, OFFICE, pulled.incident_id, eli)
    revokes = await audit(deps, "role.revoke")
    left = await leaving.deactivate(deps, ADMIN, eli)
    assert (left.roles, left.incidents) == (1, 2)
    assert not left.person.active and left.person.roles == frozenset()
    assert await audit(deps, "role.revoke") == revokes + 1
    assert (await assignments(deps, routed.incident_id))[EMERGENCY.id][1] == "deactivated"
    assert (await assignments(deps, pulled.incident_id))[EMERGENCY.id][1] == "deactivated"
    told = [
        c.chat_id
        for c in await notices(deps, "incident.card")
        if c.params.get("handed_over_from") == "Eli"
    ]
    assert told == [OFFICE.id, OFFICE.id]  # both; the office is told even where it handles
    with pytest.raises(NotAllowed) as err:
        await actions.acknowledge(deps, EMERGENCY, routed.incident_id)
    assert err.value.key == NOT_A_HANDLER
    with pytest.raises(NotAllowed) as err:
        await file_report(deps, EMERGENCY, draft())
    assert err.value.key == NOT_A_MEMBER
    with pytest.raises(InvalidInput):
        await pulling.pull_in(deps, SECRETARY, routed.incident_id, eli)
    assert eli not in [
        p for p, _ in (await queries.candidates(deps, SECRETARY, routed.incident_id)).people
    ]
    with pytest.raises(InvalidInput):
        await grants.change_role(deps, ADMIN, person_id=eli, role=Role.OFFICE, grant=True)
    timeline = await queries.timeline_of(deps, SECRETARY, routed.incident_id)
    assert [e[1] for e in timeline.entries][-1] == "handed_over"
    assert timeline.entries[-1][4]["person"] == "Eli"  # the name stays on the record


async def test_deactivating_approvers_moves_their_decisions_down_the_chain(deps: Deps) -> None:
    """The secretary leaves: what waits for a decision goes to the deputy (L2), told; the
    deputy leaves too: to an acting approver; the acting approver leaves: the appointment
    ends and the admins decide (R6)."""
    await staff(deps)
    sent = await events.submit(deps, MEMBER, lecture())
    await name_acting(
        deps,
        SECRETARY,
        person_id=await pid(deps, PIA),
        first_day="2026-11-24",
        last_day="2026-12-31",
    )
    await leaving.deactivate(deps, ADMIN, await pid(deps, SECRETARY))
    moved = [c for c in await notices(deps, "event.decide") if c.params.get("handed_over_from")]
    assert sorted(c.chat_id for c in moved) == [DEPUTY.id, PIA.id]
    with pytest.raises(NotAllowed):
        await decisions.decide(deps, SECRETARY, sent.id, 1, EventAction.APPROVE)
    await leaving.deactivate(deps, ADMIN, await pid(deps, DEPUTY))
    await leaving.deactivate(deps, ADMIN, await pid(deps, PIA))
    async with deps.db.read() as s:
        acting = await s.scalar(select(ActingApprover))
    assert acting is not None and acting.revoked_at is not None
    last = [
        c.chat_id
        for c in await notices(deps, "event.decide")
        if c.params.get("handed_over_from") == "Pia"
    ]
    assert last == [ADMIN.id]
    with pytest.raises(NotAllowed):
        await decisions.decide(deps, PIA, sent.id, 1, EventAction.APPROVE)
    assert (
        await decisions.decide(deps, ADMIN, sent.id, 1, EventAction.APPROVE)
    ).status == "approved"


async def test_a_review_and_a_named_organiser_move_on_when_they_leave(deps: Deps) -> None:
    """A committee head leaves: a request waiting for her review goes to the approvers (L3);
    a named organiser leaves before confirming: the request returns to its requester (R6)."""
    await staff(deps)
    committee, _ = await committees.create_committee(deps, ADMIN, "教科文卫委")
    han, mei = await pid(deps, HEAD), await pid(deps, MEMBER)
    await grants.change_role(
        deps, ADMIN, person_id=han, role=Role.COMMITTEE_HEAD, grant=True, committee_id=committee
    )
    await committees.set_committee(deps, ADMIN, person_id=mei, committee_id=committee)
    in_review = await events.submit(deps, MEMBER, lecture())
    named = await events.submit(deps, MEMBER, lecture(organiser_id=await pid(deps, PIA)))
    assert (in_review.status, named.status) == ("in_review", "organiser")
    await leaving.deactivate(deps, ADMIN, han)
    await leaving.deactivate(deps, ADMIN, await pid(deps, PIA))
    async with deps.db.read() as s:
        statuses = {e.id: (e.status, e.organiser_id) for e in await s.scalars(select(EventRequest))}
    assert statuses[in_review.id] == ("pending", mei)
    assert statuses[named.id] == ("changes_requested", mei)
    moved = [
        c.chat_id
        for c in await notices(deps, "event.decide")
        if c.params.get("handed_over_from") == "Han"
    ]
    assert sorted(moved) == [DEPUTY.id, SECRETARY.id]
    [back] = await notices(deps, "event.organiser_left")
    assert (back.chat_id, back.params["name"]) == (MEMBER.id, "Pia")


async def test_deactivation_decides_once_and_reactivation_brings_back_a_plain_member(
    deps: Deps,
) -> None:
    await staff(deps)
    ou = await pid(deps, OFFICE)
    results = await asyncio.gather(
        leaving.deactivate(deps, ADMIN, ou),
        leaving.deactivate(deps, ADMIN, ou),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["AlreadyDone", "Left"]
    assert await audit(deps, "person.deactivated") == 1
    with pytest.raises(InvalidInput):  # oneself, and the configured admins, stay
        await leaving.deactivate(deps, ADMIN, await pid(deps, ADMIN))
    with pytest.raises(NotAllowed):
        await leaving.deactivate(deps, SECRETARY, await pid(deps, MEMBER))
    back = await leaving.reactivate(deps, ADMIN, ou)
    assert back.active and back.roles == frozenset()
    with pytest.raises(AlreadyDone):
        await leaving.reactivate(deps, ADMIN, ou)
    filed = await file_report(deps, OFFICE, draft(Kind.PUBLIC_OPINION, Severity.GENERAL))
    assert filed.handlers == 1  # the deputy: Ou holds no office role any more


async def test_a_revoked_deputy_passes_on_only_the_decisions_escalated_to_him(
    deps: Deps,
) -> None:
    """While there is a secretary, she decides what is pending; only what was escalated to
    the deputy (L2) waited for him, and goes back before her when his role ends (R6)."""
    await staff(deps)
    plain = await events.submit(deps, MEMBER, lecture())
    escalated = await events.submit(deps, MEMBER, lecture())
    async with deps.db.transaction() as s:
        row = await s.get(EventRequest, escalated.id)
        assert row is not None
        row.deputy_escalated_at = deps.clock.now()
    await grants.change_role(
        deps, ADMIN, person_id=await pid(deps, DEPUTY), role=Role.DEPUTY, grant=False
    )
    moved = [
        (c.chat_id, c.params["id"])
        for c in await notices(deps, "event.decide")
        if c.params.get("handed_over_from") == "Dai"
    ]
    assert moved == [(SECRETARY.id, escalated.id)]
    with pytest.raises(NotAllowed):
        await decisions.decide(deps, DEPUTY, plain.id, 1, EventAction.APPROVE)
