"""The outbox delivery task: sends queued messages after their transaction committed
(docs/decisions/005-outbox-guarantees.md).

Which messages are at-most-once and which at-least-once is decided where they are queued
(bot.outbox.models.Semantics); here a timed-out send is retried only for at-least-once ones.
"""

from __future__ import annotations

import asyncio
import logging
import time
from asyncio import FIRST_COMPLETED
from datetime import timedelta

from sqlalchemy import select
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.chats import lost as lost_groups
from bot.chats import service as chats
from bot.deps import Deps
from bot.i18n import normalize_language
from bot.inbox import service as inbox
from bot.outbox import service as outbox
from bot.outbox.lost import LOST, report_lost
from bot.outbox.models import OutboxMessage, OutboxStatus, Semantics
from bot.people import service as people
from bot.people.models import Person
from bot.people.undeliverable import report_undeliverable
from runtime import queued_answers as answers
from runtime.durable import ANSWER
from runtime.metrics import Metrics
from runtime.outgoing import Outgoing
from runtime.pacing import Pacer, Send
from runtime.transport import Broken
from runtime.worker import Worker

log = logging.getLogger(__name__)

BATCH = 50
# Sends on their way at once (to different chats): one at a time, each send's round trip and
# bookkeeping capped a broadcast at about 25 of Telegram's 30 messages/s
# (docs/decisions/006-performance.md).
IN_FLIGHT = 4
REPORT_EVERY = 30.0  # seconds between looks for people nobody told the office about


