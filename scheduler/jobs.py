"""The fixed jobs: few, in memory (PTB's JobQueue cannot persist them:
docs/decisions/001-telegram-limits.md); what is
due and what was sent lives in our tables, so a missed run is made up by the next one."""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext

from bot.calendar import holidays_check
from bot.calendar import runner as calendar
from bot.context import AnyApp, Ctx
from bot.db import daily
from bot.events.sweep import sweep as event_sweep
from bot.incidents.sweep import sweep
from runtime.metrics import Metrics

log = logging.getLogger(__name__)

SWEEP_SECONDS = 20
# APScheduler skips a job more than a second late by default; ours may run late, never skip.
JOB_KWARGS = {"misfire_grace_time": 300, "coalesce": True, "max_instances": 1}


def _timed(ctx: Ctx, name: str) -> AbstractContextManager[None]:
    """The sweep's duration and end for /metrics and /readyz (runtime/metrics.py)."""
    metrics = ctx.application.bot_data.get("metrics")
    return metrics.sweep(name, ctx.deps.clock) if isinstance(metrics, Metrics) else nullcontext()


async def incident_sweep(ctx: Ctx) -> None:
    """Escalations and reminders of incidents (L4, L2, P2, R2)."""
    with _timed(ctx, "incidents"):
        acted = await sweep(ctx.deps)
    if acted:
        log.info("incident sweep acted on %d incident(s)", acted)


async def event_reminders(ctx: Ctx) -> None:
    """Pending decisions, filing deadlines, the day before, lapses (R6, L2)."""
    with _timed(ctx, "events"):
        acted = await event_sweep(ctx.deps)
    if acted:
        log.info("event sweep acted on %d request(s)", acted)


async def calendar_run(ctx: Ctx) -> None:
    """The regulation's rhythm: quarterly reviews, dedicated meetings, study, sensitive dates,
    the weekly digest (A2, R2, R3, A3); what a downtime missed goes out once, marked late."""
    with _timed(ctx, "calendar"):
        sent = await calendar.run(ctx.deps)
    if sent:
        log.info("calendar sent %d reminder(s)", sent)
    if await holidays_check.check_next_year(ctx.deps):
        log.warning("the holiday calendar has no make-up working days for next year: admins told")


async def daily_backup(ctx: Ctx) -> None:
    """The policy's [backups]: the database and the kept files, once a day, in a worker thread
    (bot/db/daily.py); a failure is told to the admins once."""
    await daily.run(ctx.deps)


def schedule(app: AnyApp) -> None:
    """Put the fixed jobs on the job queue: the event sweep, the calendar (A2, A3, R2, R3), the
    incident sweep (L4) and the daily backup."""
    assert app.job_queue is not None
    app.job_queue.run_repeating(
        event_reminders, interval=60, first=15, name="event-sweep", job_kwargs=JOB_KWARGS
    )
    app.job_queue.run_repeating(
        calendar_run, interval=60, first=10, name="calendar", job_kwargs=JOB_KWARGS
    )
    app.job_queue.run_repeating(
        incident_sweep,
        interval=SWEEP_SECONDS,
        first=5,
        name="incident-sweep",
        job_kwargs=JOB_KWARGS,
    )
    app.job_queue.run_repeating(
        daily_backup, interval=60, first=30, name="backups", job_kwargs=JOB_KWARGS
    )
