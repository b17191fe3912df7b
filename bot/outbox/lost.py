"""Telling people, once, about messages that ended failed or uncertain.

A message given up (after retries, or refused by Telegram) or an at-most-once notice whose send
broke off (an "approved" that may or may not have arrived) used to reach only the log. The admins
are told of every one; the office too when it is a decision notice (at-most-once), since the
office answers for the requester being told. Each alert names the record, the recipient and what
to do; a message is alerted once (outbox.alerted_at), in the transaction that queues the alert.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.chats.models import ChatBinding
from bot.deps import Deps
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage, OutboxStatus, Semantics
from bot.people.directory import people_with_role
from bot.people.models import Person
from bot.people.roles import Role

log = logging.getLogger(__name__)

TEMPLATE = "outbox.lost"
PER_ALERT = 10  # items named in one alert; the rest are counted
LOST = (OutboxStatus.FAILED, OutboxStatus.UNCERTAIN)


async def report_lost(deps: Deps, limit: int = 200) -> int:
    """Alert about every failed or uncertain message nobody was told about; returns how many."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        lost = list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.status.in_(LOST), OutboxMessage.alerted_at.is_(None))
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
        )
        if not lost:
            return 0
        names = await _names(session, lost)
        items: list[dict[str, Any]] = []
        for message in lost:
            message.alerted_at = now
            record(
                session,
                at=now,
                action="delivery.lost",
                subject_type="outbox",
                subject_id=message.id,
                status=message.status,
                template=message.template,
                ref=message.params.get("ref"),
                error=message.last_error,
            )
            log.warning(
                "outbox message %s ended %s (%s): %s",
                message.id,
                message.status,
                message.template,
                message.last_error,
            )
            if message.template != TEMPLATE:  # an alert that was lost is not alerted about
                items.append(_item(message, names))
        admins = await people_with_role(session, Role.ADMIN, with_grants=False)
        office = await people_with_role(session, Role.OFFICE, with_grants=False)
        admin_ids = {p.id for p in admins}
        for person in {p.id: p for p in [*admins, *office]}.values():
            mine = [i for i in items if person.id in admin_ids or i["decision"]]
            if mine:  # one alert per reader and pass: an outage does not become a flood
                outbox.notify_person(
                    session,
                    now=now,
                    person=person,
                    template=TEMPLATE,
                    params={"items": mine[:PER_ALERT], "more": len(mine) - PER_ALERT},
                )
        return len(lost)


def _item(message: OutboxMessage, names: dict[int, str]) -> dict[str, Any]:
    """What the alert says of one message (rendered in each reader's language at delivery)."""
    key = message.person_id if message.person_id is not None else message.chat_id
    return {
        "id": message.id,
        "status": message.status,
        "ref": str(message.params.get("ref") or ""),
        "to": names.get(key, ""),
        "template": message.template,
        "params": message.params,
        "error": (message.last_error or "")[:200],
        "decision": message.semantics == Semantics.AT_MOST_ONCE,
    }


async def _names(session: AsyncSession, lost: list[OutboxMessage]) -> dict[int, str]:
    """The recipients as people know them: a person's name, a group's title."""
    person_ids = {m.person_id for m in lost if m.person_id is not None}
    chat_ids = {m.chat_id for m in lost if m.person_id is None}
    names: dict[int, str] = {}
    if person_ids:
        people = await session.scalars(select(Person).where(Person.id.in_(person_ids)))
        names.update({p.id: p.display_name for p in people})
    if chat_ids:
        rows = await session.execute(
            select(ChatBinding.chat_id, ChatBinding.title).where(ChatBinding.chat_id.in_(chat_ids))
        )
        names.update({cid: title for cid, title in rows})
    return names
