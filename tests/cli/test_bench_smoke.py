"""The bench (`python -m bench`, docs/decisions/006-performance.md) at tiny sizes, so it cannot rot:
every scenario runs
the real bot as a process against the stand-in, and every simulated person gets every answer
(a lost update stops the bench with the step it waited for). No timing is asserted here: the
figures are measured by the full bench and written in the README."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.database import PG_URL, REQUIRE_PG, pg_reachable, run_in_thread

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_bench_runs_every_scenario_at_smoke_sizes(tmp_path: Path) -> None:
    pg_missing = run_in_thread(pg_reachable())
    if pg_missing and REQUIRE_PG:
        pytest.fail(f"PostgreSQL is required here and did not answer: {pg_missing}")
    postgres = ["--no-postgres"] if pg_missing else ["--postgres", PG_URL]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--smoke",
            "--runs",
            "1",
            "--workdir",
            str(tmp_path),
            *postgres,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    rows = {
        line.split("|")[1].strip(): line.split("|")[2:]
        for line in result.stdout.splitlines()
        if line.startswith("| ") and not line.startswith("| what")
    }
    expected = [
        "interactive throughput (SQLite)",
        "interactive latency p95",
        "start-up to first getUpdates (SQLite)",
        "at scale (SQLite): seeded / empty throughput",
        "scheduler sweep (SQLite, seeded)",
        "/find p95 (SQLite, seeded)",
        "peak RSS at the end of the scale runs",
        "broadcast: every message sent meanwhile",
        "press p95 during broadcast / before",
    ]
    if not pg_missing:
        expected += [
            "at scale (PostgreSQL): seeded / empty throughput",
            "scheduler sweep (PostgreSQL, seeded)",
            "/find p95 (PostgreSQL, seeded)",
        ]
    assert set(expected) <= set(rows), out
    # Every reminder arrived exactly once, with Telegram's limits enforced by the stand-in.
    lost = rows["broadcast: missing + duplicate reminders"]
    assert float(lost[0]) == 0 and lost[3].strip() == "✓", out
