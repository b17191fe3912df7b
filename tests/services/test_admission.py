"""Admission on a real database (SQLite and PostgreSQL), R4: pending people cannot act, a
decision is taken once however many press at once, and invitation codes admit only while
they are valid — a wrong, used-up, expired or withdrawn code changes nothing."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import AlreadyDone, DomainError, InvalidInput, NotAllowed
from bot.incidents.service import file_report
from bot.outbox.models import OutboxMessage
from bot.people import admission, committees, directory, grants, invitations
from bot.people import service as people
from bot.people.models import Invitation, Person
from bot.people.roles import Role
from bot.people.view import ADMITTED, PENDING, REFUSED, TgUser
from bot.policy.schema import People
from tests.support.incidents import draft

ADMIN = TgUser(9001, "Ada", username="ada", language_code="en")
OFFICE = TgUser(5, "Ou", username="ou", language_code="en")
NIA = TgUser(2001, "Nia", username="nia", language_code="zh-hans")
REX = TgUser(2002, "Rex", username="rex", language_code="en")


def door(deps: Deps, admission_: str) -> None:
    deps.policy = deps.policy.model_copy(update={"people": People(admission=admission_)})


async def office(deps: Deps) -> None:
    """The administrator and an office member, admitted while the door was open."""
    await grants.ensure_bootstrap_admins(deps)
    await people.start(deps, ADMIN)
    ou = (await people.start(deps, OFFICE)).person
    await grants.change_role(deps, ADMIN, person_id=ou.id, role=Role.OFFICE, grant=True)


async def standing(deps: Deps, tg: TgUser) -> str | None:
    async with deps.db.read() as s:
        return await s.scalar(select(Person.admission).where(Person.telegram_id == tg.id))


async def counts(deps: Deps) -> tuple[int, int, int]:
    async with deps.db.read() as s:
        return (
            int(await s.scalar(select(func.count(AuditEntry.id))) or 0),
            int(await s.scalar(select(func.count(OutboxMessage.id))) or 0),
            int(await s.scalar(select(func.count(Person.id))) or 0),
        )


async def actions(deps: Deps, action: str) -> list[AuditEntry]:
    async with deps.db.read() as s:
        return list(await s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


async def cards(deps: Deps, template: str) -> list[OutboxMessage]:
    async with deps.db.read() as s:
        rows = await s.scalars(select(OutboxMessage).where(OutboxMessage.template == template))
        return list(rows)


async def test_approve_start_asks_the_office_and_the_pending_person_can_do_nothing(
    deps: Deps,
) -> None:
    await office(deps)
    door(deps, "approve")
    result = await people.start(deps, NIA)
    assert result.person.admission == PENDING and not result.person.admitted
    sent = await cards(deps, "person.admission")
    assert sorted(m.chat_id for m in sent) == sorted([ADMIN.id, OFFICE.id])  # admins, office
    assert sent[0].params["name"] == "Nia" and sent[0].params["username"] == "nia"
    assert sent[0].params["language"] == "zh-hans"
    await people.start(deps, NIA)  # pressing Start again asks nobody twice
    assert len(await cards(deps, "person.admission")) == 2
    before = await counts(deps)
    with pytest.raises(NotAllowed) as refused:
        await file_report(deps, NIA, draft())
    assert refused.value.key == people.PENDING_SAYS
    with pytest.raises(NotAllowed):
        await admission.gate(deps, NIA)
    assert await counts(deps) == before
    listed = await directory.list_people(deps, ADMIN, 0)
    assert "Nia" not in [p.name for p in listed.people] and listed.total == 2  # not counted


@pytest.mark.parametrize("second", ["admit", "refuse"])
async def test_two_deciders_at_once_decide_once(deps: Deps, second: str) -> None:
    await office(deps)
    door(deps, "approve")
    nia = (await people.start(deps, NIA)).person
    results = await asyncio.gather(
        admission.decide(deps, ADMIN, nia.id, admit_=True),
        admission.decide(deps, OFFICE, nia.id, admit_=second == "admit", reason="不认识"),
        return_exceptions=True,
    )
    done = [r for r in results if isinstance(r, admission.Decision)]
    lost = [r for r in results if isinstance(r, AlreadyDone)]
    assert len(done) == 1 and len(lost) == 1, results
    decided = await standing(deps, NIA)
    assert decided == (ADMITTED if done[0].admitted else REFUSED)
    assert (
        len(await actions(deps, "person.admitted")) + len(await actions(deps, "person.refused"))
        == 1
    )
    told = await cards(deps, "person.admitted") + await cards(deps, "person.refused")
    assert [m.chat_id for m in told] == [NIA.id]  # the person is told the outcome, once
    # A double press later finds it decided and changes nothing.
    before = await counts(deps)
    with pytest.raises(AlreadyDone):
        await admission.decide(deps, ADMIN, nia.id, admit_=True)
    assert await counts(deps) == before


async def test_refusal_with_a_reason_and_only_deciders_decide(deps: Deps) -> None:
    await office(deps)
    door(deps, "approve")
    nia = (await people.start(deps, NIA)).person
    rex = (await people.start(deps, REX)).person
    with pytest.raises(NotAllowed):  # a pending person cannot admit another
        await admission.decide(deps, NIA, rex.id, admit_=True)
    committee, _ = await committees.create_committee(deps, ADMIN, "教科文卫委")
    made = await admission.decide(deps, OFFICE, rex.id, admit_=True, committee_id=committee)
    assert made.committee == "教科文卫委"
    assert (await directory.find_person(deps, username="rex")).committee == "教科文卫委"
    with pytest.raises(NotAllowed):  # a plain member cannot decide either
        await admission.decide(deps, REX, nia.id, admit_=False)
    await admission.decide(deps, ADMIN, nia.id, admit_=False, reason="不是本机关人员")
    (refused,) = await actions(deps, "person.refused")
    assert refused.data["reason"] == "不是本机关人员" and refused.clause == "R4"
    (told,) = await cards(deps, "person.refused")
    assert told.params["note"] == "不是本机关人员"
    with pytest.raises(NotAllowed) as said:
        await admission.gate(deps, NIA)
    assert said.value.key == people.REFUSED_SAYS


async def test_open_admits_on_start_and_admins_are_always_admitted(deps: Deps) -> None:
    door(deps, "approve")
    await grants.ensure_bootstrap_admins(deps)
    assert (await people.start(deps, ADMIN)).person.admitted  # DUTYDESK_ADMIN_IDS
    assert not (await people.start(deps, NIA)).person.admitted
    door(deps, "open")
    assert (await people.start(deps, NIA)).person.admitted  # the door opened: a member
    (entry,) = await actions(deps, "person.admitted")
    assert entry.data["rule"] == "open"


async def test_a_role_admits_a_pending_person(deps: Deps) -> None:
    await office(deps)
    door(deps, "approve")
    nia = (await people.start(deps, NIA)).person
    await grants.change_role(deps, ADMIN, person_id=nia.id, role=Role.OFFICE, grant=True)
    assert await standing(deps, NIA) == ADMITTED


async def test_invitation_code_is_long_stored_hashed_and_admits_at_once(deps: Deps) -> None:
    await office(deps)
    door(deps, "invite")
    committee, _ = await committees.create_committee(deps, ADMIN, "教科文卫委")
    made = await invitations.create(deps, OFFICE, uses=2, days=3, committee="教科文卫委")
    assert made.code is not None and len(made.code) >= 32  # 192 random bits, URL-safe
    async with deps.db.read() as s:
        row = await s.scalar(select(Invitation))
    assert row is not None and row.code_hash == hashlib.sha256(made.code.encode()).hexdigest()
    assert made.code not in str([e.data for e in await actions(deps, "invitation.created")])
    joined = await people.start(deps, NIA, made.code)
    assert joined.person.admitted and joined.person.committee_id == committee
    assert (await actions(deps, "person.admitted"))[0].data["invitation"] == row.id
    with pytest.raises(AlreadyDone):  # a member's second use takes no use
        await people.start(deps, NIA, made.code)
    async with deps.db.read() as s:
        assert await s.scalar(select(Invitation.uses)) == 1
    # Without a code the invite-only door stays shut, and nobody is asked.
    assert not (await people.start(deps, REX)).person.admitted
    assert await cards(deps, "person.admission") == []


async def test_invitation_with_a_role_only_from_an_admin(deps: Deps) -> None:
    await office(deps)
    with pytest.raises(NotAllowed):
        await invitations.create(deps, OFFICE, role=Role.OFFICE)
    made = await invitations.create(deps, ADMIN, role=Role.OFFICE)
    door(deps, "invite")
    joined = await people.start(deps, NIA, made.code)
    assert Role.OFFICE in joined.person.roles
    with pytest.raises(NotAllowed):
        await invitations.create(deps, NIA, role=Role.ADMIN)  # office invites, not with roles


async def _refused_code(deps: Deps, tg: TgUser, code: str, key: str) -> None:
    before = await counts(deps)
    with pytest.raises(InvalidInput) as refused:
        await people.start(deps, tg, code)
    assert refused.value.key == key
    assert await counts(deps) == before  # nothing written, not even the person
    assert await standing(deps, tg) is None


async def test_wrong_used_up_expired_and_withdrawn_codes_change_nothing(
    deps: Deps, clock: MovableClock
) -> None:
    await office(deps)
    door(deps, "invite")
    once = await invitations.create(deps, OFFICE, uses=1, days=1)
    expiring = await invitations.create(deps, OFFICE, uses=5, days=1)
    withdrawn = await invitations.create(deps, OFFICE, uses=5, days=30)
    assert once.code and expiring.code and withdrawn.code
    await _refused_code(deps, NIA, "x" * 32, invitations.WRONG)
    await _refused_code(deps, NIA, once.code[:-1], invitations.WRONG)  # one character off
    assert (await people.start(deps, REX, once.code)).person.admitted
    await _refused_code(
        deps,
        NIA,
        once.code,
        "This invitation has already been used. Please ask the office for a new one.",
    )
    await invitations.revoke(deps, OFFICE, withdrawn.id)
    with pytest.raises(AlreadyDone):
        await invitations.revoke(deps, ADMIN, withdrawn.id)
    await _refused_code(deps, NIA, withdrawn.code, "This invitation was withdrawn by the office.")
    clock.advance(timedelta(days=1))
    expired = "This invitation has expired. Please ask the office for a new one."
    await _refused_code(deps, NIA, expiring.code, expired)
    assert [i.id for i in await invitations.active(deps, OFFICE)] == []
    assert [e.action for e in await actions(deps, "invitation.revoked")] == ["invitation.revoked"]


async def test_guessing_codes_writes_nothing(deps: Deps) -> None:
    """Brute force: each guess is one indexed look-up and leaves no row anywhere."""
    await office(deps)
    door(deps, "invite")
    await invitations.create(deps, OFFICE, uses=100, days=90)
    before = await counts(deps)
    for n in range(300):
        with pytest.raises(InvalidInput):
            await people.start(deps, TgUser(3000 + n, "Guess"), f"guess{n:027d}")
    assert await counts(deps) == before


async def test_the_last_use_goes_to_one_of_two_at_once(deps: Deps) -> None:
    await office(deps)
    door(deps, "invite")
    made = await invitations.create(deps, OFFICE, uses=1)
    assert made.code is not None
    results = await asyncio.gather(
        people.start(deps, NIA, made.code),
        people.start(deps, REX, made.code),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert sorted([await standing(deps, NIA) or "", await standing(deps, REX) or ""]) == sorted(
        [ADMITTED, ""]
    )
    assert len(await actions(deps, "person.admitted")) == 1


async def test_a_pending_person_is_neither_offered_nor_pulled_in(deps: Deps) -> None:
    from bot.incidents import pulling
    from bot.incidents.queries import candidates
    from bot.policy.schema import Kind

    await office(deps)
    door(deps, "approve")
    nia = (await people.start(deps, NIA)).person
    filed = await file_report(deps, ADMIN, draft(kind=Kind.PUBLIC_OPINION))
    offered = await candidates(deps, OFFICE, filed.incident_id)
    assert nia.id not in [pid for pid, _ in offered.people]
    before = await counts(deps)
    with pytest.raises(InvalidInput):  # a forged Pull in button
        await pulling.pull_in(deps, OFFICE, filed.incident_id, nia.id)
    assert await counts(deps) == before
