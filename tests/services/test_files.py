"""The office keeps every file sent into a record (R7): fetched after the record's commit,
kept by its SHA-256, retried with backoff and after a restart, verified by re-hashing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import column, func, insert, select, table
from telegram import Bot

from bot.clock import MovableClock
from bot.deps import Deps
from bot.files import service as files
from bot.files import store
from bot.files.models import FileStatus, KeptFile, NotKept
from runtime.fetcher import Fetcher
from tests.support.standin_reading import ReadingStandIn

TOKEN = "4242:files-test-token-abcdefghijkl"
MB = 1024 * 1024


@pytest.fixture
async def standin() -> AsyncIterator[ReadingStandIn]:
    server = ReadingStandIn(TOKEN, "files_bot")
    await server.start(host="127.0.0.1", port=0)
    yield server
    await server.stop()


@pytest.fixture
async def bot(standin: ReadingStandIn) -> AsyncIterator[Bot]:
    async with Bot(
        TOKEN, base_url=f"{standin.url}/bot", base_file_url=f"{standin.url}/file/bot"
    ) as b:
        yield b


async def receive(deps: Deps, *attachments: dict[str, object]) -> None:
    """As a record's transaction does: the copies are queued with the record."""
    async with deps.db.transaction() as session:
        await files.keep(
            session, deps, now=deps.clock.now(), sender_id=None, attachments=list(attachments)
        )


async def row(deps: Deps, file_id: str) -> KeptFile:
    async with deps.db.read() as session:
        found = await session.scalar(select(KeptFile).where(KeptFile.file_id == file_id))
    assert found is not None
    return found


async def test_a_file_is_fetched_and_kept_under_its_sha256(
    deps: Deps, standin: ReadingStandIn, bot: Bot
) -> None:
    content = "会议纪要 minutes".encode() * 100
    file_id = standin.add_file(content, "纪要.pdf")
    att = {
        "file_id": file_id,
        "kind": "document",
        "name": "纪要.pdf",
        "size": len(content),
        "mime_type": "application/pdf",
    }
    await receive(deps, att)
    async with deps.db.read() as session:
        assert (await files.states(session, [file_id]))[file_id].status == FileStatus.FETCHING

    assert await Fetcher(deps, bot).fetch_once() == 1

    kept = await row(deps, file_id)
    assert kept.status == FileStatus.KEPT and kept.sha256 == store.digest(content)
    assert (kept.name, kept.mime_type, kept.size) == ("纪要.pdf", "application/pdf", len(content))
    assert kept.received_at == deps.clock.now() and kept.kept_at is not None
    root = deps.settings.resolved_files_dir
    assert root == deps.settings.data_dir / "files"
    assert store.path_for(root, kept.sha256).read_bytes() == content
    # The same file in another record (an event's next version) is kept once.
    await receive(deps, att)
    async with deps.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(KeptFile)) == 1
    assert await Fetcher(deps, bot).fetch_once() == 0
    # Telegram forgets it: the office's copy is still there.
    standin.forget_file(file_id)
    assert await files.kept_copy(deps, file_id) == (content, "纪要.pdf", "document")


async def test_a_file_over_the_download_limit_is_recorded_as_not_kept(
    deps: Deps, standin: ReadingStandIn, bot: Bot
) -> None:
    big = b"x" * (20 * MB + 1)
    declared = standin.add_file(big, "video.mp4")
    undeclared = standin.add_file(big, "scan.pdf")
    await receive(
        deps,
        {"file_id": declared, "kind": "document", "name": "video.mp4", "size": len(big)},
        {"file_id": undeclared, "kind": "document", "name": "scan.pdf"},  # size unknown
    )
    # Known too big when sent: recorded as not kept at once, never asked of Telegram.
    first = await row(deps, declared)
    assert (first.status, first.reason) == (FileStatus.NOT_KEPT, NotKept.TOO_BIG)
    # Found out from Telegram's answer: "file is too big".
    assert await Fetcher(deps, bot).fetch_once() == 1
    second = await row(deps, undeclared)
    assert (second.status, second.reason) == (FileStatus.NOT_KEPT, NotKept.TOO_BIG)
    assert "file is too big" in (second.last_error or "").lower()
    assert [c.params["file_id"] for c in standin.calls if c.method == "getfile"] == [undeclared]


async def test_a_self_hosted_bot_api_server_allows_larger_downloads(
    deps: Deps, standin: ReadingStandIn, bot: Bot
) -> None:
    deps.settings = deps.settings.model_copy(update={"max_download_mb": 50})
    standin.download_limit = 50 * MB
    big = b"y" * (20 * MB + 1)
    file_id = standin.add_file(big, "video.mp4")
    await receive(deps, {"file_id": file_id, "kind": "document", "size": len(big)})
    await Fetcher(deps, bot).fetch_once()
    assert (await row(deps, file_id)).status == FileStatus.KEPT


