"""Queue messages in the caller's transaction; claim and settle them for the delivery task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.outbox.models import OutboxMessage, OutboxStatus, Semantics
from bot.people.models import Person

# Backoff after transient failures (network, 5xx): 2, 4, 8 … capped at 5 minutes.
MAX_BACKOFF = timedelta(minutes=5)
# After this many transient failures the message is given up and recorded as failed.
MAX_ATTEMPTS = 12

# What delivery runs for every message, built once (docs/decisions/006-performance.md: building a
# statement cost more
# than running it).
_DUE = (
    select(OutboxMessage)
    .where(
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.not_before <= bindparam("now"),
    )
    .order_by(OutboxMessage.id)
    .limit(bindparam("limit"))
)
# A person who blocked the bot (or whose account is gone) since the message was queued: a
# transaction that read them before delivery's 403 was recorded queued it as pending.
_UNREACHABLE = (
    select(Person.id)
    .where(
        Person.id == OutboxMessage.person_id,
        or_(Person.blocked_at.is_not(None), Person.deleted_at.is_not(None)),
    )
    .exists()
)
_CLAIM = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id == bindparam("message_id"),
        OutboxMessage.status == OutboxStatus.PENDING,
        ~_UNREACHABLE,
    )
    .values(status=OutboxStatus.SENDING, attempts=OutboxMessage.attempts + 1)
)
_HOLD = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id == bindparam("message_id"),
        OutboxMessage.status == OutboxStatus.PENDING,
        _UNREACHABLE,
    )
    .values(status=OutboxStatus.HELD, last_error="recipient cannot be reached (403)")
)
_SENT = (
    update(OutboxMessage)
    .where(OutboxMessage.id == bindparam("message_id"))
    .values(
        status=OutboxStatus.SENT,
        sent_at=bindparam("now"),
        telegram_message_id=bindparam("tg"),
        last_error=None,
    )
)


@dataclass(frozen=True)
class Button:
    """An inline button: a msgid for its label (translated at delivery) and its callback data;
    translate=False: a label already in the recipient's language (an answer sent later)."""

    label: str
    data: str
    translate: bool = True

    def as_json(self) -> dict[str, str]:
        return {"label" if self.translate else "text": self.label, "data": self.data}


