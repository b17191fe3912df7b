"""Incidents on a real database: routing, acknowledgement, P2 relay, escalation (L4, L2, R2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed
from bot.incidents import actions
from bot.incidents.models import Incident, TimelineEntry
from bot.incidents.service import file_report
from bot.incidents.sweep import sweep
from bot.people import committees, grants
from bot.people import service as people
from bot.people.roles import Role
from bot.people.view import TgUser
from bot.policy.schema import Kind, Severity
from tests.support.incidents import draft, notices, staff
from tests.support.staff import ADMIN, DEPUTY, EMERGENCY, MEMBER, OFFICE, SECRETARY


async def steps(deps: Deps, incident_id: int) -> list[str]:
    async with deps.db.read() as s:
        rows = await s.scalars(
            select(TimelineEntry.kind)
            .where(TimelineEntry.incident_id == incident_id)
            .order_by(TimelineEntry.id)
        )
        return list(rows)


async def test_major_network_incident_routes_to_emergency_deputy_and_secretary(
    deps: Deps,
) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft())
    assert filed.ref == "INC-2026-0001" and filed.handlers == 3
    cards = await notices(deps, "incident.card")
    assert sorted(c.chat_id for c in cards) == [EMERGENCY.id, DEPUTY.id, SECRETARY.id]
    assert cards[0].params["what"] == "<script>alert(1)</script> 网站首页被篡改"  # kept literally
    second = await file_report(deps, MEMBER, draft(Kind.INFORMATION, Severity.CRITICAL))
    assert second.ref == "INC-2026-0002"
    async with deps.db.read() as s:
        info = await s.get(Incident, second.incident_id)
    assert info is not None and info.severity is None  # information reports have no severity
    assert [c.chat_id for c in (await notices(deps, "incident.card"))[3:]] == [OFFICE.id]


async def test_acknowledge_once_and_second_is_told_who_was_first(deps: Deps) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft())
    await actions.acknowledge(deps, EMERGENCY, filed.incident_id)
    with pytest.raises(AlreadyDone) as err:
        await actions.acknowledge(deps, DEPUTY, filed.incident_id)
    assert err.value.params == {"name": "Eli", "ref": "INC-2026-0001"}
    await actions.acknowledge(deps, SECRETARY, filed.incident_id)  # R2: her own is recorded
    async with deps.db.read() as s:
        incident = await s.get(Incident, filed.incident_id)
    assert incident is not None and incident.secretary_ack_at is not None
    with pytest.raises(NotAllowed):
        await actions.acknowledge(deps, OFFICE, filed.incident_id)  # not a handler of this one
    assert await steps(deps, filed.incident_id) == [
        "filed",
        "routed",
        "acknowledged",
        "secretary_acknowledged",
    ]


async def test_updates_on_major_incidents_reach_the_leadership_at_once(deps: Deps) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft())
    await actions.add_update(deps, EMERGENCY, filed.incident_id, "已恢复首页")
    relays = await notices(deps, "incident.relay")
    assert sorted(r.chat_id for r in relays) == [DEPUTY.id, SECRETARY.id]
    assert relays[0].params["text"] == "已恢复首页"
    with pytest.raises(InvalidInput):
        await actions.add_update(deps, EMERGENCY, filed.incident_id, "x" * 2001)


async def test_nobody_acknowledges_then_deputy_then_secretary(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(severity=Severity.CRITICAL))
    assert await sweep(deps) == 0  # nothing due yet
    clock.advance(timedelta(minutes=16))  # critical: 15 minutes to acknowledge
    await sweep(deps)
    clock.advance(timedelta(minutes=16))
    await sweep(deps)
    assert [e.params["role"] for e in await notices(deps, "incident.escalated")][:1] == ["deputy"]
    kinds = await steps(deps, filed.incident_id)
    assert kinds.count("escalated") == 2
    assert await sweep(deps) == 0  # run again at the same moment: nothing doubles
    clock.advance(timedelta(minutes=16))
    await sweep(deps)
    assert (await steps(deps, filed.incident_id))[-1] == "reminded"


async def test_secretary_is_reminded_until_she_acknowledges(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft())
    await actions.acknowledge(deps, EMERGENCY, filed.incident_id)
    clock.advance(timedelta(minutes=31))
    await sweep(deps)
    await sweep(deps)
    assert len(await notices(deps, "incident.secretary_reminder")) == 1
    await actions.acknowledge(deps, SECRETARY, filed.incident_id)
    clock.advance(timedelta(minutes=31))
    await sweep(deps)
    assert len(await notices(deps, "incident.secretary_reminder")) == 1


async def test_closed_incident_refuses_further_actions(deps: Deps) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(Kind.PUBLIC_OPINION, Severity.GENERAL))
    await actions.acknowledge(deps, OFFICE, filed.incident_id)
    await actions.contain(deps, OFFICE, filed.incident_id)
    await actions.close(deps, OFFICE, filed.incident_id, "已处置完毕")
    with pytest.raises(AlreadyDone) as err:
        await actions.add_update(deps, OFFICE, filed.incident_id, "late")
    assert err.value.key == "{ref} is already closed."
    [closed] = await notices(deps, "incident.closed")
    assert closed.chat_id == MEMBER.id and closed.params["summary"] == "已处置完毕"


async def test_general_incident_deadline_counts_working_hours(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    clock.set(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))  # Friday 16:00 in Shanghai
    filed = await file_report(deps, MEMBER, draft(Kind.PUBLIC_OPINION, Severity.GENERAL))
    async with deps.db.read() as s:
        incident = await s.get(Incident, filed.incident_id)
    assert incident is not None
    # 1.5 h on Friday, 2.5 h on Monday from 09:00: due Monday 11:30 Shanghai.
    assert incident.ack_due_at == datetime(2026, 11, 30, 3, 30, tzinfo=UTC)


async def test_missed_update_reminds_the_handler_then_tells_the_leadership(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft())
    await actions.acknowledge(deps, EMERGENCY, filed.incident_id)
    clock.advance(timedelta(minutes=121))  # P2: an update at least every 2 hours
    await sweep(deps)
    [reminder] = await notices(deps, "incident.update_reminder")
    assert reminder.chat_id == EMERGENCY.id
    clock.advance(timedelta(minutes=31))  # still silent
    await sweep(deps)
    missed = await notices(deps, "incident.update_missed")
    assert sorted(m.chat_id for m in missed) == [DEPUTY.id, SECRETARY.id]
    await actions.add_update(deps, EMERGENCY, filed.incident_id, "进展")
    clock.advance(timedelta(minutes=119))
    await sweep(deps)
    assert len(await notices(deps, "incident.update_reminder")) == 1  # the update reset it
    assert (await steps(deps, filed.incident_id)).count("update_escalated") == 1


async def test_report_with_nobody_in_the_routed_roles_reaches_the_admins(deps: Deps) -> None:
    await grants.ensure_bootstrap_admins(deps)
    await people.start(deps, ADMIN)
    await people.start(deps, MEMBER)
    filed = await file_report(deps, MEMBER, draft(Kind.PUBLIC_OPINION, Severity.GENERAL))
    assert filed.handlers == 1
    [card] = await notices(deps, "incident.card")
    assert card.chat_id == ADMIN.id


async def test_incident_at_an_event_reaches_the_head_of_the_reporters_committee(
    deps: Deps,
) -> None:
    await staff(deps)
    head = (await people.start(deps, TgUser(6, "Han"))).person
    other_head = (await people.start(deps, TgUser(7, "Oth"))).person
    mei = await people.identify(deps, MEMBER, private=True)
    cid, _ = await committees.create_committee(deps, ADMIN, "教科文卫委")
    other, _ = await committees.create_committee(deps, ADMIN, "财经委")
    for person, committee in ((head, cid), (other_head, other)):
        await grants.change_role(
            deps,
            ADMIN,
            person_id=person.id,
            role=Role.COMMITTEE_HEAD,
            grant=True,
            committee_id=committee,
        )
    with pytest.raises(NotAllowed):
        await committees.set_committee(deps, MEMBER, person_id=mei.id, committee_id=cid)
    assert (
        await committees.set_committee(deps, ADMIN, person_id=mei.id, committee_id=cid)
    ).committee
    with pytest.raises(AlreadyDone):
        await committees.set_committee(deps, ADMIN, person_id=mei.id, committee_id=cid)
    await file_report(deps, MEMBER, draft(Kind.EVENT_INCIDENT, Severity.GENERAL))
    cards = await notices(deps, "incident.card")
    assert sorted(c.chat_id for c in cards) == [OFFICE.id, 6]  # L3: her committee's head only


async def test_a_number_taken_meanwhile_is_not_reused_the_filing_runs_again(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A racing writer (an old leader in its last second) took the number this transaction
    read: the unique constraint refuses it and the filing runs again with the next one."""
    from bot.db import refs
    from bot.incidents import service

    await staff(deps)
    await file_report(deps, MEMBER, draft())
    stale = [True]

    async def racing(session: object, model: object, year: int) -> int:
        number = await refs.next_number(session, model, year)  # type: ignore[arg-type]
        if stale.pop() if stale else False:
            return number - 1  # what it read before the other writer committed
        return number

    monkeypatch.setattr(service, "next_number", racing)
    filed = await file_report(deps, MEMBER, draft())
    assert filed.ref == "INC-2026-0002"
    async with deps.db.read() as s:
        assert list(await s.scalars(select(Incident.number).order_by(Incident.id))) == [1, 2]


