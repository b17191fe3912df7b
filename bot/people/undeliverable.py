"""Telling the office, once per person, that messages to somebody cannot be delivered.

A person who never pressed Start, who blocked the bot, or whose account was deleted gets nothing
from Telegram (403). Their messages wait (outbox HELD); the office learns of it once, and why
(each calls for something else: ask them to press Start, to unblock, or hand their work on), and
the other recipients are never held up by it.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.audit.service import record
from bot.deps import Deps
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage, OutboxStatus
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role


async def report_undeliverable(deps: Deps, limit: int = 50) -> int:
    """Report every person with held messages whom the office has not been told about yet."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        waiting = select(OutboxMessage.person_id).where(OutboxMessage.status == OutboxStatus.HELD)
        people = list(
            await session.scalars(
                select(Person)
                .where(Person.id.in_(waiting), Person.undeliverable_reported_at.is_(None))
                .order_by(Person.id)
                .limit(limit)
            )
        )
        if not people:
            return 0
        office = await people_with_role(session, Role.OFFICE) or await people_with_role(
            session, Role.ADMIN
        )
        for person in people:
            person.undeliverable_reported_at = now
            reason = (
                "deleted"
                if person.deleted_at is not None
                else "blocked"
                if person.blocked_at is not None
                else "not_started"
            )
            record(
                session,
                at=now,
                action="delivery.undeliverable",
                subject_type="person",
                subject_id=person.id,
                reason=reason,
            )
            for staff in office:
                if staff.id == person.id:
                    continue
                outbox.notify_person(
                    session,
                    now=now,
                    person=staff,
                    template="person.undeliverable",
                    params={
                        "name": person.display_name,
                        "reason": reason,
                        "username": person.username or "",
                    },
                )
        return len(people)
