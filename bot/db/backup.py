"""`dutydesk backup DIR` and `dutydesk restore DIR`: the office's records, safe and restorable.

SQLite is copied through its online backup API (a consistent copy while the bot runs and
writes) and the copy is checked with PRAGMA integrity_check; PostgreSQL is dumped with pg_dump
(custom format) and the archive read back with pg_restore --list. DIR/backup.json says what the
backup holds (database kind, schema revision, rows per table for SQLite, the kept files). The
files the office keeps (DUTYDESK_FILES_DIR) go into DIR/files after the database, so every file
a row names is there (bot/files/backup.py); restore puts back the ones the files directory lacks.
Files are written under temporary names and renamed at the end: a backup cut short never looks
complete.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from bot.config import Settings
from bot.files import backup as files

MANIFEST = "backup.json"
SQLITE_FILE = "dutydesk.sqlite3"
PG_FILE = "dutydesk.pgdump"


class BackupError(Exception):
    """One sentence for the operator: what is wrong and what to do."""


def backup(
    settings: Settings, target: Path, now: datetime | None = None, previous: Path | None = None
) -> dict[str, Any]:
    """Write a backup of the configured database and the kept files into `target` (new or
    empty); its manifest. Kept files already in the backup `previous` are linked from there."""
    url = make_url(settings.resolved_database_url)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; give a new folder for each backup")
    target.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"created_at": (now or datetime.now(UTC)).isoformat()}
    if url.get_backend_name() == "sqlite":
        manifest |= _backup_sqlite(_sqlite_path(url), target)
    elif url.get_backend_name() == "postgresql":
        manifest |= _backup_postgres(url, target)
    else:
        raise BackupError(f"cannot back up a {url.get_backend_name()} database")
    # After the database: a file fetched meanwhile is extra, never one a row names but missing.
    earlier = previous / files.FILES if previous is not None else None
    manifest |= files.back_up(settings.resolved_files_dir, target / files.FILES, earlier)
    manifest["files"] = files.FILES
    if settings.policy_file is not None and settings.policy_file.is_file():
        shutil.copy2(settings.policy_file, target / "policy.toml")  # for reference; not restored
        manifest["policy_file"] = "policy.toml"
    _write_atomically(target / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def restore(settings: Settings, source: Path, *, force: bool = False) -> dict[str, Any]:
    """Put the backup in `source` in place of the configured database (which must be absent or
    empty, unless `force`). The bot must be stopped; it migrates the schema when it starts."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(
            f"{source} holds no {MANIFEST}: not a backup made by dutydesk backup"
        ) from None
    url = make_url(settings.resolved_database_url)
    if manifest.get("database") != url.get_backend_name():
        raise BackupError(
            f"{source} is a {manifest.get('database')} backup, but "
            f"DUTYDESK_DATABASE_URL is {url.get_backend_name()}"
        )
    if url.get_backend_name() == "sqlite":
        _restore_sqlite(source / SQLITE_FILE, _sqlite_path(url), force=force)
    else:
        _restore_postgres(source / PG_FILE, url, force=force)
    if manifest.get("files"):
        kept = source / str(manifest["files"])
        manifest["restored_files"] = files.restore(kept, settings.resolved_files_dir)
    return manifest


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _backup_sqlite(path: Path, target: Path) -> dict[str, Any]:
    if not path.is_file():
        raise BackupError(f"there is no database at {path}")
    partial = target / (SQLITE_FILE + ".partial")
    # The online backup API copies a consistent snapshot while the bot goes on writing.
    with (
        closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(partial)) as dst,
    ):
        src.backup(dst)
        facts = _checked(dst, partial)
    partial.rename(target / SQLITE_FILE)
    return {"database": "sqlite", "file": SQLITE_FILE, **facts}


def _checked(db: sqlite3.Connection, path: Path) -> dict[str, Any]:
    """PRAGMA integrity_check, the schema revision and the rows of every table."""
    result = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError(f"{path} failed its integrity check: {'; '.join(result[:3])}")
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    rows = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    revision = None
    if "alembic_version" in tables:
        revision = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    return {"revision": revision, "rows": rows}


def _restore_sqlite(backup_file: Path, path: Path, *, force: bool) -> None:
    from bot.db.instance import AlreadyRunning, InstanceLock

    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is missing from the backup")
    if path.exists() and path.stat().st_size > 0 and not force:
        raise BackupError(f"{path} already exists; move it away first (or pass --force)")
    lock = InstanceLock(Path(str(path) + ".lock"))
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        raise BackupError(f"a bot (process {exc}) is running on {path}; stop it first") from None
    try:
        partial = path.with_name(path.name + ".restoring")
        partial.unlink(missing_ok=True)
        with (
            closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            _checked(src, backup_file)
            src.backup(dst)
        for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):  # the old file's journal
            leftover.unlink(missing_ok=True)
        partial.replace(path)
    finally:
        lock.release()


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL pg_dump understands, and the environment carrying the password (never argv)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{args[0]} is not installed (the PostgreSQL client tools)") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{args[0]} failed: {reason}")
    return done.stdout


def _backup_postgres(url: URL, target: Path) -> dict[str, Any]:
    dsn, env = _libpq(url)
    partial = target / (PG_FILE + ".partial")
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", dsn], env)
    listing = _run(["pg_restore", "--list", str(partial)], env)  # the archive reads back
    tables = sorted({line.split()[-2] for line in listing.splitlines() if " TABLE DATA " in line})
    partial.rename(target / PG_FILE)
    return {"database": "postgresql", "file": PG_FILE, "tables": tables}


def _restore_postgres(backup_file: Path, url: URL, *, force: bool) -> None:
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is missing from the backup")
    dsn, env = _libpq(url)
    has = _run(
        [
            "psql",
            "--no-psqlrc",
            "--tuples-only",
            "--no-align",
            "--dbname",
            dsn,
            "--command",
            "SELECT to_regclass('alembic_version') IS NOT NULL",
        ],
        env,
    )
    if has.strip() == "t" and not force:
        raise BackupError(
            "the database already holds Duty Desk's tables; restore into a new "
            "database (or pass --force to replace them)"
        )
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={dsn}",
            str(backup_file),
        ],
        env,
    )


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.rename(path)
