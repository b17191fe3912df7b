"""Logging that never shows the bot token (httpx logs request URLs, which contain it)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable


class RedactingFormatter(logging.Formatter):
    """Replaces every secret in the finished line, tracebacks included."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at `level`, with `secrets` (the token) redacted; quiet libraries that log
    request URLs or chatter."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and the URL holds the token
    # (docs/decisions/001-telegram-limits.md).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Below DEBUG the log is Duty Desk's own lines: Alembic's plugin and revision chatter and
    # PTB's "Application started" say nothing an operator acts on (bot.app and bot.db.migrate
    # log what happened in their own words). At DEBUG everything shows, for a developer.
    quiet = logging.WARNING if root.level > logging.DEBUG else logging.NOTSET
    for library in LIBRARIES:
        logging.getLogger(library).setLevel(quiet)


# tornado serves PTB's webhook and logs every request at INFO.
LIBRARIES = ("alembic", "telegram", "tornado", "aiohttp", "asyncio", "aiosqlite", "sqlalchemy")
