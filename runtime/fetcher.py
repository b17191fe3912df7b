"""The fetcher: keeps the office's copy of every file sent into a record (bot.files), after
the record's transaction committed; runs in the leader beside the outbox deliverer.

getFile, download, store under the file's SHA-256, mark kept. Telegram's answers decide the
rest: "file is too big" (over the Bot API's download limit) and an unknown file_id are final;
anything else is retried with backoff, and a restart retries at once (files.recover).
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import BadRequest, RetryAfter, TelegramError

from bot.deps import Deps
from bot.files import service as files
from bot.files import store
from bot.files.models import KeptFile, NotKept
from runtime.worker import Worker

log = logging.getLogger(__name__)

BATCH = 10


class Fetcher(Worker):
    """Fetches due files; woken after a commit that queued some, else every `idle` seconds."""

    name = "file-fetcher"

    def __init__(self, deps: Deps, bot: Bot, idle: float = 5.0) -> None:
        super().__init__(idle)
        self.deps = deps
        self.bot = bot

    async def _run(self) -> None:
        while True:
            await self._wait(self.idle)
            try:
                while await self.fetch_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("file fetching failed; retrying in %.0f s", self.idle)

    async def fetch_once(self) -> int:
        """Fetch what is due now; returns how many were tried (0: nothing to do)."""
        now = self.deps.clock.now()
        async with self.deps.db.transaction() as session:
            candidates = await files.due(session, now=now, limit=BATCH)
            claimed = [f for f in candidates if await files.claim(session, f, now=now)]
        for file in claimed:
            await self._fetch(file)
        return len(claimed)

    async def _fetch(self, file: KeptFile) -> None:
        deps = self.deps
        try:
            remote = await self.bot.get_file(file.file_id)
            content = bytes(await remote.download_as_bytearray())
        except BadRequest as exc:
            text = exc.message.lower()
            reason = NotKept.TOO_BIG if "too big" in text else NotKept.GONE
            log.warning("file %s cannot be kept: %s", file.id, exc.message)
            async with deps.db.transaction() as session:
                await files.mark_not_kept(
                    session, file_id=file.id, reason=reason, error=exc.message
                )
            return
        except (RetryAfter, TelegramError) as exc:
            await self._retry(file, f"{type(exc).__name__}: {exc.message}")
            return
        sha = await asyncio.to_thread(store.put, deps.settings.resolved_files_dir, content)
        async with deps.db.transaction() as session:
            await files.mark_kept(
                session, file_id=file.id, sha256=sha, size=len(content), now=deps.clock.now()
            )

    async def _retry(self, file: KeptFile, error: str) -> None:
        async with self.deps.db.transaction() as session:
            gave_up = await files.mark_retry(
                session,
                file_id=file.id,
                attempts=file.attempts + 1,
                now=self.deps.clock.now(),
                error=error,
            )
        if gave_up:
            log.error("file %s given up after %d attempts: %s", file.id, file.attempts + 1, error)
