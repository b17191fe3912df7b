"""The people of a bench run, made through the bot's own services before the bot starts:
reporters in committees of ten, each committee with a head who handles their reports (L3), and
the same people in the stand-in, all of whom pressed Start. A policy routes public-opinion
reports to the committee head alone, so no single chat has to take every card."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.actors import Actor, Pace
from bench.procs import ADMIN_ID
from bench.standin import BenchStandIn
from bot.clock import SystemClock
from bot.config import Settings
from bot.db.engine import Database, create_engine
from bot.db.migrate import upgrade
from bot.deps import Deps
from bot.errors import AlreadyDone
from bot.people import admission, committees, grants
from bot.people import service as people
from bot.people.roles import Role
from bot.people.view import TgUser
from bot.policy.load import load

POLICY = """\
# The bench's policy: public-opinion reports go to the reporter's committee head (L3) only.
[incidents.routing]
public_opinion = ["committee_head"]
"""
COMMITTEE = 10  # reporters per committee
REPORTER_BASE = 1_000_000
HEAD_BASE = 2_000_000


def write_policy(workdir: Path) -> Path:
    """Write the bench's POLICY (public-opinion reports to the committee head alone, L3) into
    `workdir`; returns its path."""
    path = workdir / "bench-policy.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(POLICY, encoding="utf-8")
    return path


@dataclass
class Cast:
    reporters: list[int]
    heads: dict[int, list[int]]  # head -> the reporters of their committee


def cast(reporters: int) -> Cast:
    """The ids of a run: `reporters` reporters, in committees of COMMITTEE, each with a head."""
    ids = [REPORTER_BASE + i for i in range(1, reporters + 1)]
    heads = {
        HEAD_BASE + n + 1: ids[i : i + COMMITTEE]
        for n, i in enumerate(range(0, len(ids), COMMITTEE))
    }
    return Cast(ids, heads)


@asynccontextmanager
async def deps_for(url: str, policy_file: Path | None = None) -> AsyncIterator[Deps]:
    """The services' dependencies on the bench's database, from outside the bot process."""
    settings = Settings(database_url=url, admin_ids=(ADMIN_ID,), policy_file=policy_file)
    deps = Deps(settings, Database(create_engine(url)), SystemClock(), load(policy_file))
    try:
        yield deps
    finally:
        await deps.db.dispose()


async def prepare(url: str, policy_file: Path, c: Cast) -> None:
    """Migrate, then register everyone and set up the committees through the services."""
    async with deps_for(url, policy_file) as deps:
        await upgrade(deps.db.engine)
        admin = TgUser(ADMIN_ID, "Bench admin", language_code="en")
        # R4: the cast are the office's people, admitted before they press Start.
        everyone = [_tg(p) for head, members in c.heads.items() for p in (head, *members)]
        await admission.seed_members(deps, [admin, *everyone])
        await people.start(deps, admin)
        await grants.ensure_bootstrap_admins(deps)
        for head, members in c.heads.items():
            head_view = (await people.start(deps, _tg(head))).person
            cid, _ = await committees.create_committee(deps, admin, f"Bench committee {head}")
            # A database used before (the seeded one, run after run) has them already.
            with contextlib.suppress(AlreadyDone):
                await grants.change_role(
                    deps,
                    admin,
                    person_id=head_view.id,
                    role=Role.COMMITTEE_HEAD,
                    grant=True,
                    committee_id=cid,
                )
            for member in members:
                view = (await people.start(deps, _tg(member))).person
                with contextlib.suppress(AlreadyDone):
                    await committees.set_committee(deps, admin, person_id=view.id, committee_id=cid)


def _tg(user_id: int) -> TgUser:
    return TgUser(user_id, f"P{user_id}", language_code="en")


def actors(s: BenchStandIn, ids: list[int], pace: Pace | None = None) -> dict[int, Actor]:
    """The people in the stand-in, each having pressed Start."""
    found = {}
    for user_id in ids:
        user = s.add_user(user_id, f"P{user_id}", language_code="en")
        user.started = True
        found[user_id] = Actor(s, user, pace or Pace())
    return found