async def test_the_upward_reports_recipient_is_stored_for_the_ledger(deps: Deps) -> None:
    """P3, C8: to whom the first report upward went is kept with its moment."""
    from datetime import date

    from bot.ledger import records
    from bot.ledger.period import between
    from bot.ledger.scope import Scope

    await staff(deps)
    filed = await file_report(deps, MEMBER, draft())
    await actions.report_upward(deps, EMERGENCY, filed.incident_id, "市委网信办 王科长", "电话报告")
    deps.clock.advance(timedelta(hours=1))
    await actions.report_upward(deps, EMERGENCY, filed.incident_id, "市委宣传部", "书面报告")
    async with deps.db.read() as s:
        incident = await s.get(Incident, filed.incident_id)
        assert incident is not None and incident.reported_upward_to == "市委网信办 王科长"
        period = between(date(2026, 1, 1), date(2026, 12, 31), deps.zone)
        [row] = await records.incidents(s, period, Scope(0, True, frozenset()))
    assert row.reported_upward_to == "市委网信办 王科长"


async def test_contain_on_an_unacknowledged_incident_acknowledges_it_on_record(
    deps: Deps,
) -> None:
    """L4: containing is taking the incident on; the acknowledgement is its own entry."""
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(severity=Severity.GENERAL))
    done = await actions.contain(deps, EMERGENCY, filed.incident_id)
    assert done.acknowledged
    async with deps.db.read() as s:
        kinds = list(
            await s.scalars(
                select(TimelineEntry.kind)
                .where(TimelineEntry.incident_id == filed.incident_id)
                .order_by(TimelineEntry.id)
            )
        )
        incident = await s.get(Incident, filed.incident_id)
    assert kinds[-2:] == ["acknowledged", "contained"]
    assert incident is not None and incident.acknowledged_at is not None
    assert not (await actions.close(deps, EMERGENCY, filed.incident_id, "已办结")).acknowledged
