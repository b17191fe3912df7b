"""The bench's seeding command and sweep measurement (docs/decisions/006-performance.md), on a tiny
database per backend:
what the seed writes reads back through the bot's own services, the bot can go on filing, and
the first sweep acts on exactly what was seeded as due. No timings are asserted here."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bench.seed import SEED_BASE, seed
from bench.sweep import measure_sweep, scans
from bot.clock import MovableClock
from bot.config import Settings
from bot.db.engine import Database, create_engine
from bot.db.refs import reference
from bot.deps import Deps
from bot.events.models import EventRequest
from bot.incidents.models import Incident
from bot.incidents.queries import timeline_of
from bot.incidents.service import ReportDraft, file_report
from bot.ledger.period import chosen
from bot.ledger.service import build
from bot.outbox.models import OutboxMessage
from bot.people.models import Person, RoleGrant
from bot.people.roles import Role
from bot.people.view import TgUser
from bot.policy.schema import Kind
from tests.support.database import PG_URL, T0

SIZES = {"people": 30, "incidents": 200, "events": 40}


async def tiny(url: str) -> dict[str, int]:
    return await seed(url, people=30, incidents=200, events=40, now=T0)


TABLES = (
    "committees",
    "people",
    "role_grants",
    "incidents",
    "incident_handlers",
    "incident_timeline",
    "event_requests",
    "event_versions",
    "audit_log",
)


@pytest.fixture
async def url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of its own (the seed migrates it, as `python -m bench.seed` does)."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bench.sqlite3'}"
        return
    request.getfixturevalue("pg_schema")  # skipped with the reason (CI: failed) without PostgreSQL
    name = f"dd_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def seeded(url: str) -> AsyncIterator[tuple[Deps, dict[str, int]]]:
    counts = await tiny(url)
    settings = Settings(database_url=url, _env_file=None)
    deps = Deps(settings=settings, db=Database(create_engine(url)), clock=MovableClock(T0))
    yield deps, counts
    await deps.db.dispose()


async def test_the_seed_reads_back_through_the_bots_own_services(
    seeded: tuple[Deps, dict[str, int]],
) -> None:
    deps, counts = seeded
    async with deps.db.read() as s:
        for table in TABLES:
            assert await s.scalar(text(f"SELECT count(*) FROM {table}")) == counts[table], table
        for model, n in ((Incident, SIZES["incidents"]), (EventRequest, SIZES["events"])):
            refs = select(model.year, model.number).distinct().subquery()
            assert await s.scalar(select(func.count()).select_from(refs)) == n  # refs unique
        assert await s.scalar(select(func.min(Person.telegram_id))) == SEED_BASE
        secretaries = list(
            await s.scalars(
                select(Person.telegram_id)
                .join(RoleGrant, RoleGrant.person_id == Person.id)
                .where(RoleGrant.role == Role.SECRETARY, RoleGrant.revoked_at.is_(None))
            )
        )
        assert len(secretaries) == 1  # L1: one first responsible person
        # 0.5% open (at least one) and the 16 incidents due now.
        assert await s.scalar(select(func.count()).where(Incident.status != "closed")) == 17
        period = chosen("last_year", T0, deps.zone)
        in_period = (Incident.reported_at >= period.start, Incident.reported_at < period.end)
        reported = await s.scalar(select(func.count()).where(*in_period))
        closed = select(func.min(Incident.id)).where(*in_period, Incident.status == "closed")
        closed_id = await s.scalar(closed)
        year = T0.astimezone(deps.zone).year
        last = await s.scalar(select(func.max(Incident.number)).where(Incident.year == year))
    secretary = TgUser(secretaries[0])
    ledger = await build(deps, secretary, period)  # R7: the secretary's ledger of last year
    assert ledger.scope.level == "all"
    assert ledger.incident_figures.total == reported
    assert reported and reported > SIZES["incidents"] // 5
    assert closed_id is not None
    steps = [entry[1] for entry in (await timeline_of(deps, secretary, closed_id)).entries]
    assert steps[:2] == ["filed", "routed"] and "acknowledged" in steps and steps[-1] == "closed"
    # The bot files on: the next number of the year, and (PostgreSQL) the next id is free.
    assert isinstance(deps.clock, MovableClock)
    deps.clock.advance(timedelta(minutes=1))
    filed = await file_report(
        deps,
        TgUser(SEED_BASE + SIZES["people"] - 1),
        ReportDraft(
            kind=Kind.INFORMATION,
            severity=None,
            what="网站首页出现不实信息",
            discovered_at=T0,
            discovered_precision="minute",
            location="门户网站",
            actions_taken="已截图留存",
            attachments=[],
        ),
    )
    assert filed.ref == reference("INC", year, (last or 0) + 1)


async def test_a_seeded_database_is_not_seeded_twice(url: str) -> None:
    await tiny(url)
    with pytest.raises(ValueError, match="already holds seeded people"):
        await tiny(url)


async def test_the_first_sweep_acts_on_what_was_seeded_as_due(
    seeded: tuple[Deps, dict[str, int]], url: str
) -> None:
    deps, counts = seeded
    result = await measure_sweep(url, runs=2, clock=MovableClock(T0))
    assert result.acted_first == counts["due"] == 20
    assert result.acted_after == 0  # the steady state: nothing due any more
    async with deps.db.read() as s:
        told = set(await s.scalars(select(OutboxMessage.template)))
    assert {
        "incident.escalated",
        "incident.update_reminder",
        "incident.secretary_reminder",
        "event.filing_due",
        "event.eve",
        "event.followup",
    } <= told
    assert any(label.startswith("FROM incidents ") for label in result.plans)
    assert all(result.plans.values())  # every statement the sweeps issued was explained
    assert set(result.medians_ms) == {"incidents", "events"}


def test_scans_names_whole_reads_of_big_tables_only() -> None:
    plans = {
        "A": ["SCAN incidents"],
        "B": ["SEARCH incidents USING INDEX ix_incidents_open_due (status=?)"],
        "C": ["SCAN role_grants"],  # small: the staff's grants
        "D": ["SCAN event_requests USING INDEX ix_event_requests_status_starts"],
        "E": [
            "Limit  (cost=0.29..9.31 rows=1 width=8)",
            "  ->  Seq Scan on event_requests  (cost=0.00..1.01 rows=1)",
        ],
        "F": [
            "Limit  (cost=0.42..1233.45 rows=807 width=249)",
            "  ->  Index Scan using pk_incidents on incidents  (cost=0.42..12327.65)",
            "        Filter: (secretary_ack_at IS NULL)",
        ],
        "G": [
            "Index Scan using pk_people on people  (cost=0.29..8.30 rows=1 width=87)",
            "  Index Cond: (id = 874)",
        ],
    }
    assert scans(plans) == [
        "A  ←  SCAN incidents",
        "D  ←  SCAN event_requests USING INDEX ix_event_requests_status_starts",
        "E  ←  ->  Seq Scan on event_requests  (cost=0.00..1.01 rows=1)",
        "F  ←  ->  Index Scan using pk_incidents on incidents  (cost=0.42..12327.65)",
    ]
