"""The accountability register on a real database (C1–C12): recording, corrections as new
entries, links to the bot's records, validation, an audit entry for every reading, and a
refusal indistinguishable from an unknown command for everyone but the secretary and deputy."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.clock import MovableClock
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import AlreadyDone, InvalidInput, NotFound, UnknownCommand
from bot.events import service as events
from bot.incidents.service import file_report
from bot.people import committees, grants
from bot.people import service as people
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.view import TgUser
from bot.register import service as register
from bot.register.models import AccountabilityCase
from bot.register.service import CaseDraft
from tests.support.events import draft as lecture
from tests.support.incidents import draft as incident
from tests.support.staff import ADMIN, DEPUTY, EMERGENCY, MEMBER, OFFICE, SECRETARY

HEAD = TgUser(6, "Hu")
REVOKED = TgUser(7, "Ren")  # a deputy until a moment ago
STRANGER = TgUser(8, "Sun")  # never seen by the bot
UNKNOWN_COMMAND = "I do not know that command. Send /help to see what you can do."


async def organisation(deps: Deps) -> int:
    """Everyone of the regulation; returns the member's person id."""
    await grants.ensure_bootstrap_admins(deps)
    for tg, role in [
        (EMERGENCY, Role.EMERGENCY_OFFICE),
        (DEPUTY, Role.DEPUTY),
        (SECRETARY, Role.SECRETARY),
        (OFFICE, Role.OFFICE),
    ]:
        person = (await people.start(deps, tg)).person
        await grants.change_role(deps, ADMIN, person_id=person.id, role=role, grant=True)
    committee, _ = await committees.create_committee(deps, ADMIN, "教科文卫委")
    head = (await people.start(deps, HEAD)).person
    await grants.change_role(
        deps, ADMIN, person_id=head.id, role=Role.COMMITTEE_HEAD, grant=True, committee_id=committee
    )
    revoked = (await people.start(deps, REVOKED)).person
    for grant in (True, False):
        await grants.change_role(deps, ADMIN, person_id=revoked.id, role=Role.DEPUTY, grant=grant)
    return (await people.start(deps, MEMBER)).person.id


def case_draft(person_id: int, **changes: Any) -> CaseDraft:
    base = CaseDraft(
        person_id=person_id,
        clause="C8",
        grade="heavier",
        facts="<b>隐瞒不报</b> INC-2026-0001 事件，未按规定上报",
        measures=["transfer", "circulated_criticism"],
        decided_on=date(2026, 11, 20),
    )
    return replace(base, **changes)


async def audit(deps: Deps, action: str | None = None) -> list[AuditEntry]:
    async with deps.db.read() as s:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        return list(await s.scalars(query))


async def count(deps: Deps, model: Any) -> int:
    async with deps.db.read() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_case_is_recorded_with_its_links_and_the_references_not_found(
    deps: Deps,
) -> None:
    member_id = await organisation(deps)
    mei = replace(MEMBER, language_code="en")
    await file_report(deps, mei, incident())  # INC-2026-0001
    await events.submit(deps, mei, lecture())  # EVT-2026-0001
    me = await people.identify(deps, SECRETARY, private=True)
    await drafts.save(deps, me.id, DraftState("register", "summary", {}))
    facts = "见 inc-2026-1、EVT-2026-0001、INC-2026-0099 与 EVT-2025-0001；INC-2026-0001 再次提及"
    checked = await register.check_facts(deps, SECRETARY, f"  {facts}  ")
    assert checked.text == facts  # kept literally, trimmed
    assert checked.incidents == ["INC-2026-0001"] and checked.events == ["EVT-2026-0001"]
    assert checked.missing == ["INC-2026-0099", "EVT-2025-0001"]

    case, told = await register.record_case(deps, SECRETARY, case_draft(member_id, facts=facts))
    assert told.missing == ["INC-2026-0099", "EVT-2025-0001"]  # said, not silently dropped
    assert (case.id, case.person, case.clause, case.grade) == (1, "Mei", "C8", "heavier")
    assert case.measures == ["circulated_criticism", "transfer"]  # the regulation's order
    assert case.facts.incidents == ["INC-2026-0001"] and case.facts.events == ["EVT-2026-0001"]
    assert case.facts.missing == ["INC-2026-0099", "EVT-2025-0001"]
    assert case.recorded_by == "Shu" and case.recorded_at == deps.clock.now()
    assert (case.corrects, case.corrected_by, case.chain) == (None, None, [1])
    assert await drafts.get(deps, SECRETARY.id) is None  # dropped in the same transaction
    async with deps.db.read() as s:
        row = await s.get(AccountabilityCase, 1)
        assert row is not None and row.incident_ids == [1] and row.event_ids == [1]
    [entry] = await audit(deps, "register.recorded")
    assert (entry.actor_id, entry.subject_type, entry.subject_id, entry.clause) == (
        me.id,
        "accountability_case",
        1,
        "C8",
    )
    assert entry.data["measures"] == ["circulated_criticism", "transfer"]
    assert await audit(deps, "register.corrected") == []