def enqueue(
    session: AsyncSession,
    *,
    now: datetime,
    chat_id: int,
    template: str,
    params: dict[str, Any] | None = None,
    person: Person | None = None,
    buttons: list[list[Button]] | None = None,
    semantics: Semantics = Semantics.AT_LEAST_ONCE,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue one message; it is sent after the surrounding transaction commits (and not before
    `not_before`, when given)."""
    # Telegram refuses a person who never pressed Start or who blocked the bot (403): hold the
    # message until they write to the bot again, instead of failing it (nothing is lost).
    held = person is not None and (
        person.started_at is None or person.blocked_at is not None or person.deleted_at is not None
    )
    message = OutboxMessage(
        created_at=now,
        chat_id=chat_id,
        person_id=person.id if person is not None else None,
        template=template,
        params=params or {},
        buttons=[[b.as_json() for b in row] for row in buttons] if buttons else None,
        semantics=semantics,
        # A person who never pressed Start cannot be written to (403): hold the message
        # until they do, instead of failing it (PRODUCT.md: nothing is lost).
        status=OutboxStatus.HELD if held else OutboxStatus.PENDING,
        attempts=0,
        not_before=not_before or now,
    )
    session.add(message)
    session.info["outbox_added"] = True
    return message


def notify_person(
    session: AsyncSession,
    *,
    now: datetime,
    person: Person,
    template: str,
    params: dict[str, Any] | None = None,
    buttons: list[list[Button]] | None = None,
    semantics: Semantics = Semantics.AT_LEAST_ONCE,
) -> OutboxMessage:
    """Queue a message to a person's private chat (whose id is their Telegram id)."""
    return enqueue(
        session,
        now=now,
        chat_id=person.telegram_id,
        template=template,
        params=params,
        person=person,
        buttons=buttons,
        semantics=semantics,
    )


def notify_files(
    session: AsyncSession,
    *,
    now: datetime,
    person: Person,
    ref: str,
    files: list[tuple[str, str]],
) -> None:
    """Attachments that follow a card: (file_id, "photo" | "document"), each captioned."""
    for number, (file_id, kind) in enumerate(files, 1):
        notify_person(
            session,
            now=now,
            person=person,
            template="file.attachment",
            params={
                "ref": ref,
                "number": number,
                "of": len(files),
                "file_id": file_id,
                "file_kind": kind,
            },
        )


async def release_held(session: AsyncSession, *, person_id: int, now: datetime) -> int:
    """The person pressed Start: their held messages become deliverable."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.person_id == person_id, OutboxMessage.status == OutboxStatus.HELD)
        .values(status=OutboxStatus.PENDING, not_before=now)
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        session.info["outbox_added"] = True
    return count


async def due(session: AsyncSession, *, now: datetime, limit: int) -> list[OutboxMessage]:
    """Messages ready to go, oldest first (read only: the caller claims what it can send)."""
    rows = await session.scalars(_DUE, {"now": now, "limit": limit})
    return list(rows.all())


async def hold_pending(session: AsyncSession, *, person_id: int) -> int:
    """The person blocked the bot: what is still queued for them waits for their return."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.person_id == person_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.HELD, last_error="recipient cannot be reached (403)")
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def claim(session: AsyncSession | AsyncConnection, message_id: int) -> bool:
    """Mark one message SENDING; False when somebody else claimed or settled it meanwhile.

    A crash after this leaves it SENDING, which recover_in_flight sorts out at the next start.
    A message for a person delivery has since found unreachable is held for their return
    instead (hold_pending missed it), never sent into another 403.
    """
    result = await session.execute(_CLAIM, {"message_id": message_id})
    if getattr(result, "rowcount", 0):
        return True
    await session.execute(_HOLD, {"message_id": message_id})
    return False


async def recover_in_flight(session: AsyncSession, *, now: datetime) -> tuple[int, int]:
    """At start-up: messages left SENDING by a crash. Returns (requeued, marked uncertain).

    At-least-once messages go out again; at-most-once ones are marked uncertain, because the
    send may have reached Telegram before the crash and a duplicate would mislead.
    """
    requeued = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.semantics == Semantics.AT_LEAST_ONCE,
        )
        .values(status=OutboxStatus.PENDING, not_before=now)
    )
    uncertain = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.semantics == Semantics.AT_MOST_ONCE,
        )
        .values(status=OutboxStatus.UNCERTAIN, last_error="interrupted while sending")
    )
    return int(getattr(requeued, "rowcount", 0) or 0), int(getattr(uncertain, "rowcount", 0) or 0)


def backoff(attempts: int) -> timedelta:
    """The wait before a message's next attempt: 2, 4, 8 … s, at most MAX_BACKOFF
    (docs/decisions/005-outbox-guarantees.md)."""
    return min(timedelta(seconds=2**attempts), MAX_BACKOFF)


async def move_chat(session: AsyncSession, *, old_chat_id: int, new_chat_id: int) -> int:
    """A group became a supergroup: queued messages follow it to its new id."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.chat_id == old_chat_id,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        .values(chat_id=new_chat_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def mark_sent(
    session: AsyncSession | AsyncConnection,
    *,
    message_id: int,
    now: datetime,
    telegram_message_id: int,
) -> None:
    """Record that the message was sent, and Telegram's id for it."""
    await session.execute(_SENT, {"message_id": message_id, "now": now, "tg": telegram_message_id})


async def mark_retry(
    session: AsyncSession, *, message_id: int, not_before: datetime, error: str, final: bool
) -> None:
    """Put a message back for a later attempt, or give it up when `final`."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            status=OutboxStatus.FAILED if final else OutboxStatus.PENDING,
            not_before=not_before,
            last_error=error[:500],
        )
    )


async def mark_settled(
    session: AsyncSession, *, message_id: int, status: OutboxStatus, error: str
) -> None:
    """A final outcome other than sent: held (never started), failed, uncertain."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status=status, last_error=error[:500])
    )
