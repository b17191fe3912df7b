"""The `dutydesk` command: run, sandbox, db upgrade, files verify. Errors are one clear
sentence, no traceback."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings, load_settings
from bot.db.instance import AlreadyRunning, lock_for
from bot.logs import setup_logging
from bot.policy.load import PolicyError
from bot.policy.load import load as load_policy

EXIT_CONFIG, EXIT_DATABASE, EXIT_TELEGRAM, EXIT_RUNNING = 2, 3, 4, 5


def _fail(message: str, code: int) -> int:
    print(f"dutydesk: {message}", file=sys.stderr)
    return code


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only used to word an error message
        return "<unparseable URL>"


def _prepare_db(settings: Settings) -> int:
    from bot.app import prepare_database

    try:
        asyncio.run(prepare_database(settings))
    except (SQLAlchemyError, OSError, ValueError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        if "unsupported startup parameter" in reason:  # PgBouncer in transaction mode
            reason = reason + (
                "; behind a pooler in transaction mode set DUTYDESK_DATABASE_POOLER=transaction"
            )
        return _fail(
            f"cannot open the database {_safe_url(settings.resolved_database_url)}: {reason}",
            EXIT_DATABASE,
        )
    return 0


def cmd_db_upgrade(settings: Settings) -> int:
    """`dutydesk db upgrade`: apply the migrations the database lacks."""
    code = _prepare_db(settings)
    if code == 0:
        print(f"database is up to date: {_safe_url(settings.resolved_database_url)}")
    return code


def cmd_run(settings: Settings) -> int:
    """`dutydesk run`: check everything local (token, policy, database), then serve until
    stopped; the exit code says why it stopped."""
    from bot.app import StartError, serve

    # Everything local first (environment, then the policy file, then the database), so a typo
    # in a file is reported as such even when Telegram cannot be reached.
    token = settings.token  # ConfigError when missing or malformed
    load_policy(settings.policy_file)  # PolicyError names the file and the key
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    setup_logging(settings.log_level, secrets=[token, secret])
    lock = lock_for(settings.resolved_database_url)
    try:
        if lock is not None:
            lock.acquire()
    except AlreadyRunning as exc:
        return _fail(
            f"another Duty Desk (process {exc}) is already running on this SQLite database. "
            "SQLite serves one instance; use PostgreSQL (DUTYDESK_DATABASE_URL) to run two.",
            EXIT_RUNNING,
        )
    if code := _prepare_db(settings):
        return code
    try:
        serve(settings, token)
    except StartError as exc:
        return _fail(str(exc), EXIT_TELEGRAM)
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """`dutydesk backup DIR`: copy the database and the kept files into a new folder."""
    from bot.db.backup import BackupError, backup

    try:
        manifest = backup(settings, args.dir)
    except BackupError as exc:
        return _fail(str(exc), EXIT_DATABASE)
    rows = manifest.get("rows")
    held = (
        f"{sum(rows.values())} rows in {len(rows)} tables, integrity ok"
        if rows
        else (f"{len(manifest.get('tables', []))} tables")
    )
    print(
        f"backed up {_safe_url(settings.resolved_database_url)} to {args.dir}: {held}; "
        f"{manifest['kept_files']} kept file(s)"
    )
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    """`dutydesk restore DIR`: put a backup back (the bot stopped first; `--force` replaces
    a database that exists)."""
    from bot.db.backup import BackupError, restore

    try:
        manifest = restore(settings, args.dir, force=args.force)
    except BackupError as exc:
        return _fail(str(exc), EXIT_DATABASE)
    print(
        f"restored the backup of {manifest['created_at']} into "
        f"{_safe_url(settings.resolved_database_url)} and "
        f"{manifest.get('restored_files', 0)} kept file(s) into "
        f"{settings.resolved_files_dir}; start the bot as usual"
    )
    return 0


def cmd_files_verify(settings: Settings) -> int:
    """Re-hash every kept file; list the missing or altered ones (exit 1 when any)."""
    code = _prepare_db(settings)
    if code:
        return code
    from bot.files.verify import report

    return asyncio.run(report(settings))


def cmd_sandbox(settings: Settings, args: argparse.Namespace) -> int:
    """`dutydesk sandbox`: try the bot offline against the local stand-in."""
    from standin.runner import run_sandbox

    setup_logging(args.log_level or "WARNING")
    return run_sandbox(settings, script=args.script, port=args.port)


def cmd_ledger_sample(args: argparse.Namespace) -> int:
    """`dutydesk ledger-sample`: write a sample year's ledger (R7) into a folder."""
    from standin.sample import make_sample

    setup_logging("WARNING")
    for path in make_sample(args.out):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The `dutydesk` command line: its subcommands and their options."""
    parser = argparse.ArgumentParser(
        prog="dutydesk", description="Duty Desk: the responsibility regulation, in Telegram."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling, or webhook when configured)")
    sandbox = sub.add_parser("sandbox", help="try the bot offline against a local stand-in")
    sandbox.add_argument(
        "--script", action="store_true", help="play a scripted walkthrough and exit"
    )
    sandbox.add_argument("--port", type=int, default=0, help="stand-in port (default: any)")
    sandbox.add_argument("--log-level", default=None, help="log level (default WARNING)")
    sample = sub.add_parser(
        "ledger-sample",
        help="write the ledger of a sample year (spreadsheet, chart, documents) to a folder",
    )
    sample.add_argument("--out", type=Path, default=Path("ledger-sample"), help="the folder")
    saved = sub.add_parser("backup", help="back up the database into a new folder")
    saved.add_argument("dir", type=Path, help="the folder (new, or empty)")
    restored = sub.add_parser("restore", help="restore a backup (stop the bot first)")
    restored.add_argument("dir", type=Path, help="a folder made by dutydesk backup")
    restored.add_argument(
        "--force", action="store_true", help="replace a database that already exists"
    )
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply the migrations")
    files = sub.add_parser("files", help="the office's kept copies of the files sent to the bot")
    files_sub = files.add_subparsers(dest="files_command", required=True)
    files_sub.add_parser(
        "verify", help="re-hash every kept file; list missing or altered ones (exit 1 if any)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `dutydesk` subcommand; the process's exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "ledger-sample":  # needs no configuration: a throw-away database
            return cmd_ledger_sample(args)
        settings = load_settings()
        if args.command == "db":
            return cmd_db_upgrade(settings)
        if args.command == "files":
            return cmd_files_verify(settings)
        if args.command == "sandbox":
            return cmd_sandbox(settings, args)
        if args.command == "backup":
            return cmd_backup(settings, args)
        if args.command == "restore":
            return cmd_restore(settings, args)
        return cmd_run(settings)
    except (ConfigError, PolicyError) as exc:
        return _fail(str(exc), EXIT_CONFIG)
    except KeyboardInterrupt:
        return 130
