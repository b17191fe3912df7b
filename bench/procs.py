"""The bots as processes: Duty Desk as `python -m bot run` (what `dutydesk run` runs) and the
reference, each against the bench's stand-in; their CPU time and peak memory from /proc."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TOKEN = "424242:BENCH-token-abcdefghijklmnopqrstuvwxyz"
ADMIN_ID = 999
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class BotProcess:
    proc: asyncio.subprocess.Process
    spawned_at: float  # perf_counter just before the process was started
    log: Path

    def cpu_seconds(self) -> float:
        """User + system CPU time so far (Linux /proc)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory (VmHWM), in MB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    async def stop(self) -> int:
        """SIGTERM (the bot finishes the update in hand), then wait; kill after 30 s."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(30):
                    await self.proc.wait()
            except TimeoutError:
                # What held it, into its log (bot.app.dump_tasks) before it is killed.
                with contextlib.suppress(ProcessLookupError):
                    self.proc.send_signal(signal.SIGUSR1)
                    await asyncio.sleep(1.0)
                self.proc.kill()
                await self.proc.wait()
        assert self.proc.returncode is not None
        return self.proc.returncode

    def tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


async def _spawn(args: list[str], env: dict[str, str], workdir: Path, name: str) -> BotProcess:
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"{name}.log"
    spawned_at = time.perf_counter()
    with log.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
        )
    return BotProcess(proc, spawned_at, log)


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYDESK_")}
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


async def dutydesk(
    api: str, workdir: Path, database_url: str, policy_file: Path, *, rate_limits: str = "off"
) -> BotProcess:
    """Start Duty Desk (`python -m bot run`) against the stand-in at `api`, on `database_url`
    with `policy_file`, its log and data in `workdir`; `rate_limits` "off" drops the pacing of
    Telegram's limits."""
    env = _base_env()
    env.update(
        DUTYDESK_BOT_TOKEN=TOKEN,
        DUTYDESK_TELEGRAM_API_URL=api,
        DUTYDESK_DATABASE_URL=database_url,
        DUTYDESK_DATA_DIR=str(workdir / "data"),
        DUTYDESK_ADMIN_IDS=str(ADMIN_ID),
        DUTYDESK_POLICY_FILE=str(policy_file),
        DUTYDESK_RATE_LIMITS=rate_limits,
        DUTYDESK_LOG_LEVEL="WARNING",
    )
    return await _spawn(["-m", "bot", "run"], env, workdir, "dutydesk")


async def reference(api: str, workdir: Path, mode: str) -> BotProcess:
    """Start the reference bot (bench.reference) in `mode` (conv or echo) against the stand-in
    at `api`, its log in `workdir`."""
    args = ["-m", "bench.reference", "--api", api, "--token", TOKEN, "--mode", mode]
    return await _spawn(args, _base_env(), workdir, f"reference-{mode}")
