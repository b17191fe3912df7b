"""One bot per SQLite database: a second instance would split Telegram's updates with the first
(409 Conflict) and race on the file. PostgreSQL gets leader election instead."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url


class AlreadyRunning(Exception):
    """Another Duty Desk process holds this database."""


class InstanceLock:
    """An exclusive lock on `<database>.lock`, held for the life of the process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise AlreadyRunning(holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle  # the lock lives as long as this file stays open

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def lock_for(database_url: str) -> InstanceLock | None:
    """The lock a SQLite file database needs; None for other databases."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return InstanceLock(Path(url.database + ".lock"))