async def test_corrections_are_new_entries_in_one_chain(deps: Deps) -> None:
    member_id = await organisation(deps)
    first, _ = await register.record_case(deps, SECRETARY, case_draft(member_id))
    async with deps.db.read() as s:
        before = dict(vars(await s.get(AccountabilityCase, first.id)))
    before.pop("_sa_instance_state")
    with pytest.raises(InvalidInput) as nothing:
        await register.record_case(deps, DEPUTY, case_draft(member_id, corrects_id=first.id))
    assert nothing.value.key == "Nothing was changed, so there is nothing to correct."
    second, _ = await register.record_case(
        deps,
        DEPUTY,
        case_draft(
            member_id, grade="light", measures=["criticism_education"], corrects_id=first.id
        ),
    )
    assert (second.id, second.corrects, second.chain) == (2, 1, [1, 2])
    # The old entry stays as it was, and says who corrected it.
    async with deps.db.read() as s:
        after = dict(vars(await s.get(AccountabilityCase, first.id)))
    after.pop("_sa_instance_state")
    assert after == before
    # Only the last entry of a chain can be corrected: one chain, never a fork.
    with pytest.raises(AlreadyDone) as forked:
        await register.record_case(
            deps, SECRETARY, case_draft(member_id, clause="C12", corrects_id=first.id)
        )
    assert forked.value.params == {"old": 1, "new": 2}
    with pytest.raises(AlreadyDone):
        await register.to_correct(deps, SECRETARY, first.id)
    with pytest.raises(NotFound):
        await register.record_case(deps, SECRETARY, case_draft(member_id, corrects_id=99))
    third, _ = await register.record_case(
        deps, SECRETARY, case_draft(member_id, clause="C12", corrects_id=second.id)
    )
    assert third.chain == [1, 2, 3]
    for case_id in (1, 2, 3):
        view = await register.case(deps, SECRETARY, case_id)
        assert view.chain == [1, 2, 3]
        assert view.corrected_by == {1: 2, 2: 3, 3: None}[case_id]
    page = await register.cases(deps, DEPUTY, 0)
    assert [(c.id, c.corrected_by) for c in page.cases] == [(3, None), (2, 3), (1, 2)]
    corrected = await audit(deps, "register.corrected")
    assert [(e.subject_id, e.data) for e in corrected] == [
        (2, {"corrects": 1}),
        (3, {"corrects": 2}),
    ]
    assert [e.clause for e in corrected] == ["C8", "C12"]
    assert await count(deps, AccountabilityCase) == 3


async def test_the_register_is_append_only(deps: Deps) -> None:
    member_id = await organisation(deps)
    case, _ = await register.record_case(deps, SECRETARY, case_draft(member_id))
    for change in ("update", "delete"):
        with pytest.raises(RuntimeError, match="never changed"):
            async with deps.db.transaction() as s:
                row = await s.get(AccountabilityCase, case.id)
                assert row is not None
                if change == "update":
                    row.grade = "light"
                else:
                    await s.delete(row)
    assert (await register.case(deps, SECRETARY, case.id)).grade == "heavier"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"clause": "C13"}, "Choose one of the clauses C1 to C12."),
        ({"clause": "c1"}, "Choose one of the clauses C1 to C12."),
        ({"grade": "mild"}, "Choose the grade: light, heavier or most serious."),
        ({"measures": []}, "Choose at least one of the measures the regulation provides."),
        (
            {"measures": ["transfer", "flogging"]},
            "Choose at least one of the measures the regulation provides.",
        ),
        (
            {"facts": " \u200b\x00 "},
            "“{field}” cannot be empty: invisible and control "
            "characters are not kept. Please type some text.",
        ),
        (
            {"facts": "x" * 2001},
            "“{field}” is too long: {length} characters, at most {limit} fit. Please shorten it.",
        ),
        ({"decided_on": date(2026, 11, 25)}, "A decision date cannot be in the future."),
        ({"person_id": 999}, "This person is not known to the bot."),
    ],
)
async def test_bad_cases_are_refused_and_nothing_is_kept(
    deps: Deps, changes: dict[str, Any], key: str
) -> None:
    member_id = await organisation(deps)
    before = len(await audit(deps))
    with pytest.raises((InvalidInput, NotFound)) as refused:
        await register.record_case(deps, SECRETARY, replace(case_draft(member_id), **changes))
    assert refused.value.key == key
    assert await count(deps, AccountabilityCase) == 0
    assert len(await audit(deps)) == before


