"""`dutydesk sandbox`: the real bot against the local stand-in, driven from the terminal.

Interactive when stdin is a terminal; otherwise (or with --script) a scripted walkthrough that
prints the whole conversation. Nothing here reaches Telegram. The sandbox's folder (a new
temporary one) holds the throw-away database and the files the bot sends; it is kept after
the end only when the bot sent files.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from telegram import Update

from bot.app import build_application, on_startup, prepare_database
from bot.config import Settings
from bot.context import AnyApp, deps_of
from standin import cast
from standin.cast import ADMIN_ID
from standin.commands import HELP, command
from standin.screen import Session, track_tasks, wait_quiet
from standin.standin import StandIn
from standin.walkthrough import SCRIPT, write_samples

TOKEN = "123456789:SANDBOX-not-a-real-token-000000000"
NO_TERMINAL = (
    "There is no terminal to type in, so the sandbox plays its scripted walkthrough.\n"
    "To try the bot yourself, run `make run` (or `.venv/bin/dutydesk sandbox`) in a terminal.\n"
)


async def start_all(settings: Settings, port: int) -> tuple[StandIn, AnyApp]:
    """Start the stand-in and the real bot polling it, on a prepared database."""
    standin = StandIn(token=TOKEN, bot_username="dutydesk_sandbox_bot")
    await standin.start(host="127.0.0.1", port=port)
    settings = settings.model_copy(
        update={"telegram_api_url": standin.url, "admin_ids": (ADMIN_ID,)}
    )
    await prepare_database(settings)
    app = build_application(settings, token=TOKEN)
    await app.initialize()
    await on_startup(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
    return standin, app


async def stop_all(standin: StandIn, app: AnyApp) -> None:
    """Stop the bot, then the stand-in."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    await standin.stop()


def run_sandbox(settings: Settings, *, script: bool, port: int) -> int:
    """`dutydesk sandbox`: the bot against the stand-in in a throw-away folder, driven from
    the terminal (or the scripted walkthrough); the exit code."""
    interactive = not script and sys.stdin.isatty()
    if not script and not interactive:
        print(NO_TERMINAL)
    folder = Path(tempfile.mkdtemp(prefix="dutydesk-sandbox-"))
    with _kept_files(folder):
        db_url = f"sqlite+aiosqlite:///{folder / 'sandbox.sqlite3'}"
        # The office's kept copies apart from `files` (what the bot sent, shown to the user).
        settings = settings.model_copy(
            update={"database_url": db_url, "data_dir": folder, "files_dir": folder / "kept"}
        )
        try:
            return asyncio.run(_main(settings, port, folder, interactive))
        except KeyboardInterrupt:  # Ctrl-C: the bot and the stand-in have stopped
            print("\nStopped.")
            return 0


@contextlib.contextmanager
def _kept_files(folder: Path) -> Iterator[None]:
    """At the end the database goes; the files the bot sent stay, if it sent any."""
    try:
        yield
    finally:
        files = folder / "files"
        if files.is_dir() and any(files.iterdir()):
            for child in folder.iterdir():
                if child != files:
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            print(f"\nThe files the bot sent are kept in {files}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


async def _main(settings: Settings, port: int, folder: Path, interactive: bool) -> int:
    standin, app = await start_all(settings, port)
    session = Session(standin, app, folder)
    track_tasks(session)
    try:
        cast.add_to_standin(standin)
        await cast.seed(deps_of(app))
        await wait_quiet(session, limit=30.0)  # the cast's notices of their roles: not shown
        session.shown = len(standin.history)
        print(f"Stand-in for the Bot API at {standin.url} — nothing leaves this machine.")
        print(f"The sandbox's folder: {folder}\n")
        await command(session, ":people", _no_input)
        if interactive:
            await _interactive(session)
        else:
            await _walkthrough(session)
    finally:
        await stop_all(standin, app)
    return 0


async def _no_input(prompt: str) -> str | None:
    return None


async def _walkthrough(session: Session) -> None:
    samples = write_samples(session.folder / "samples")
    lines = iter(line.replace("{samples}", str(samples)) for line in SCRIPT)

    async def read(prompt: str) -> str | None:
        line = next(lines, None)
        if line is not None:
            print(prompt + line)
        return line

    for line in lines:
        if line.startswith("# "):
            print(f"\n{line}")
        elif line in (":cards", ":people"):
            print(f"{session.person.name} {line}")
            await command(session, line, read)
        else:
            await command(session, line, read)


async def _interactive(session: Session) -> None:
    with contextlib.suppress(ImportError):  # line editing, history, and no line-length limit
        import readline  # noqa: F401
    print("\n" + HELP + "\n\nYou are 王主任, an administrator. Try /start.\n")
    with _terminal_restored():
        while True:
            line = await _read_line(f"{session.current}@{session.chat}> ")
            if line is None or not await command(session, line, _read_line):
                break


async def _read_line(prompt: str) -> str | None:
    """input() in a thread of its own that nobody waits for: Ctrl-C stops the sandbox at once
    (the event loop's executor would wait for a line to be typed first)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def give(line: str | None) -> None:
        if not future.done():
            future.set_result(line)

    def read() -> None:
        try:
            line: str | None = input(prompt)
        except (EOFError, OSError, ValueError):
            line = None
        with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
            loop.call_soon_threadsafe(give, line)

    threading.Thread(target=read, name="sandbox-input", daemon=True).start()
    return await future


@contextlib.contextmanager
def _terminal_restored() -> Iterator[None]:
    """readline changes the terminal's modes while it reads; stopped mid-line (Ctrl-C), the
    terminal would be left without echo."""
    try:
        import termios

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
    except (ImportError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