async def test_a_failed_fetch_is_retried_with_backoff_and_after_a_restart(
    deps: Deps, standin: ReadingStandIn, bot: Bot, clock: MovableClock
) -> None:
    file_id = standin.add_file(b"\x89PNG photo", "photo.jpg")
    await receive(deps, {"file_id": file_id, "kind": "photo"})
    standin.faults.fail_next("getFile", 502, times=2)

    assert await Fetcher(deps, bot).fetch_once() == 1
    failed = await row(deps, file_id)
    assert failed.status == FileStatus.FETCHING and failed.attempts == 1
    assert failed.not_before > clock.now() and failed.last_error
    assert await Fetcher(deps, bot).fetch_once() == 0  # not again before the backoff

    clock.advance(timedelta(minutes=1))
    assert await Fetcher(deps, bot).fetch_once() == 1  # fails again: a longer wait
    again = await row(deps, file_id)
    assert again.attempts == 2 and again.not_before - clock.now() > timedelta(seconds=10)

    # A restart (bot.app.on_startup) tries what is still to be fetched at once.
    async with deps.db.transaction() as session:
        assert await files.recover(session, now=clock.now()) == 1
    assert await Fetcher(deps, bot).fetch_once() == 1
    kept = await row(deps, file_id)
    assert kept.status == FileStatus.KEPT and kept.attempts == 3 and kept.last_error is None


async def test_a_file_telegram_no_longer_has_is_not_kept_with_the_reason(
    deps: Deps, standin: ReadingStandIn, bot: Bot
) -> None:
    file_id = standin.add_file(b"gone", "old.docx")
    await receive(deps, {"file_id": file_id, "kind": "document", "name": "old.docx"})
    standin.forget_file(file_id)
    await Fetcher(deps, bot).fetch_once()
    gone = await row(deps, file_id)
    assert (gone.status, gone.reason) == (FileStatus.NOT_KEPT, NotKept.GONE)
    assert "invalid file_id" in (gone.last_error or "").lower()
    assert await files.kept_copy(deps, file_id) is None


async def test_verify_lists_missing_and_altered_copies(
    deps: Deps, standin: ReadingStandIn, bot: Bot
) -> None:
    contents = [b"first", b"second", b"third"]
    ids = [standin.add_file(c, f"f{i}.txt") for i, c in enumerate(contents)]
    await receive(
        deps, *({"file_id": f, "kind": "document", "name": f"f{i}.txt"} for i, f in enumerate(ids))
    )
    await Fetcher(deps, bot).fetch_once()
    assert await files.verify(deps) == (3, [])

    root = deps.settings.resolved_files_dir
    altered = store.path_for(root, store.digest(b"second"))
    altered.chmod(0o644)  # kept read-only: only a person changes it
    altered.write_bytes(b"SECOND")
    store.path_for(root, store.digest(b"third")).unlink()
    checked, problems = await files.verify(deps)
    assert checked == 3
    assert [(p.name, p.problem) for p in problems] == [("f1.txt", "altered"), ("f2.txt", "missing")]
    # The bot never rewrites a kept copy, not even when the same bytes come again.
    store.put(root, b"second")
    assert altered.read_bytes() == b"SECOND"


def test_the_store_writes_once_read_only(tmp_path: Path) -> None:
    sha = store.put(tmp_path, b"evidence")
    path = store.path_for(tmp_path, sha)
    assert path.parent.parent.parent == tmp_path and path.name == sha
    assert path.stat().st_mode & 0o222 == 0
    assert store.put(tmp_path, b"evidence") == sha
    assert [p.name for p in path.parent.iterdir()] == [sha]  # no temporary left behind


def _of(model: Any, values: dict[str, Any]) -> Any:
    """`model`'s table with only the columns of `values` (a schema older than the model)."""
    return table(
        model.__tablename__,
        *(column(c.name, c.type) for c in model.__table__.c if c.name in values),
    )


async def test_files_on_record_before_the_upgrade_are_queued_to_be_kept(
    tmp_path: Path, clock: MovableClock
) -> None:
    """Migration 0019: the files of incidents filed before are fetched while Telegram still
    has them (SQLite here; the statement is plain SQL on both)."""
    from bot.db.engine import Database, create_engine
    from bot.db.migrate import upgrade
    from bot.incidents.models import Incident, IncidentAttachment
    from bot.people.models import Person

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    await upgrade(engine, "0018")  # the revision before kept_files
    old = Database(engine)
    now = clock.now()
    async with old.transaction() as session:
        person = Person(telegram_id=1, first_name="Mei", created_at=now, updated_at=now)
        session.add(person)
        await session.flush()
        # Only the columns of revision 0018: the models have grown since (0022).
        incident = dict(
            year=2026,
            number=1,
            kind="information",
            status="open",
            reporter_id=person.id,
            what="x",
            discovered_at=now,
            location="x",
            actions_taken="x",
            reported_at=now,
            discovered_precision="minute",
            needs_secretary_ack=False,
            escalation_level=0,
        )
        await session.execute(insert(_of(Incident, incident)).values(**incident))
        incident_id = await session.scalar(select(func.max(Incident.id)))
        for file_id in ("A", "A", "B"):  # the same file in two places is kept once
            att = dict(incident_id=incident_id, file_id=file_id, kind="photo", size=10)
            await session.execute(insert(_of(IncidentAttachment, att)).values(**att))
    await old.dispose()
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    await upgrade(engine)
    upgraded = Database(engine)
    try:
        async with upgraded.read() as session:
            rows = list(await session.scalars(select(KeptFile).order_by(KeptFile.file_id)))
        assert [(r.file_id, r.status, r.sender_id, r.size) for r in rows] == [
            ("A", FileStatus.FETCHING, 1, 10),
            ("B", FileStatus.FETCHING, 1, 10),
        ]
        async with upgraded.transaction() as session:
            later = now + timedelta(days=3650)  # the rows were queued at the real time
            due = await files.due(session, now=later, limit=10)
            assert all([await files.claim(session, f, now=later) for f in due])
        assert len(due) == 2
    finally:
        await upgraded.dispose()
