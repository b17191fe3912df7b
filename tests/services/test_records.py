"""/record on a real database (SQLite and PostgreSQL): the whole record of an incident or an
event request, seen by whom the ledger's scope lets see it (R4, L3, R7, C); a record the reader
may not see is answered exactly as a reference that does not exist."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.buttons import EventAction
from bot.deps import Deps
from bot.errors import InvalidInput, NotFound
from bot.events import decisions
from bot.events import resubmit as resubmission
from bot.events import service as events
from bot.incidents import actions, pulling
from bot.incidents.service import file_report
from bot.people import committees, grants, inspectors
from bot.people import service as people
from bot.people.roles import Role
from bot.people.view import TgUser
from bot.policy.schema import People
from bot.records import service as records
from bot.records.common import READ
from bot.records.events import EventRecord
from bot.records.incidents import IncidentRecord
from tests.support.events import draft as event_draft
from tests.support.incidents import draft, staff
from tests.support.staff import ADMIN, DEPUTY, EMERGENCY, MEMBER, OFFICE, SECRETARY

HEAD = TgUser(6, "Han")  # heads the reporter's committee (L3)
OTHER_HEAD = TgUser(7, "Oth")  # heads another committee
MIN = TgUser(8, "Min")  # a member, neither reporter nor handler
IDA = TgUser(3001, "Ida")  # of the inspection group (R7)


async def organisation(deps: Deps) -> None:
    await staff(deps)
    mei = await people.identify(deps, MEMBER, private=True)
    await people.start(deps, MIN)
    ours, _ = await committees.create_committee(deps, ADMIN, "教科文卫委")
    theirs, _ = await committees.create_committee(deps, ADMIN, "财经委")
    for tg, committee in ((HEAD, ours), (OTHER_HEAD, theirs)):
        person = (await people.start(deps, tg)).person
        await grants.change_role(
            deps,
            ADMIN,
            person_id=person.id,
            role=Role.COMMITTEE_HEAD,
            grant=True,
            committee_id=committee,
        )
    await committees.set_committee(deps, ADMIN, person_id=mei.id, committee_id=ours)


async def inspector(deps: Deps, **period: str) -> None:
    deps.policy = deps.policy.model_copy(update={"people": People(admission="approve")})
    ida = (await people.start(deps, IDA)).person
    await inspectors.grant(
        deps, SECRETARY, person_id=ida.id, first_day="2026-11-24", last_day="2026-11-30", **period
    )


async def refused(deps: Deps, reader: TgUser, ref: str) -> tuple[str, dict[str, object]]:
    with pytest.raises(NotFound) as err:
        await records.read(deps, reader, ref)
    return err.value.key, err.value.params


async def test_an_incident_is_seen_by_whom_the_ledger_lets_see_it(deps: Deps) -> None:
    await organisation(deps)
    filed = await file_report(deps, MEMBER, draft())
    await inspector(deps)
    for reader in (MEMBER, EMERGENCY, DEPUTY, SECRETARY, OFFICE, HEAD, IDA):
        seen = await records.read(deps, reader, "inc-2026-0001")
        assert isinstance(seen, IncidentRecord) and seen.ref == filed.ref, reader
    # Neither its reporter, nor a handler, nor the head of the reporter's committee: told
    # exactly what a reference that does not exist is told.
    unknown = await refused(deps, MEMBER, "INC-2026-0002")
    assert unknown == (records.UNKNOWN, {"ref": "INC-2026-0002"})
    for reader in (MIN, OTHER_HEAD):
        assert await refused(deps, reader, "INC-2026-0001") == (
            records.UNKNOWN,
            {"ref": "INC-2026-0001"},
        )
        with pytest.raises(NotFound) as hidden:
            await records.read_by_id(deps, reader, "INC", filed.incident_id)
        with pytest.raises(NotFound) as missing:
            await records.read_by_id(deps, reader, "INC", filed.incident_id + 100)
        assert (hidden.value.key, hidden.value.params) == (missing.value.key, missing.value.params)
    with pytest.raises(InvalidInput):
        await records.read(deps, MEMBER, "INC-26-1")
    # C: the inspector's reading is on record; a member's is not an inspection.
    async with deps.db.read() as s:
        (read,) = await s.scalars(select(AuditEntry).where(AuditEntry.action == "record.read"))
    assert read.clause == "R7" and read.subject_id == filed.incident_id


async def test_an_inspector_reads_only_the_records_of_the_named_period(deps: Deps) -> None:
    await organisation(deps)
    await file_report(deps, MEMBER, draft())  # 24 November 2026
    await events.submit(deps, MEMBER, event_draft())
    await inspector(deps, period_first="2026-01-01", period_last="2026-09-30")
    assert await refused(deps, IDA, "INC-2026-0001") == (records.UNKNOWN, {"ref": "INC-2026-0001"})
    assert (await refused(deps, IDA, "EVT-2026-0001"))[0] == records.UNKNOWN


async def test_the_whole_record_of_an_incident(deps: Deps) -> None:
    await organisation(deps)
    filed = await file_report(deps, MEMBER, draft())
    await actions.acknowledge(deps, EMERGENCY, filed.incident_id)
    min_id = (await people.identify(deps, MIN, private=True)).id
    await pulling.pull_in(deps, EMERGENCY, filed.incident_id, min_id)
    await actions.add_update(deps, EMERGENCY, filed.incident_id, "已恢复首页")
    await actions.report_upward(deps, EMERGENCY, filed.incident_id, "市委网信办 王科长", "电话报告")
    await actions.close(deps, EMERGENCY, filed.incident_id, "处置完毕")
    seen = await records.read(deps, MIN, filed.ref)  # pulled in: now a handler (L5)
    assert isinstance(seen, IncidentRecord)
    assert seen.what.endswith("网站首页被篡改") and seen.location == "门户网站"
    assert seen.actions_taken == "已断网" and seen.reporter == "Mei"
    reasons = {h.name: (h.reason, h.added_by) for h in seen.handlers}
    assert reasons["Min"] == ("pulled_in", "Eli") and reasons["Eli"] == ("routed", None)
    steps = [step for _, step, _, _, _ in seen.timeline]
    assert steps[0] == "filed" and "pulled_in" in steps and steps[-1] == "closed"
    assert ("update", "已恢复首页") in [(s, t) for _, s, _, t, _ in seen.timeline]
    assert seen.reported_upward_to == "市委网信办 王科长" and seen.reported_upward_at
    assert seen.closing_summary == "处置完毕" and seen.closed_by == "Eli"


async def test_an_event_request_with_both_versions(deps: Deps) -> None:
    await organisation(deps)
    sent = await events.submit(deps, MEMBER, event_draft())
    seen = await records.read(deps, HEAD, sent.ref)  # her committee's head reviews it (L3)
    await decisions.review(deps, HEAD, sent.id, 1, forward=True)
    await decisions.decide(
        deps, SECRETARY, sent.id, 1, EventAction.REQUEST_CHANGES, "请补充报告人简历"
    )
    await resubmission.resubmit(deps, MEMBER, sent.id, event_draft(title="修改后的标题"))
    for reader in (MEMBER, SECRETARY, HEAD):
        seen = await records.read(deps, reader, sent.ref)
        assert isinstance(seen, EventRecord)
        assert [v.number for v in seen.versions] == [1, 2], reader
        assert seen.versions[1].snapshot["title"] == "修改后的标题"
    assert isinstance(seen, EventRecord) and seen.requester == "Mei"
    notes = {s.action: s.data.get("note") for s in seen.steps}
    assert notes["event.changes"] == "请补充报告人简历" and "event.resubmitted" in notes
    for reader in (MIN, OTHER_HEAD):
        assert await refused(deps, reader, sent.ref) == (records.UNKNOWN, {"ref": sent.ref})


async def test_an_inspectors_reading_is_audited_not_a_step_of_the_request(deps: Deps) -> None:
    await organisation(deps)
    sent = await events.submit(deps, MEMBER, event_draft())
    await inspector(deps)
    assert (await records.read(deps, IDA, sent.ref)).ref == sent.ref
    seen = await records.read(deps, MEMBER, sent.ref)
    assert isinstance(seen, EventRecord)
    assert [s.action for s in seen.steps] == ["event.requested"]
    async with deps.db.read() as s:
        (read,) = await s.scalars(select(AuditEntry).where(AuditEntry.action == READ))
    assert (read.subject_type, read.subject_id, read.clause) == ("event", sent.id, "R7")
