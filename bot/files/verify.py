"""`dutydesk files verify`: every kept file re-hashed against the SHA-256 it was kept under."""

from __future__ import annotations

from bot.clock import SystemClock
from bot.config import Settings
from bot.db.engine import Database, create_engine
from bot.deps import Deps
from bot.files import service as files

EXIT_PROBLEMS = 1


async def report(settings: Settings) -> int:
    """Prints what was checked and each missing or altered file; 1 when any, else 0."""
    db = Database(create_engine(settings.resolved_database_url))
    try:
        checked, problems = await files.verify(Deps(settings=settings, db=db, clock=SystemClock()))
    finally:
        await db.dispose()
    root = settings.resolved_files_dir
    for p in problems:
        print(f"{p.problem.upper()}: {p.name or '(no name)'} sha256={p.sha256} file_id={p.file_id}")
    if problems:
        print(f"{len(problems)} of {checked} kept file(s) missing or altered in {root}")
        return EXIT_PROBLEMS
    print(f"{checked} kept file(s) checked in {root}: all whole")
    return 0
