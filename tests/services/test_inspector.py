"""The inspector on a real database (SQLite and PostgreSQL), R7 and C: appointed by the
secretary or an administrator for some days, reads the whole ledger (of a named period) and
nothing else, every reading audited; the appointment ends by itself."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import InvalidInput, NotAllowed
from bot.events import service as events
from bot.incidents.service import file_report
from bot.ledger import service as ledger
from bot.ledger.period import between
from bot.outbox.models import OutboxMessage
from bot.people import admission, inspectors
from bot.people import service as people
from bot.people.view import TgUser
from bot.policy.schema import People
from tests.support.events import draft, staff
from tests.support.incidents import draft as incident
from tests.support.staff import ADMIN, MEMBER, OFFICE, SECRETARY

IDA = TgUser(3001, "Ida", username="ida", language_code="zh-hans")  # of the inspection group


async def appoint(deps: Deps, **period: str) -> int:
    """Ida presses Start (not admitted: the door is "approve"), then is appointed inspector
    from 24 to 30 November."""
    await staff(deps)
    deps.policy = deps.policy.model_copy(update={"people": People(admission="approve")})
    ida = (await people.start(deps, IDA)).person
    assert not ida.admitted
    await inspectors.grant(
        deps, SECRETARY, person_id=ida.id, first_day="2026-11-24", last_day="2026-11-30", **period
    )
    return ida.id


async def readings(deps: Deps) -> list[AuditEntry]:
    async with deps.db.read() as s:
        rows = await s.scalars(select(AuditEntry).where(AuditEntry.action == "ledger.read"))
        return list(rows)


async def test_only_the_secretary_or_an_admin_appoints(deps: Deps) -> None:
    await staff(deps)
    ida = (await people.start(deps, IDA)).person
    for who in (OFFICE, MEMBER):
        with pytest.raises(NotAllowed):
            await inspectors.grant(
                deps, who, person_id=ida.id, first_day="2026-11-24", last_day="2026-11-30"
            )
    with pytest.raises(InvalidInput):
        await inspectors.grant(
            deps, ADMIN, person_id=ida.id, first_day="2026-11-30", last_day="2026-11-24"
        )
    await inspectors.grant(
        deps, ADMIN, person_id=ida.id, first_day="2026-11-24", last_day="2026-11-30"
    )
    async with deps.db.read() as s:
        (told,) = await s.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "inspector.granted")
        )
        (entry,) = await s.scalars(
            select(AuditEntry).where(AuditEntry.action == "inspector.granted")
        )
    assert told.chat_id == IDA.id and entry.clause == "R7"


async def test_an_inspector_reads_everything_audited_and_nothing_else(deps: Deps) -> None:
    ida = await appoint(deps)
    await file_report(deps, MEMBER, incident())
    await events.submit(deps, MEMBER, draft())
    period = between(date(2026, 10, 1), date(2026, 11, 30), deps.zone)
    book = await ledger.build(deps, IDA, period)
    assert book.scope.level == "all" and len(book.incidents) == 1 and len(book.events) == 1
    (read,) = await readings(deps)
    assert read.actor_id == ida and read.clause == "R7" and read.data["period"] == period.key
    await ledger.build(deps, IDA, period, export=True)
    assert len(await readings(deps)) == 2  # every reading
    await admission.gate(deps, IDA, reading=True)  # the ledger's door is open to them
    with pytest.raises(NotAllowed) as refused:  # every other door is not
        await admission.gate(deps, IDA)
    assert refused.value.key == inspectors.SAYS
    with pytest.raises(NotAllowed):
        await file_report(deps, IDA, incident())
    with pytest.raises(NotAllowed):
        await events.submit(deps, IDA, draft())
    # A member's reading is not an inspection: not recorded as one.
    await ledger.build(deps, MEMBER, period)
    assert len(await readings(deps)) == 2


async def test_an_inspector_reads_only_the_named_period(deps: Deps) -> None:
    await appoint(deps, period_first="2026-01-01", period_last="2026-09-30")
    inside = between(date(2026, 7, 1), date(2026, 9, 30), deps.zone)
    assert (await ledger.build(deps, IDA, inside)).period == inside
    outside = between(date(2026, 7, 1), date(2026, 11, 30), deps.zone)
    with pytest.raises(NotAllowed) as refused:
        await ledger.build(deps, IDA, outside)
    assert refused.value.params == {"first": "2026-01-01", "last": "2026-09-30"}
    assert len(await readings(deps)) == 1  # the refused reading read nothing


async def test_the_appointment_ends_by_itself(deps: Deps, clock: MovableClock) -> None:
    await appoint(deps)
    period = between(date(2026, 10, 1), date(2026, 10, 31), deps.zone)
    await ledger.build(deps, IDA, period)
    clock.advance(timedelta(days=6, hours=14))  # 1 December, 00:00 in Shanghai
    with pytest.raises(NotAllowed) as refused:
        await ledger.build(deps, IDA, period)
    assert refused.value.key == people.PENDING_SAYS  # back to what they were: not a member
    with pytest.raises(NotAllowed):
        await admission.gate(deps, IDA, reading=True)


async def test_not_yet_in_office(deps: Deps) -> None:
    await staff(deps)
    deps.policy = deps.policy.model_copy(update={"people": People(admission="approve")})
    ida = (await people.start(deps, IDA)).person
    await inspectors.grant(
        deps, ADMIN, person_id=ida.id, first_day="2026-12-01", last_day="2026-12-31"
    )
    with pytest.raises(NotAllowed):
        await admission.gate(deps, IDA, reading=True)
    with pytest.raises(NotAllowed):
        await ledger.build(deps, IDA, between(date(2026, 10, 1), date(2026, 10, 31), deps.zone))


async def test_the_office_sees_who_read_what_under_r7(deps: Deps) -> None:
    await appoint(deps)
    period = between(date(2026, 10, 1), date(2026, 11, 30), deps.zone)
    await ledger.build(deps, IDA, period)
    book = await ledger.build(deps, OFFICE, period, clause="R7")
    read = [e for e in book.evidence("R7") if "ledger.read" in str(e)]
    assert len(read) == 1 and "Ida" in str(read[0])