async def test_the_decision_date_is_checked_in_the_organisations_zone(
    deps: Deps, clock: MovableClock
) -> None:
    member_id = await organisation(deps)
    clock.set(datetime(2026, 11, 24, 17, 0, tzinfo=UTC))  # the 25th, 01:00 in Shanghai
    case, _ = await register.record_case(
        deps, SECRETARY, case_draft(member_id, decided_on=date(2026, 11, 25))
    )
    assert case.decided_on == date(2026, 11, 25)
    with pytest.raises(InvalidInput):
        register.check_decided_on(deps, date(2026, 11, 26))


async def test_every_reading_is_audited(deps: Deps) -> None:
    member_id = await organisation(deps)
    for n in range(10):
        await register.record_case(deps, SECRETARY, case_draft(member_id, facts=f"第{n}次"))
    first = await register.cases(deps, SECRETARY, 0)
    assert [c.id for c in first.cases] == [10, 9, 8, 7, 6, 5, 4, 3]  # newest first
    assert (first.page, first.pages, first.total) == (0, 2, 10)
    second = await register.cases(deps, DEPUTY, 7)  # past the end: the last page
    assert [c.id for c in second.cases] == [2, 1] and second.page == 1
    line = second.cases[0]
    assert (line.decided_on, line.person, line.clause, line.grade) == (
        date(2026, 11, 20),
        "Mei",
        "C8",
        "heavier",
    )
    await register.case(deps, DEPUTY, 4)
    with pytest.raises(NotFound):
        await register.case(deps, DEPUTY, 11)
    await register.to_correct(deps, SECRETARY, 5)
    shu = (await register.require_keeper(deps, SECRETARY)).id
    dai = (await register.require_keeper(deps, DEPUTY)).id
    viewed = await audit(deps, "register.viewed")
    assert [(e.actor_id, e.subject_type, e.subject_id, e.clause, e.data) for e in viewed] == [
        (shu, "accountability_case", None, None, {"page": 0, "entries": [10, 9, 8, 7, 6, 5, 4, 3]}),
        (dai, "accountability_case", None, None, {"page": 1, "entries": [2, 1]}),
        (dai, "accountability_case", 4, "C8", {}),
        (shu, "accountability_case", 5, "C8", {}),  # a correction starts by reading the entry
    ]


NON_KEEPERS = [MEMBER, EMERGENCY, OFFICE, HEAD, ADMIN, REVOKED, STRANGER]


@pytest.mark.parametrize("who", NON_KEEPERS, ids=lambda u: u.first_name)
async def test_nobody_else_learns_that_the_register_exists(deps: Deps, who: TgUser) -> None:
    member_id = await organisation(deps)
    await register.record_case(deps, SECRETARY, case_draft(member_id))
    before = (len(await audit(deps)), await count(deps, Person))
    attempts = [
        register.require_keeper(deps, who),
        register.cases(deps, who, 0),
        register.case(deps, who, 1),
        register.case(deps, who, 99),  # an entry that does not exist: the same answer
        register.to_correct(deps, who, 1),
        register.check_facts(deps, who, "INC-2026-0001"),
        register.record_case(deps, who, case_draft(member_id)),
        register.record_case(deps, who, case_draft(member_id, clause="C99", corrects_id=1)),
    ]
    for attempt in attempts:
        with pytest.raises(UnknownCommand) as refused:
            await attempt
        assert refused.value.key == UNKNOWN_COMMAND and refused.value.params == {}
    # Nothing was recorded or audited, not even the stranger's first contact.
    assert (len(await audit(deps)), await count(deps, Person)) == before
    assert await count(deps, AccountabilityCase) == 1


@pytest.mark.parametrize("keeper", [SECRETARY, DEPUTY], ids=lambda u: u.first_name)
async def test_the_secretary_and_the_deputy_keep_it(deps: Deps, keeper: TgUser) -> None:
    member_id = await organisation(deps)
    me = await register.require_keeper(deps, keeper)
    case, _ = await register.record_case(deps, keeper, case_draft(member_id))
    assert case.recorded_by == me.name
    assert (await register.cases(deps, keeper, 0)).total == 1
