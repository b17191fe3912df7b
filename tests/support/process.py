"""The bot as a process of its own (`dutydesk run`), started and stopped."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.support.standin_reading import ReadingStandIn


async def spawn(
    tmp_path: Path, standin: ReadingStandIn, token: str, **extra: str
) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYDESK_")}
    env.update(
        DUTYDESK_BOT_TOKEN=token,
        DUTYDESK_TELEGRAM_API_URL=standin.url,
        DUTYDESK_DATA_DIR=str(tmp_path / "data"),
        # DEBUG unless asked: the most talkative setting, and still no token
        DUTYDESK_LOG_LEVEL=extra.pop("DUTYDESK_LOG_LEVEL", "DEBUG"),
        PYTHONUNBUFFERED="1",  # every line in the log, even from a killed process
        DUTYDESK_ADMIN_IDS="1001",
        **extra,
    )
    # The log goes to a file, not a pipe: at DEBUG a pipe nobody reads fills up (64 KB) and
    # the bot would block on its own logging.
    log = (tmp_path / f"bot-{len(list(tmp_path.glob('bot-*.log')))}.log").open("wb")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
    )


async def finish(proc: asyncio.subprocess.Process, tmp_path: Path) -> tuple[int, str]:
    """Wait for the process; its exit code and everything it logged."""
    await asyncio.wait_for(proc.wait(), 30)
    logs = sorted(tmp_path.glob("bot-*.log"))
    assert proc.returncode is not None
    return proc.returncode, logs[-1].read_text(errors="replace") if logs else ""
