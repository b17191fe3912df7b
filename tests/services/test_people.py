"""People and roles on a real database (SQLite and PostgreSQL): records, audit, outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from bot.audit.models import AuditEntry
from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed
from bot.outbox.models import OutboxMessage, OutboxStatus
from bot.people import committees, grants
from bot.people import service as people
from bot.people.models import Person, RoleGrant
from bot.people.roles import Role
from bot.people.view import TgUser, view

ADMIN = TgUser(9001, "Ada", username="ada", language_code="en")
ALICE = TgUser(1001, "Alice", "Wang", "Alice_W", "zh-hans")
BOB = TgUser(1002, "Bob", username="bob")


async def audit_actions(deps: Deps) -> list[str]:
    async with deps.db.read() as s:
        return list(await s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


async def outbox_rows(deps: Deps) -> list[OutboxMessage]:
    async with deps.db.read() as s:
        return list(await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_start_registers_once_and_asks_language_first(deps: Deps) -> None:
    first = await people.start(deps, ALICE)
    assert first.first_contact and first.person.started
    assert first.person.username == "alice_w"
    await people.set_locale(deps, ALICE, "zh_CN")
    again = await people.start(deps, ALICE)
    assert not again.first_contact and again.person.id == first.person.id
    assert again.person.locale == "zh_CN"
    async with deps.db.read() as s:
        assert await s.scalar(select(func.count()).select_from(Person)) == 1
    assert await audit_actions(deps) == ["person.seen", "person.started", "person.locale"]


async def test_timestamps_are_aware_utc_after_a_round_trip(deps: Deps, clock: MovableClock) -> None:
    await people.start(deps, ALICE)
    async with deps.db.read() as s:
        person = await s.scalar(select(Person))
    assert person is not None and person.started_at == clock.now()
    assert person.started_at.utcoffset() == timedelta(0)


async def test_locale_falls_back_from_telegram_language(deps: Deps) -> None:
    assert await people.locale_for(deps, ALICE) == "zh_CN"  # zh-hans, unknown person
    assert await people.locale_for(deps, TgUser(5, "E", language_code="en-GB")) == "en"
    assert await people.locale_for(deps, TgUser(6, "R", language_code="ru")) == "zh_CN"
    await people.start(deps, ALICE)
    await people.set_locale(deps, ALICE, "en")
    assert await people.locale_for(deps, ALICE) == "en"
    with pytest.raises(InvalidInput):
        await people.set_locale(deps, ALICE, "fr")


async def test_bootstrap_admins_granted_once_and_audited(deps: Deps) -> None:
    assert await grants.ensure_bootstrap_admins(deps) == 1
    assert await grants.ensure_bootstrap_admins(deps) == 0
    admin = await people.identify(deps, ADMIN, private=True)
    assert admin.is_admin and admin.name == "Ada"
    async with deps.db.read() as s:
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.action == "role.grant"))
    assert entry is not None and entry.clause == "R4"
    assert entry.data["source"] == "DUTYDESK_ADMIN_IDS"


async def test_grant_writes_role_audit_and_notice_in_one_go(deps: Deps) -> None:
    await grants.ensure_bootstrap_admins(deps)
    alice = (await people.start(deps, ALICE)).person
    change = await grants.change_role(
        deps, ADMIN, person_id=alice.id, role=Role.SECRETARY, grant=True
    )
    assert change.granted and change.target_told
    assert change.target.roles == {Role.SECRETARY}
    assert (await audit_actions(deps))[-1] == "role.grant"
    [notice] = await outbox_rows(deps)
    assert notice.chat_id == ALICE.id and notice.template == "role.granted"
    assert notice.status == OutboxStatus.PENDING
    assert notice.params["role"] == "secretary" and notice.params["by"] == "Ada"


async def test_double_tap_changes_nothing_twice(deps: Deps) -> None:
    await grants.ensure_bootstrap_admins(deps)
    alice = (await people.start(deps, ALICE)).person
    await grants.change_role(deps, ADMIN, person_id=alice.id, role=Role.OFFICE, grant=True)
    with pytest.raises(AlreadyDone):
        await grants.change_role(deps, ADMIN, person_id=alice.id, role=Role.OFFICE, grant=True)
    async with deps.db.read() as s:
        assert await s.scalar(select(func.count()).select_from(RoleGrant)) == 2  # admin + office
    assert len(await outbox_rows(deps)) == 1


async def test_non_admin_cannot_grant_and_nothing_changes(deps: Deps) -> None:
    alice = (await people.start(deps, ALICE)).person
    await people.start(deps, BOB)
    before = await audit_actions(deps)
    with pytest.raises(NotAllowed):
        await grants.change_role(deps, BOB, person_id=alice.id, role=Role.ADMIN, grant=True)
    assert await audit_actions(deps) == before
    assert await outbox_rows(deps) == []


async def test_revoked_role_no_longer_counts(deps: Deps) -> None:
    await grants.ensure_bootstrap_admins(deps)
    alice = (await people.start(deps, ALICE)).person
    await grants.change_role(deps, ADMIN, person_id=alice.id, role=Role.ADMIN, grant=True)
    await grants.change_role(deps, ADMIN, person_id=alice.id, role=Role.ADMIN, grant=False)
    with pytest.raises(NotAllowed):
        await grants.change_role(deps, ALICE, person_id=alice.id, role=Role.OFFICE, grant=True)
    templates = [m.template for m in await outbox_rows(deps)]
    assert templates == ["role.granted", "role.revoked"]


async def test_only_one_secretary_and_no_self_lockout(deps: Deps) -> None:
    await grants.ensure_bootstrap_admins(deps)
    admin = await people.identify(deps, ADMIN, private=True)
    alice = (await people.start(deps, ALICE)).person
    bob = (await people.start(deps, BOB)).person
    await grants.change_role(deps, ADMIN, person_id=alice.id, role=Role.SECRETARY, grant=True)
    with pytest.raises(InvalidInput) as err:
        await grants.change_role(deps, ADMIN, person_id=bob.id, role=Role.SECRETARY, grant=True)
    assert err.value.params["name"] == "Alice Wang"
    with pytest.raises(InvalidInput):
        await grants.change_role(deps, ADMIN, person_id=admin.id, role=Role.ADMIN, grant=False)


async def test_role_for_someone_who_never_started_is_held_then_released(deps: Deps) -> None:
    await grants.ensure_bootstrap_admins(deps)
    carol = await grants.register_target(deps, ADMIN, TgUser(1003, "Carol"))
    assert not carol.started
    change = await grants.change_role(deps, ADMIN, person_id=carol.id, role=Role.DEPUTY, grant=True)
    assert not change.target_told
    [held] = await outbox_rows(deps)
    assert held.status == OutboxStatus.HELD
    await people.start(deps, TgUser(1003, "Carol"))
    [released] = await outbox_rows(deps)
    assert released.status == OutboxStatus.PENDING


async def test_committee_head_of_a_named_committee(deps: Deps) -> None:
    await grants.ensure_bootstrap_admins(deps)
    alice = (await people.start(deps, ALICE)).person
    cid, name = await committees.create_committee(deps, ADMIN, "  教科文卫   委员会 ")
    assert name == "教科文卫 委员会"
    assert await committees.create_committee(deps, ADMIN, "教科文卫 委员会") == (cid, name)
    change = await grants.change_role(
        deps, ADMIN, person_id=alice.id, role=Role.COMMITTEE_HEAD, grant=True, committee_id=cid
    )
    assert change.target.committees_headed == ("教科文卫 委员会",)
    with pytest.raises(InvalidInput):
        await grants.change_role(
            deps, ADMIN, person_id=alice.id, role=Role.COMMITTEE_HEAD, grant=True
        )
    with pytest.raises(InvalidInput):
        await committees.create_committee(deps, ADMIN, "x" * 65)


async def test_office_is_told_once_about_a_person_who_cannot_be_reached(deps: Deps) -> None:
    from bot.people.undeliverable import report_undeliverable

    await grants.ensure_bootstrap_admins(deps)
    office = (await people.start(deps, TgUser(1005, "Ou"))).person
    await grants.change_role(deps, ADMIN, person_id=office.id, role=Role.OFFICE, grant=True)
    carol = await grants.register_target(deps, ADMIN, TgUser(1003, "Carol"))
    await grants.change_role(deps, ADMIN, person_id=carol.id, role=Role.DEPUTY, grant=True)
    await grants.change_role(deps, ADMIN, person_id=carol.id, role=Role.DEPUTY, grant=False)
    assert await report_undeliverable(deps) == 1
    assert await report_undeliverable(deps) == 0  # once, however many messages wait
    told = [m for m in await outbox_rows(deps) if m.template == "person.undeliverable"]
    assert [(m.chat_id, m.params["reason"]) for m in told] == [(1005, "not_started")]
    await people.start(deps, TgUser(1003, "Carol"))  # she starts: held messages go out
    assert await report_undeliverable(deps) == 0
    await people.mark_blocked(deps, carol.id)  # later she blocks the bot: told again, once
    await grants.change_role(deps, ADMIN, person_id=carol.id, role=Role.OFFICE, grant=True)
    assert await report_undeliverable(deps) == 1
    told = [m for m in await outbox_rows(deps) if m.template == "person.undeliverable"]
    assert told[-1].params["reason"] == "blocked"


async def test_who_is_acting_in_one_statement_is_the_same_person_as_through_the_orm(
    deps: Deps,
) -> None:
    """docs/decisions/006-performance.md: `identify` reads person, committee and active grants in
    one SELECT when
    nothing needs writing; what it returns must be what the ORM's view says."""
    await grants.ensure_bootstrap_admins(deps)
    alice = (await people.start(deps, ALICE)).person
    culture, _ = await committees.create_committee(deps, ADMIN, "教科文卫委员会")
    welfare, _ = await committees.create_committee(deps, ADMIN, "社会福利委员会")
    for cid in (welfare, culture):
        await grants.change_role(
            deps, ADMIN, person_id=alice.id, role=Role.COMMITTEE_HEAD, grant=True, committee_id=cid
        )
    await grants.change_role(deps, ADMIN, person_id=alice.id, role=Role.OFFICE, grant=True)
    await grants.change_role(deps, ADMIN, person_id=alice.id, role=Role.DEPUTY, grant=True)
    await grants.change_role(deps, ADMIN, person_id=alice.id, role=Role.DEPUTY, grant=False)
    await committees.set_committee(deps, ADMIN, person_id=alice.id, committee_id=culture)

    statements: list[str] = []
    event.listen(
        deps.db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2])
    )
    seen = await people.identify(deps, ALICE, private=True)
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")
    async with deps.db.read() as s:
        assert seen == view(await people.reload(s, alice.id))
    assert seen.roles == {Role.COMMITTEE_HEAD, Role.OFFICE}
    assert seen.committees_headed == ("教科文卫委员会", "社会福利委员会")
    assert seen.committee == "教科文卫委员会" and seen.name == "Alice Wang"


async def test_a_renamed_or_returning_person_is_written_as_before(deps: Deps) -> None:
    """When something is due (a new name, writing again after blocking the bot) the
    one-statement path steps aside and the change is recorded."""
    alice = (await people.start(deps, ALICE)).person
    renamed = await people.identify(
        deps, TgUser(1001, "Alicia", "Wang", "alice_w", "en"), private=False
    )
    assert renamed.name == "Alicia Wang"
    assert (await people.identify(deps, TgUser(1001), private=False)).name == "Alicia Wang"
    await people.mark_blocked(deps, alice.id)
    await people.identify(deps, ALICE, private=True)  # writes to the bot again
    async with deps.db.read() as s:
        row = await s.get(Person, alice.id)
        assert row is not None and row.blocked_at is None and row.first_name == "Alice"
