"""Records that grow, never rewritten, on a real database: additions by the reporter, changes
of severity (routing and limits follow it: L4, R2, L1), reopenings, and the ledger's reading of
them (L4 as filed and by the severity in force, reopenings counted)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.clock import MovableClock
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import AlreadyDone, InvalidInput, NotAllowed
from bot.files.models import KeptFile
from bot.incidents import actions, additions, changes, reopening
from bot.incidents.models import Incident, IncidentAttachment, IncidentHandler, TimelineEntry
from bot.incidents.service import file_report
from bot.incidents.sweep import sweep
from bot.ledger import service as ledger
from bot.ledger.period import chosen
from bot.people import service as people
from bot.policy.schema import Kind, Severity
from tests.support.incidents import draft, notices, staff
from tests.support.staff import DEPUTY, EMERGENCY, MEMBER, OFFICE, SECRETARY

PHOTO = {
    "file_id": "AgADadded1",
    "kind": "photo",
    "name": "现场照片",
    "size": 1000,
    "mime_type": "image/jpeg",
}


async def incident(deps: Deps, incident_id: int) -> Incident:
    async with deps.db.read() as s:
        found = await s.get(Incident, incident_id)
        assert found is not None
        return found


async def audit(deps: Deps, action: str) -> list[AuditEntry]:
    async with deps.db.read() as s:
        return list(await s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


async def test_the_reporter_adds_facts_and_files_each_a_dated_entry_handlers_told(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(severity=Severity.GENERAL))
    me = (await people.start(deps, MEMBER)).person
    await drafts.save(deps, me.id, DraftState("inc_add", "collect", {"id": filed.incident_id}))
    clock.advance(timedelta(minutes=5))
    added = await additions.add_to_report(
        deps, MEMBER, filed.incident_id, "又发现两处篡改", [PHOTO]
    )
    assert (added.ref, added.number, added.files, added.told) == (filed.ref, 1, 1, 2)
    second = await additions.add_to_report(deps, MEMBER, filed.incident_id, "已恢复", [])
    assert second.number == 2
    async with deps.db.read() as s:
        entries = list(
            await s.scalars(
                select(TimelineEntry)
                .where(TimelineEntry.kind == "addition")
                .order_by(TimelineEntry.id)
            )
        )
        att = await s.scalar(
            select(IncidentAttachment).where(IncidentAttachment.file_id == PHOTO["file_id"])
        )
        kept = await s.scalar(select(KeptFile).where(KeptFile.file_id == PHOTO["file_id"]))
    assert [(e.text, e.data["files"], e.actor_id) for e in entries] == [
        ("又发现两处篡改", 1, me.id),
        ("已恢复", 0, me.id),
    ]
    assert entries[0].at == clock.now() and att is not None and att.entry_id == entries[0].id
    assert kept is not None  # the office keeps it like the report's own files
    told = await notices(deps, "incident.addition")
    assert len(told) == 4 and told[0].params["text"] == "又发现两处篡改"
    assert (await incident(deps, filed.incident_id)).what.endswith("网站首页被篡改")  # as filed
    assert (await incident(deps, filed.incident_id)).additions == 2
    assert await drafts.get(deps, MEMBER.id) is None  # ended in the same transaction
    assert [a.clause for a in await audit(deps, "incident.addition")] == ["L4", "L4"]


async def test_additions_are_the_reporters_alone_and_end_with_the_closing(deps: Deps) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(severity=Severity.GENERAL))
    with pytest.raises(NotAllowed):
        await additions.add_to_report(deps, EMERGENCY, filed.incident_id, "不是报告人", [])
    with pytest.raises(InvalidInput):
        await additions.add_to_report(deps, MEMBER, filed.incident_id, "", [])
    await actions.close(deps, EMERGENCY, filed.incident_id, "已处置完毕")
    with pytest.raises(AlreadyDone) as closed:
        await additions.check_may_add(deps, MEMBER, filed.incident_id)
    assert closed.value.key == additions.CLOSED
    with pytest.raises(AlreadyDone):
        await additions.add_to_report(deps, MEMBER, filed.incident_id, "太晚了", [])


async def test_raised_to_major_the_secretary_is_brought_in_and_limits_follow(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(severity=Severity.GENERAL))
    before = await incident(deps, filed.incident_id)
    assert not before.needs_secretary_ack
    clock.advance(timedelta(minutes=10))
    changed = await changes.change_severity(
        deps, EMERGENCY, filed.incident_id, "general", "major", "涉及大量用户数据"
    )
    assert changed.severity == "major" and changed.brought_in == ["Shu"]  # R2, L1
    after = await incident(deps, filed.incident_id)
    assert after.severity == "major" and after.filed_severity == "general"
    assert after.needs_secretary_ack and after.severity_since == clock.now()
    # L4 by the severity in force: 30 minutes from the change; as filed it never moves.
    assert after.ack_due_at == after.ack_limit_in_force_at == clock.now() + timedelta(minutes=30)
    assert after.ack_limit_at == before.ack_limit_at
    cards = await notices(deps, "incident.card")
    assert cards[-1].person_id == (await people.start(deps, SECRETARY)).person.id
    told = await notices(deps, "incident.severity_changed")
    assert {m.params["reason"] for m in told} == {"涉及大量用户数据"} and len(told) == 1  # deputy
    async with deps.db.read() as s:
        entry = await s.scalar(
            select(TimelineEntry).where(TimelineEntry.kind == "severity_changed")
        )
        routed = await s.scalar(
            select(IncidentHandler.reason).where(IncidentHandler.person_id == cards[-1].person_id)
        )
    assert entry is not None and entry.text == "涉及大量用户数据"
    assert (entry.data["from"], entry.data["to"]) == ("general", "major") and routed == "routed"
    assert [(a.clause, a.data["to"]) for a in await audit(deps, "incident.severity_changed")] == [
        ("L1", "major")
    ]
    # The sweep's escalation timer is the new severity's: at 31 minutes it escalates.
    clock.advance(timedelta(minutes=29))
    await sweep(deps)
    assert (await incident(deps, filed.incident_id)).escalation_level == 0
    # R2: her reminder, too, counts from the change (30 minutes), not from the filing.
    assert await notices(deps, "incident.secretary_reminder") == []
    clock.advance(timedelta(minutes=2))
    await sweep(deps)
    assert (await incident(deps, filed.incident_id)).escalation_level == 1


async def test_a_notice_offers_only_the_steps_still_open(deps: Deps) -> None:
    """Told of a change or an addition, a handler gets the buttons of the steps still open: no
    Acknowledge once someone acknowledged (L4), no Contain once contained."""
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(severity=Severity.GENERAL))
    await actions.acknowledge(deps, EMERGENCY, filed.incident_id)
    await actions.contain(deps, EMERGENCY, filed.incident_id)
    await changes.change_severity(deps, EMERGENCY, filed.incident_id, "general", "major", "扩散")
    me = (await people.start(deps, MEMBER)).person
    await drafts.save(deps, me.id, DraftState("inc_add", "collect", {"id": filed.incident_id}))
    await additions.add_to_report(deps, MEMBER, filed.incident_id, "又有转发", [])
    told = [
        *await notices(deps, "incident.severity_changed"),
        *await notices(deps, "incident.addition"),
    ]
    assert told
    for message in told:
        actions_offered = {b["data"].split(":")[1] for row in message.buttons for b in row}
        assert "ak" not in actions_offered and "ct" not in actions_offered, message.template
        assert {"up", "hi", "pl", "cl", "sv", "tl"} <= actions_offered


async def test_a_second_tap_or_a_slower_handler_changes_nothing(deps: Deps) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(severity=Severity.MAJOR))
    await changes.change_severity(deps, DEPUTY, filed.incident_id, "major", "general", "误报")
    with pytest.raises(AlreadyDone) as second:
        await changes.change_severity(
            deps, EMERGENCY, filed.incident_id, "major", "critical", "更严重"
        )
    assert second.value.params["name"] == "Dai"
    with pytest.raises(AlreadyDone):
        await changes.change_severity(
            deps, EMERGENCY, filed.incident_id, "general", "general", "同上"
        )
    with pytest.raises(NotAllowed):  # the reporter does not handle it
        await changes.change_severity(deps, MEMBER, filed.incident_id, "general", "major", "x")
    lowered = await incident(deps, filed.incident_id)
    assert lowered.severity == "general" and not lowered.needs_secretary_ack
    info = await file_report(deps, MEMBER, draft(kind=Kind.INFORMATION, severity=None))
    with pytest.raises(InvalidInput):
        await changes.check_severity(deps, OFFICE, info.incident_id)


async def test_a_closed_incident_reopens_once_its_limits_start_again(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(severity=Severity.MAJOR))
    await actions.acknowledge(deps, EMERGENCY, filed.incident_id)
    first_ack = (await incident(deps, filed.incident_id)).acknowledged_at
    await actions.close(deps, EMERGENCY, filed.incident_id, "已处置")
    with pytest.raises(NotAllowed):  # the reporter may not reopen it
        await reopening.check_reopen(deps, MEMBER, filed.incident_id)
    ref, count = await reopening.check_reopen(deps, OFFICE, filed.incident_id)  # the office may
    assert (ref, count) == (filed.ref, 0)
    clock.advance(timedelta(hours=3))
    done = await reopening.reopen(deps, OFFICE, filed.incident_id, count, "问题复发")
    assert done.told == 3  # emergency office, deputy, secretary
    again = await incident(deps, filed.incident_id)
    assert (again.status, again.reopen_count, again.closed_at) == ("open", 1, None)
    assert again.acknowledged_at is None and again.first_acknowledged_at == first_ack
    assert again.ack_due_at == again.ack_limit_in_force_at == clock.now() + timedelta(minutes=30)
    assert again.closing_summary == "已处置"  # the earlier closing is kept, and on the timeline
    with pytest.raises(AlreadyDone) as twice:  # a second tap on the same Reopen
        await reopening.reopen(deps, EMERGENCY, filed.incident_id, count, "再次")
    assert twice.value.params["name"] == "Ou"
    assert len(await notices(deps, "incident.reopened")) == 3
    assert len(await notices(deps, "incident.reopened_reporter")) == 1
    assert [a.clause for a in await audit(deps, "incident.reopened")] == ["L4"]
    # The limits start again: nobody acknowledges within 30 minutes, so it escalates.
    clock.advance(timedelta(minutes=31))
    await sweep(deps)
    assert (await incident(deps, filed.incident_id)).escalation_level == 1
    book = await ledger.build(deps, SECRETARY, chosen("this_year", clock.now(), deps.zone))
    assert book.incident_figures.reopened == 1
    codes = {(lapse.code, lapse.subject) for lapse in book.lapses}
    assert ("ack_missing_in_force", filed.ref) in codes  # by the limit in force
    assert ("ack_late", filed.ref) not in codes and ("ack_missing", filed.ref) not in codes


async def test_the_ledger_judges_by_the_severity_in_force_and_keeps_the_as_filed(
    deps: Deps, clock: MovableClock
) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft(severity=Severity.GENERAL))  # 4 working hours
    clock.advance(timedelta(minutes=5))
    await changes.change_severity(deps, EMERGENCY, filed.incident_id, "general", "critical", "扩散")
    clock.advance(timedelta(minutes=40))  # past critical's 15 minutes, within general's 4 hours
    await actions.acknowledge(deps, EMERGENCY, filed.incident_id)
    book = await ledger.build(deps, SECRETARY, chosen("this_year", clock.now(), deps.zone))
    mine = [lapse for lapse in book.lapses if lapse.subject == filed.ref]
    assert [(lp.code, lp.late_by) for lp in mine if lp.code.startswith("ack")] == [
        ("ack_late_in_force", timedelta(minutes=25))
    ]  # as filed it was in time
    steps = (
        await ledger.build(
            deps, SECRETARY, chosen("this_year", clock.now(), deps.zone), clause="L1"
        )
    ).steps
    assert "incident.severity_changed" in {s.action for s in steps}  # the secretary came in