class Deliverer(Worker):
    """Sends due outbox messages; woken at once after a commit, or every `idle` seconds."""

    name = "outbox-delivery"

    def __init__(
        self,
        deps: Deps,
        bot: Bot,
        pacer: Pacer | None = None,
        idle: float = 1.0,
        metrics: Metrics | None = None,
    ):
        super().__init__(idle)
        self.deps = deps
        self.metrics = metrics
        self.bot = bot
        self.pacer = pacer or Pacer()
        self.outgoing = Outgoing(deps, bot)
        self._report_due = False
        self._next_report = 0.0
        self._soonest = idle  # seconds until a chat that had to wait may have its message
        self._after_update = False  # woken while an update was being handled

    def wake(self) -> None:
        """Called after a commit that queued messages. During an update, the person's own
        answer goes first: the wake-up waits for `update_done` (the card a report sends to its
        handler was competing with the reporter's answer for the one core:
        docs/decisions/006-performance.md)."""
        if inbox.current() is not None:
            self._after_update = True
        else:
            self._wake.set()

    def update_done(self) -> None:
        if self._after_update:
            self._after_update = False
            self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wait(min(self.idle, self._soonest))
            self._soonest = self.idle  # lowered by deliver_once for a chat that must wait
            try:
                while await self.deliver_once():
                    pass
                # Once per person, the office learns who cannot be reached (and why), and the
                # admins every message that failed or may not have arrived: checked right after
                # such an outcome, else every REPORT_EVERY seconds, not on every wake-up.
                if self._report_due or time.monotonic() >= self._next_report:
                    self._report_due = False
                    self._next_report = time.monotonic() + REPORT_EVERY
                    await report_undeliverable(self.deps)
                    await report_lost(self.deps)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox delivery failed; retrying in %.0f s", self.idle)

    async def deliver_once(self) -> int:
        """Send what may go now; returns how many were attempted (0: nothing to do now)."""
        now = self.deps.clock.now()
        async with self.deps.db.read() as session:
            candidates = await outbox.due(session, now=now, limit=BATCH)
            locales = await self._locales(session, candidates)
        attempted = 0
        sending: set[asyncio.Task[None]] = set()
        busy: set[int] = set()  # chats with a message on its way: theirs go one at a time
        try:
            for message in candidates:
                if message.chat_id in busy:
                    continue
                chat_wait = self.pacer.chat_wait(message.chat_id)
                if chat_wait > 0:  # this chat must wait; others go on
                    self._soonest = min(self._soonest, chat_wait)
                    continue
                # Telegram's total (30/s) is everyone's: wait the few ms for the outbox's share
                # rather than skip the batch until the next wake-up (a broadcast went out at 1
                # message/s).
                await asyncio.sleep(self.pacer.outbox_wait(message.chat_id))
                async with self.deps.db.core() as connection:
                    if not await outbox.claim(connection, message.id):
                        continue
                attempted += 1
                # Answers may have taken the room while the claim was written: look again.
                send = await self.pacer.outbox_turn(message.chat_id)
                busy.add(message.chat_id)
                if len(sending) >= IN_FLIGHT:
                    done, sending = await asyncio.wait(sending, return_when=FIRST_COMPLETED)
                    _log_failures(done)
                locale = locales.get(message.person_id)
                sending.add(asyncio.create_task(self._send(message, locale, send)))
        finally:
            if sending:
                done, _ = await asyncio.wait(sending)
                _log_failures(done)
        return attempted

    async def _locales(
        self, session: object, messages: list[OutboxMessage]
    ) -> dict[int | None, str]:
        ids = {m.person_id for m in messages if m.person_id is not None}
        if not ids:
            return {}
        assert hasattr(session, "execute")
        rows = await session.execute(
            select(Person.id, Person.locale, Person.language_code).where(Person.id.in_(ids))
        )
        default = self.deps.settings.default_locale
        return {pid: loc or normalize_language(code, default) for pid, loc, code in rows}

    async def _send(self, message: OutboxMessage, locale: str | None, send: Send) -> None:
        if message.template == ANSWER and await answers.superseded(self.deps, message):
            self.pacer.answered(send)
            await self._settle(message, OutboxStatus.SUPERSEDED, "the person moved on")
            return
        text, markup = self.outgoing.compose(message, locale)
        try:
            sent = await self._post(message, text, markup, send)
        except TelegramError as exc:
            await self._failed(message, exc)
        else:
            self._count("sent")
            async with self.deps.db.core() as connection:
                await outbox.mark_sent(
                    connection,
                    message_id=message.id,
                    now=self.deps.clock.now(),
                    telegram_message_id=sent,
                )

    async def _failed(self, message: OutboxMessage, exc: TelegramError) -> None:
        """What Telegram's refusal of `message` leads to: a retry, a settled state, a notice."""
        if isinstance(exc, RetryAfter):
            if self.metrics is not None:
                self.metrics.flood.labels("outbox").inc()
            seconds = _seconds(exc.retry_after)
            self.pacer.back_off(message.chat_id, seconds)
            await self._retry(message, f"429 retry after {seconds:.0f} s", seconds, count=False)
        elif isinstance(exc, ChatMigrated):
            await chats.migrate(self.deps, old_chat_id=message.chat_id, new_chat_id=exc.new_chat_id)
            await self._retry(message, "chat migrated", 0, count=False)
        elif isinstance(exc, Forbidden):
            await self._forbidden(message, exc.message)
        elif isinstance(exc, BadRequest):
            # Not transient: chat not found, or a message Telegram refuses (a bug to fix).
            log.error("outbox message %s refused: %s", message.id, exc.message)
            await self._settle(message, OutboxStatus.FAILED, exc.message)
        elif isinstance(exc, NetworkError):
            # A timeout, or a connection that broke after the request went out, may have
            # delivered it (docs/decisions/001-telegram-limits.md): only at-least-once goes again.
            error = f"{'timed out' if isinstance(exc, TimedOut) else 'network'}: {exc.message}"
            if message.semantics == Semantics.AT_MOST_ONCE and _maybe_sent(exc):
                await self._settle(message, OutboxStatus.UNCERTAIN, error)
            else:
                await self._retry(message, error, None)
        else:
            await self._retry(message, exc.message, None)

    async def _post(
        self, message: OutboxMessage, text: str, markup: InlineKeyboardMarkup | None, send: Send
    ) -> int:
        """Telegram's answer (or the failure) is told to the pacer as it comes."""
        try:
            return await self.outgoing.post(message, text, markup)
        finally:
            self.pacer.answered(send)

    async def _retry(
        self, message: OutboxMessage, error: str, seconds: float | None, count: bool = True
    ) -> None:
        attempts = message.attempts + 1 if count else message.attempts
        delay = outbox.backoff(attempts) if seconds is None else timedelta(seconds=seconds)
        final = count and attempts >= outbox.MAX_ATTEMPTS
        self._count("failed" if final else "retry")
        async with self.deps.db.transaction() as session:
            if not count:
                row = await session.get(OutboxMessage, message.id)
                if row is not None:
                    row.attempts = message.attempts  # a 429 or migration is not a failure
            await outbox.mark_retry(
                session,
                message_id=message.id,
                not_before=self.deps.clock.now() + delay,
                error=error,
                final=final,
            )
        if final:
            self._report_due = True
            log.error(
                "outbox message %s given up after %d attempts: %s", message.id, attempts, error
            )

    async def _forbidden(self, message: OutboxMessage, error: str) -> None:
        """403: never started, blocked or deleted → held for the person's return (released by
        their next message to the bot), recorded, and the office told which; a group that
        removed the bot → its binding is lost, the message goes to the group's stand-ins and
        the administrators are told (bot.chats.lost)."""
        if message.person_id is None:
            await self._settle(message, OutboxStatus.FAILED, error)
            if message.chat_id < 0:  # groups have negative ids
                await lost_groups.lost(self.deps, message.chat_id, failed_id=message.id)
            return
        await self._settle(message, OutboxStatus.HELD, error)
        self._report_due = True
        # Telegram's words: "user is deactivated" (deleted), "bot was blocked by the user".
        if "deactivated" in error:
            await people.mark_blocked(self.deps, message.person_id, deleted=True)
        elif "blocked" in error:
            await people.mark_blocked(self.deps, message.person_id)

    def _count(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.sends.labels(outcome).inc()

    async def _settle(self, message: OutboxMessage, status: OutboxStatus, error: str) -> None:
        self._count(str(status))
        if status in LOST:
            self._report_due = True
        async with self.deps.db.transaction() as session:
            await outbox.mark_settled(session, message_id=message.id, status=status, error=error)


def _log_failures(tasks: set[asyncio.Task[None]]) -> None:
    """A send that failed unexpectedly stays 'sending': recovered at the next start."""
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox delivery failed", exc_info=task.exception())


def _maybe_sent(exc: NetworkError) -> bool:
    """A timeout, or a connection that broke after the request went out (runtime.transport).
    A failed connect sent nothing; a 5xx is Telegram answering that it failed."""
    return isinstance(exc, TimedOut | Broken)


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]
