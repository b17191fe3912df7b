"""`python -m bench`: Duty Desk against a bare python-telegram-bot bot on the same stand-in.

Each row is a ratio taken in the same run (absolute times drift on a shared machine); with
--runs N every scenario runs N times and the table shows the medians. --smoke runs every
scenario at tiny sizes (CI runs it so the bench cannot rot; its figures mean nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import databases
from bench.rows import FULL, SMOKE, Place, at_scale, broadcasts, interactive
from bench.table import Table


async def main_async(args: argparse.Namespace) -> int:
    """Every part of the bench in order (--only interactive: the first alone); the table."""
    sizes = SMOKE if args.smoke else FULL
    root = Path(args.workdir or tempfile.mkdtemp(prefix="dutydesk-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    table, place = Table(), Place(root)
    prefix = "dutydesk_bench_smoke_" if args.smoke else "dutydesk_bench_"
    pg = await databases.postgres(args.postgres, prefix) if not args.no_postgres else None
    if pg is None and not args.no_postgres:
        print(f"PostgreSQL at {args.postgres} did not answer: its rows are skipped.")
    await interactive(table, sizes, args.runs, place)
    if args.only != "interactive":
        await at_scale(table, sizes, args.runs, place, pg, args.smoke)
        await broadcasts(table, sizes, args.runs, place)
    return _report(table, args)


def _report(table: Table, args: argparse.Namespace) -> int:
    sizes = "smoke" if args.smoke else "full"
    print()
    print(
        f"Duty Desk bench · {datetime.now(UTC).date()} · {platform.machine()}, "
        f"{os.cpu_count()} CPUs, "
        f"Python {platform.python_version()} · {sizes} sizes, "
        f"median of {args.runs} run(s)"
    )
    print(table.render())
    if args.smoke:
        return 0
    return 0 if table.all_met() else 1


def main(argv: list[str] | None = None) -> int:
    """`python -m bench`: the options, the run, the table; 1 when a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (CI)")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median)")
    parser.add_argument("--workdir", help="where databases and logs go (default: a temp dir)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "DUTYDESK_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        ),
        help="a PostgreSQL database whose server the bench may create databases on",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--only",
        choices=["interactive"],
        help="interactive: only the rows before 'at scale' (throughput, latency, start-up; "
        "a few minutes, for working on them)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    code = asyncio.run(main_async(args))
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
